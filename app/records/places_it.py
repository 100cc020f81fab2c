"""Italian comuni and foreign states with their Belfiore code and province ("EE" abroad).

The data is python-codicefiscale's (Agenzia delle Entrate and ISTAT lists, with the
comuni suppressed or merged over the years). The index is built once, on first use
(about 0.2 s), and a prefix search is then a binary search: fast enough for a completer
on every keystroke.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from codicefiscale.data import get_countries_data, get_municipalities_data

from app.records.search_keys import search_key

ABROAD = "EE"  # the province of a foreign state in the codice fiscale data
_BELFIORE = re.compile(r"^[A-Z]\d{3}$")
_LOCK = threading.Lock()


# python-codicefiscale title-cases every word ("Reggio Di Calabria"); Italian keeps the
# joining words lower-case after the first word ("Reggio di Calabria").
_LOWER_WORDS = frozenset(
    "di del della dei degli delle da dal dalla in nel nella sul sulla sopra sotto e ed "
    "al alla allo con".split()
)
_LOWER_ELIDED = ("Nell'", "Dell'", "Sull'", "All'", "Dall'", "D'")


def italian_place_name(name: str) -> str:
    """Municipality names as Italians write them: "Reggio nell'Emilia", "Sesto San Giovanni"."""
    words = name.split(" ")
    for index, word in enumerate(words[1:], start=1):
        if word.lower() in _LOWER_WORDS:
            words[index] = word.lower()
        elif word.startswith(_LOWER_ELIDED):
            words[index] = word[0].lower() + word[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Place:
    """A comune or a foreign state, as a birthplace."""

    name: str  # "Milano", "Svizzera"
    province: str  # "MI"; "EE" for a foreign state
    code: str  # Belfiore code: "F205", "Z133"
    active: bool  # False: a suppressed comune or a state that no longer exists
    created: str = ""  # ISO dates of the code's validity, "" when open-ended
    deleted: str = ""

    @property
    def foreign(self) -> bool:
        """A foreign state (born abroad)."""
        return self.province == ABROAD

    @property
    def label(self) -> str:
        """As a list shows it: "Milano (MI)"."""
        return f"{self.name} ({self.province})"

    def existed_on(self, day: date) -> bool:
        """The code was in use on ``day`` (a comune suppressed later still counts)."""
        iso = day.isoformat()
        return (not self.created or self.created[:10] <= iso) and (
            not self.deleted or iso <= self.deleted[:10])


@dataclass(frozen=True)
class _Index:
    keys: tuple[str, ...]  # sorted search keys (names and alternative names)
    places: tuple[Place, ...]  # the place of each key, same order
    by_code: dict[str, Place]


def _latest(entries: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per Belfiore code: the active entry, else the most recent one."""
    chosen: dict[str, dict[str, Any]] = {}
    first: dict[str, str] = {}
    for entry in entries:
        code = str(entry["code"])
        created = str(entry.get("date_created") or "")
        first[code] = min(first.get(code, created), created)
        current = chosen.get(code)
        if current is None or entry["active"] or (
                not current["active"] and created >= str(current.get("date_created") or "")):
            chosen[code] = entry
    for code, entry in chosen.items():
        chosen[code] = entry | {"first_created": first[code]}
    return chosen


def _place(entry: dict[str, Any], province: str | None = None) -> Place:
    return Place(
        name=italian_place_name(str(entry["name"]).strip()),
        province=province or str(entry["province"]),
        code=str(entry["code"]),
        active=bool(entry["active"]) and not entry.get("date_deleted"),
        created=str(entry.get("first_created") or ""),
        deleted="" if entry["active"] else str(entry.get("date_deleted") or ""),
    )


def _names(entry: dict[str, Any], place: Place) -> set[str]:
    names = {place.name, str(entry.get("name_alt") or ""), str(entry.get("name_alt_en") or "")}
    names.update(str(s).replace("-", " ") for s in entry.get("name_slugs") or ())
    return {key for key in map(search_key, names) if key}


@functools.cache
def _index() -> _Index:
    pairs: list[tuple[str, Place]] = []
    by_code: dict[str, Place] = {}
    sources = ((get_municipalities_data(), None), (get_countries_data(), ABROAD))
    for entries, province in sources:
        for entry in _latest(entries).values():
            place = _place(entry, province)
            by_code[place.code] = place
            pairs.extend((key, place) for key in _names(entry, place))
    pairs.sort(key=lambda pair: (pair[0], not pair[1].active, pair[1].name))
    return _Index(tuple(k for k, _ in pairs), tuple(p for _, p in pairs), by_code)


def load() -> None:
    """Build the index now (a worker thread does it before the first keystroke)."""
    with _LOCK:
        _index()


def _matching(prefix: str) -> list[tuple[str, Place]]:
    """(key, place) for every name or alternative name starting with ``prefix``."""
    with _LOCK:
        index = _index()
    start = bisect.bisect_left(index.keys, prefix)
    stop = bisect.bisect_left(index.keys, prefix + "\U0010ffff", lo=start)
    return list(zip(index.keys[start:stop], index.places[start:stop], strict=True))


def search(text: str, limit: int = 20, *, suppressed: bool = False) -> list[Place]:
    """Comuni and states whose name starts with ``text`` (case and accents ignored).

    Current places first, the exact name before longer ones, then alphabetically;
    suppressed comuni and former states only when ``suppressed`` is asked for.
    """
    prefix = search_key(text)
    if not prefix:
        return []
    seen: dict[str, Place] = {}
    for _key, place in _matching(prefix):
        if (place.active or suppressed) and place.code not in seen:
            seen[place.code] = place
    return sorted(seen.values(), key=lambda p: (
        not p.active, search_key(p.name) != prefix, search_key(p.name), p.province))[:limit]


def by_code(code: str) -> Place | None:
    """The place with this Belfiore code ("F205"), current or suppressed."""
    with _LOCK:
        return _index().by_code.get(code.strip().upper())


def find(name: str, province: str | None = None, on: date | None = None) -> list[Place]:
    """Places called exactly ``name`` (in ``province`` when given; existing ``on`` a date).

    A Belfiore code is accepted as the name, and so is an alternative name ("Bozen",
    "Switzerland"). More than one result means the name alone is ambiguous ("Castro":
    BG and LE); current places come before suppressed ones of the same name.
    """
    text = name.strip()
    if _BELFIORE.match(text.upper()):
        found = by_code(text)
        return [found] if found is not None else []
    key = search_key(re.split(r"[,(]", text)[0])
    if not key:
        return []
    exact = {p.code: p for k, p in _matching(key) if k == key}
    chosen = [p for p in exact.values()
              if (not province or p.province == province.strip().upper())
              and (on is None or p.existed_on(on))]
    current = [p for p in chosen if p.active]
    return sorted(current or chosen, key=lambda p: (search_key(p.name) != key, p.province))
