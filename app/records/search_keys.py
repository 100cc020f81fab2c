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


def phone_key(number: str | None) -> str | None:
    """Digits only, without the Italian prefix: "+39 02-1234 5678" -> "0212345678".

    The same rule as migration 0007's frozen copy, so that a phone number is an indexed
    prefix search whatever way it was typed.
    """
    if not number:
        return None
    digits = "".join(ch for ch in number if ch.isdigit())
    text = number.strip()
    if text.startswith("+39"):
        digits = digits[2:]
    elif text.startswith("0039"):
        digits = digits[4:]
    return digits or None
