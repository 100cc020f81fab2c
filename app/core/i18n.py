"""Translation layer: every user-facing string goes through ``_``.

Messages are written in English in the code (the msgid) and translated to Italian
in ``app.core.catalog_it``. Italian is the default language; ``MEDIRETE_LANG`` or
the process locale can select English.
"""

from __future__ import annotations

import locale
import os
import sys

from app.core.catalog_it import ITALIAN

SUPPORTED = ("it", "en")
_current: str | None = None


def detect_language() -> str:
    """Pick the UI language from MEDIRETE_LANG, then LC_ALL/LANG, defaulting to Italian."""
    explicit = os.environ.get("MEDIRETE_LANG", "").strip().lower()
    if explicit[:2] in SUPPORTED:
        return explicit[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and not value.upper().startswith(("C.", "POSIX")) and value != "C":
            return "en" if value.lower().startswith("en") else "it"
    if sys.platform == "win32":
        # Windows reports e.g. "Italian_Italy" or "English_United States".
        loc = locale.getlocale()[0] or ""
        return "en" if loc.lower().startswith("en") else "it"
    # Italian first: a bare C/POSIX locale (servers, CI) is no reason to switch.
    return "it"


def set_language(lang: str) -> None:
    """Force the language (tests, settings dialog)."""
    global _current
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}")
    _current = lang


def language() -> str:
    """The language in force."""
    global _current
    if _current is None:
        _current = detect_language()
    return _current


def translate(msgid: str, lang: str | None = None) -> str:
    """Translate ``msgid`` (English) into ``lang`` or the current language."""
    target = lang or language()
    if target == "it":
        return ITALIAN.get(msgid, msgid)
    return msgid


def _(msgid: str) -> str:
    """Mark and translate a user-facing string."""
    return translate(msgid)
