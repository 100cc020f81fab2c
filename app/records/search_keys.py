"""Normalised keys that make name search fast and forgiving."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Upper-case, accent-free, apostrophe- and space-free: "D'Alò Rossi" -> "DALOROSSI"."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = [c for c in decomposed if c.isalnum()]
    return "".join(letters).upper()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest key greater than every key starting with ``prefix`` (for range scans)."""
    return prefix + "\U0010ffff"
