"""Repair of descriptions whose non-ASCII characters the publisher turned into ``?``.

The publisher's export replaced every byte of a multi-byte UTF-8 character with ``?``:
an accented letter (two bytes) became ``??``, a typographic apostrophe or quote (three
bytes) became ``???``. Some files also carry a single ``?`` for an apostrophe. The text
is rebuilt from context; what cannot be rebuilt is shown in the typewriter style that
Italian texts already use (``pi'`` for ``più``), so no ``?`` ever reaches the user.
"""

from __future__ import annotations

import re

# Whole words (lower case, ``??`` for the lost letter) that no suffix rule covers.
KNOWN_WORDS: dict[str, str] = {
    "pi??": "più",
    "gi??": "già",
    "pu??": "può",
    "ci??": "ciò",
    "perci??": "perciò",
    "per??": "però",
    "cos??": "così",
    "cio??": "cioè",
    "ne??": "né",
    "se??": "sé",
    "caff??": "caffè",
    "trib??": "tribù",
    "virt??": "virtù",
    "servit??": "servitù",
    "schiavit??": "schiavitù",
    "giovent??": "gioventù",
    "caus??": "causò",
    "provoc??": "provocò",
    "se??zary": "sézary",
    "m??ni??re": "ménière",
    "beh??et": "behçet",
    "sj??gren": "sjögren",
    "cr??pitation": "crépitation",
}

# Word-final endings after which the lost letter is certain.
_SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("t", "à"),  # -ità, -età, metà: every -t?? word of the lists
    ("ch", "é"),  # perché, poiché, affinché, nonché
)

_LETTER = r"[^\W\d_]"
_TWO = r"(?<!\?)\?\?(?!\?)"
# A word made of letters and two-byte holes, holding at least one hole.
_HOLED_WORD = re.compile(rf"(?:{_LETTER}|{_TWO})*{_TWO}(?:{_LETTER}|{_TWO})*")
_RUN = re.compile(r"\?+")

_APOSTROPHE = "\u2019"  # ’ also closes a single quotation
_OPEN_SINGLE = "\u2018"  # ‘
_OPEN_DOUBLE = "\u201c"  # “
_CLOSE_DOUBLE = "\u201d"  # ”
# What an unrepairable hole after a letter is shown as: Italian typewriter style.
TYPEWRITER_MARK = "'"


def _shouting(model: str) -> bool:
    letters = [c for c in model if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _match_case(model: str, word: str) -> str:
    if _shouting(model):
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _typewriter(text: str) -> str:
    """Shown form of an unrepairable hole: an apostrophe after a letter, else nothing."""

    def one(m: re.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        return TYPEWRITER_MARK if before.isalpha() else ""

    return _RUN.sub(one, text)


def _fix_word(word: str, before: str, sentence_start: bool) -> str | None:
    """The repaired word, or None when the lost letters cannot be known."""
    if word == "??":
        if before.isdigit():
            return "°"  # 5° percentile
        return "È" if sentence_start else "è"
    known = KNOWN_WORDS.get(word.lower())
    if known is not None:
        return _match_case(word, known)
    stem = word[:-2]
    if word.endswith("??") and "?" not in stem:
        for ending, letter in _SUFFIX_RULES:
            if stem.lower().endswith(ending):
                return stem + (letter.upper() if _shouting(stem) else letter)
    return None


def _fix_punctuation(run: str, before: str, after: str) -> str | None:
    """A run of three-byte (or single) holes from the letters around it, or None."""
    word_before = before.isalnum()
    word_after = after.isalnum()
    if len(run) == 1:
        return _APOSTROPHE if word_before and word_after else None
    if len(run) not in (3, 6):
        # Nine: an apostrophe followed by an opening quote (dell’“uomo rigido”).
        return _APOSTROPHE + _OPEN_DOUBLE if len(run) == 9 and word_before and word_after else None
    double = len(run) == 6
    if word_before and word_after:
        return _APOSTROPHE + (_OPEN_DOUBLE if double else "")
    if word_before:
        return _CLOSE_DOUBLE if double else _APOSTROPHE
    if word_after:
        return _OPEN_DOUBLE if double else _OPEN_SINGLE
    return None


def repair_description(text: str) -> tuple[str, bool]:
    """Rebuild the characters lost as ``?``; return the text shown and whether all were rebuilt."""
    if "?" not in text:
        return text, True
    complete = True

    def word(m: re.Match[str]) -> str:
        nonlocal complete
        start = m.start()
        before = text[start - 1] if start else ""
        sentence_start = not text[:start].strip() or text[:start].rstrip().endswith(".")
        fixed = _fix_word(m.group(), before, sentence_start)
        if fixed is None:
            complete = False
            return _typewriter(m.group())
        return fixed

    partial = _HOLED_WORD.sub(word, text)

    def run(m: re.Match[str]) -> str:
        nonlocal complete
        before = partial[m.start() - 1] if m.start() else ""
        after = partial[m.end()] if m.end() < len(partial) else ""
        fixed = _fix_punctuation(m.group(), before, after)
        if fixed is None:
            complete = False
            return TYPEWRITER_MARK if before.isalpha() else ""
        return fixed

    return _RUN.sub(run, partial), complete
