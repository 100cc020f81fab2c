"""Text folded for matching: lower case, no accents, no punctuation, single spaces."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Dagger and asterisk conventions of ICD-10-IM titles: "(+)", "(+ possibile)", "(*)".
_MARKERS = re.compile(r"\(\s*[+*†][^()]*\)")


def fold(text: str | None) -> str:
    """Text reduced for matching: lower case, no accents, words between single spaces."""
    if not text:
        return " "
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return " " + " ".join(_NOT_WORD.split(stripped.lower())).strip() + " "


def fold_title(text: str | None) -> str:
    """A title folded for search, without the dagger/asterisk markers it may carry."""
    return fold(_MARKERS.sub(" ", text or ""))
