"""Translation layer: every user-facing string goes through ``_``.

Messages are written in English in the code (the msgid) and translated to Italian in
the Qt Linguist sources ``app/i18n/it/*.ts`` (one file per area; see
docs/decisions/0014-translations.md). Italian is the default language; ``MEDIRETE_LANG``,
the process locale or the Language menu can select English.
"""

from __future__ import annotations

import locale
import os
import sys
from functools import cache
from pathlib import Path

from app.core.ts_catalog import read_folder

SUPPORTED = ("it", "en")
CATALOGS = Path(__file__).resolve().parents[1] / "i18n"
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


@cache
def catalog(lang: str) -> dict[str, str]:
    """The msgid -> translation map of one language (English needs none)."""
    if lang == "en":
        return {}
    return read_folder(CATALOGS / lang)


def translate(msgid: str, lang: str | None = None) -> str:
    """Translate ``msgid`` (English) into ``lang`` or the current language."""
    target = lang or language()
    if target == "it":
        return catalog("it").get(msgid, msgid)
    return msgid


def _(msgid: str) -> str:
    """Mark and translate a user-facing string."""
    return translate(msgid)
