"""Ranked search of a code list or of the medicines, on an in-memory folded index.

A GP types a few letters of a diagnosis and expects the list to follow each keystroke
(target 30 ms at the full ICD-9-CM size, about 20,700 rows). Folding accents in SQL
means calling Python once per row: too slow to rank. So each list is folded once per
process into a word index (sorted vocabulary -> rows), checked against a stamp the
imports move (``codes.<system>`` in ``meta``) and rebuilt only when the list changed.

Ranking, best first: the code typed exactly; codes starting with it (in code order);
rows whose title has every typed word at the start of one of its words; rows found
through their extra words (aliases of a code, the active ingredient of a medicine).
Within a group: the earlier the first word appears, the shorter the title, the
earlier in the list.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.records.codes.folding import fold, fold_title

T = TypeVar("T")

_CODE_QUERY = re.compile(r"[A-Za-z]?\d[\dA-Za-z.]*|[A-Za-z]")
SHORT_PREFIX = 2  # prefixes this short are remembered (they unite thousands of words)
CACHED_INDEXES = 6  # a few lists of a few centers; each costs a few megabytes


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One searchable row: what is returned, its codes, its title and extra words."""

    item: T
    codes: tuple[str, ...]
    title: str
    extra: str = ""


def code_variants(query: str) -> tuple[str, ...]:
    """The code typed, and with the dot a GP often leaves out (4019 -> 401.9, I2100 -> I21.00)."""
    code = query.strip().upper()
    if not code or _CODE_QUERY.fullmatch(code) is None:
        return ()
    variants = [code]
    if "." not in code and re.fullmatch(r"[A-Z\d]\d\d[\dA-Z]{1,2}", code):
        variants.append(f"{code[:3]}.{code[3:]}")
        if re.fullmatch(r"E\d{4}", code):  # ICD-9-CM external causes: E819.3
            variants.append(f"{code[:4]}.{code[4:]}")
    return tuple(variants)


class FoldedIndex(Generic[T]):
    """Rows folded once (lower case, no accents), searched by code and by word prefixes."""

    def __init__(self, entries: Iterable[Entry[T]]) -> None:
        self._items: list[T] = []
        self._titles: list[str] = []  # folded, " word word "
        self._extras: list[str] = []  # folded extra words
        self._lengths: list[int] = []
        self._code_lengths: list[int] = []  # of the row's own code: broader codes are shorter
        codes: list[tuple[str, int]] = []
        title_words: dict[str, list[int]] = {}
        all_words: dict[str, list[int]] = {}
        for number, entry in enumerate(entries):
            folded = fold_title(entry.title)
            self._items.append(entry.item)
            self._titles.append(folded)
            self._extras.append(fold(entry.extra))
            self._lengths.append(len(entry.title))
            self._code_lengths.append(len(entry.codes[0]) if entry.codes else 0)
            codes += [(code, number) for code in dict.fromkeys(entry.codes) if code]
            words = set(folded.split())
            for word in words:
                title_words.setdefault(word, []).append(number)
            for word in words | set(self._extras[-1].split()):
                all_words.setdefault(word, []).append(number)
        codes.sort()
        self._codes = [code for code, _number in codes]
        self._code_rows = [number for _code, number in codes]
        self._title_vocab = sorted(title_words)
        self._title_words = title_words
        self._all_vocab = sorted(all_words)
        self._extended_words = all_words
        self._short: dict[tuple[int, str], frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def _code_matches(self, query: str) -> tuple[list[int], list[int]]:
        """Rows whose code is one of the variants typed, then rows whose code starts with one."""
        exact: dict[int, None] = {}
        prefixed: list[tuple[str, int]] = []
        for variant in code_variants(query):
            start = bisect_left(self._codes, variant)
            for position in range(start, len(self._codes)):
                code = self._codes[position]
                if not code.startswith(variant):
                    break
                row = self._code_rows[position]
                if code == variant:
                    exact[row] = None
                else:
                    prefixed.append((code, row))
        prefixed.sort()
        rest = [row for _code, row in prefixed if row not in exact]
        return list(exact), list(dict.fromkeys(rest))

    def _prefixed(self, vocab: list[str], postings: dict[str, list[int]],
                  prefix: str) -> frozenset[int]:
        """Rows with a word starting with ``prefix``; the first keys' answers are kept."""
        short = len(prefix) <= SHORT_PREFIX
        if short and (cached := self._short.get((id(vocab), prefix))) is not None:
            return cached
        found: set[int] = set()
        for position in range(bisect_left(vocab, prefix), len(vocab)):
            word = vocab[position]
            if not word.startswith(prefix):
                break
            found.update(postings[word])
        frozen = frozenset(found)
        if short:  # "i" unites thousands of words: the next GP typing "i" finds it ready
            self._short[id(vocab), prefix] = frozen
        return frozen

    def _matching(self, words: list[str], vocab: list[str],
                   postings: dict[str, list[int]]) -> set[int]:
        """Rows holding every word of ``words`` at the start of one of theirs."""
        found: frozenset[int] | None = None
        # Longest words first: they match fewest rows, and the intersection stays small.
        for word in sorted(set(words), key=len, reverse=True):
            rows = self._prefixed(vocab, postings, word)
            found = rows if found is None else found & rows
            if not found:
                return set()
        return set(found or ())

    def _best(self, rows: set[int], first: str, texts: list[str], wanted: int,
              kept: Callable[[Iterable[int]], list[int]]) -> list[int]:
        """The ``wanted`` best of ``rows`` that ``kept`` keeps: earlier first word in
        ``texts`` (titles or extra words), then the broader code (401 and 401.9 before
        997.91 "Ipertensione", a complication of surgery whose title is merely the
        shortest), then shorter, then earlier row."""
        lengths = self._lengths
        code_lengths = self._code_lengths
        needle = " " + first

        def key(row: int) -> tuple[int, int, int, int, int]:
            text = texts[row]
            position = text.find(needle)
            return (position if position >= 0 else len(text), code_lengths[row], len(text),
                    lengths[row], row)

        if len(rows) <= 4 * wanted:
            return kept(sorted(rows, key=key))[:wanted]
        # A short prefix matches thousands of rows: rank only the best few (a heap), and
        # more of them only if ``kept`` refuses too many.
        take = 2 * wanted + 16
        while True:
            best = kept(heapq.nsmallest(take, rows, key=key))[:wanted]
            if len(best) >= wanted or take >= len(rows):
                return best
            take *= 4

    def search(self, text: str, limit: int = 50,
               keep: Callable[[T], bool] | None = None) -> list[T]:
        """The best ``limit`` rows for ``text`` (code or words, any case or accent);
        ``keep`` leaves out the rows it refuses (ICD-9-CM procedures in a problem picker)."""
        words = fold(text).split()
        if not words or limit <= 0:
            return []
        items = self._items

        def kept(rows: Iterable[int]) -> list[int]:
            return list(rows) if keep is None else [row for row in rows if keep(items[row])]

        exact, prefixed = self._code_matches(text)
        seen = set(exact) | set(prefixed)
        chosen = kept(dict.fromkeys(exact + prefixed))[:limit]
        for vocab, postings, texts in ((self._title_vocab, self._title_words, self._titles),
                                       (self._all_vocab, self._extended_words, self._extras)):
            if len(chosen) >= limit:
                break
            rows = self._matching(words, vocab, postings) - seen
            seen |= rows
            chosen += self._best(rows, words[0], texts, limit - len(chosen), kept)
        return [items[row] for row in chosen]


class IndexCache(Generic[T]):
    """The last few indexes built, each with the stamp of the list it was built from."""

    def __init__(self, size: int = CACHED_INDEXES) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._indexes: OrderedDict[tuple[str, str], tuple[str, FoldedIndex[T]]] = OrderedDict()

    def get(self, key: tuple[str, str], stamp: str,
            build: Callable[[], FoldedIndex[T]]) -> FoldedIndex[T]:
        """The index for ``key`` at ``stamp``, built (once, under the lock) when missing."""
        with self._lock:  # two readers typing at once build it once
            cached = self._indexes.get(key)
            if cached is not None and cached[0] == stamp:
                self._indexes.move_to_end(key)
                return cached[1]
            index = build()
            self._indexes[key] = (stamp, index)
            self._indexes.move_to_end(key)
            while len(self._indexes) > self._size:
                self._indexes.popitem(last=False)
            return index

    def clear(self) -> None:
        """Forget every index (tests, benchmarks measuring a cold build)."""
        with self._lock:
            self._indexes.clear()
