"""The user interface language: chosen from the File menu, remembered, applied at start.

Our own strings come from :mod:`app.core.i18n`; Qt's own (the context menu of a text
field, the buttons of standard dialogs) from Qt's translations shipped with PySide6,
installed here with a QTranslator when the language is Italian.
"""

from __future__ import annotations

import logging
import os

from app.core.i18n import SUPPORTED, detect_language, set_language
from app.ui.qt import QCoreApplication, QLibraryInfo, QSettings, QTranslator

log = logging.getLogger(__name__)
LANGUAGE_KEY = "ui/language"
QT_CATALOG = "qtbase"


def saved_language(settings: QSettings) -> str | None:
    """The language chosen from the menu on this workstation, if any."""
    value = str(settings.value(LANGUAGE_KEY, "") or "")
    return value if value in SUPPORTED else None


def save_language(settings: QSettings, lang: str) -> None:
    """Remember the choice for the next start."""
    settings.setValue(LANGUAGE_KEY, lang)


def startup_language(settings: QSettings, explicit: str | None) -> str:
    """--lang, then MEDIRETE_LANG, then the menu's saved choice, then the system locale."""
    if explicit in SUPPORTED:
        return str(explicit)
    if os.environ.get("MEDIRETE_LANG", "").strip().lower()[:2] in SUPPORTED:
        return detect_language()
    return saved_language(settings) or detect_language()


class QtTranslations:
    """Qt's own strings in the language of the interface (one translator at a time)."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def apply(self, lang: str) -> None:
        """Set the interface language: ours, then Qt's (English needs no translator)."""
        set_language(lang)
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if lang == "en":
            return
        translator = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"{QT_CATALOG}_{lang}", folder):
            app.installTranslator(translator)
            self._translator = translator
        else:  # a packaging fault, not the user's: the app still works, in mixed words
            log.warning("Qt's %s translations were not found in %s", lang, folder)
