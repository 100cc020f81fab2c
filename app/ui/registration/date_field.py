"""A birth date typed the way people type it, that may also be not given yet."""

from __future__ import annotations

from datetime import date

from app.core.i18n import language
from app.records.demographics import OLDEST_BIRTH
from app.ui.qt import (
    QDate,
    QDateEdit,
    QEvent,
    QKeyEvent,
    QLocale,
    Qt,
    QWidget,
)

# One day before the oldest birth date accepted: shown blank, read as "not given".
NO_DATE = QDate(OLDEST_BIRTH.year - 1, 12, 31)
# Where typing starts in an empty field (replaced by what is typed, never saved alone).
START = QDate(1960, 1, 1)
_SEPARATORS = (Qt.Key.Key_Slash, Qt.Key.Key_Minus, Qt.Key.Key_Period)
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def _is_digit(key: int) -> bool:
    return Qt.Key.Key_0 <= key <= Qt.Key.Key_9


class BirthDateEdit(QDateEdit):
    """dd/MM/yyyy; "03041956", "3/4/1956" and "03/04/1956" all give 3 April 1956.

    Empty until a date is typed or picked. Tab leaves the field (Qt's date edit would
    otherwise step through day, month and year, or stay put while empty).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("birthDate")
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setMaximumDate(QDate.currentDate())
        self.setSpecialValueText(" ")
        self.setDate(NO_DATE)
        if language() == "it":
            self.setLocale(QLocale(QLocale.Language.Italian, QLocale.Country.Italy))
        self._placeholder = False  # showing START only because the empty field has focus
        self._internal = False
        self._advanced = False  # the last digit completed a section
        self.dateChanged.connect(self._user_changed)

    def _set_quietly(self, day: QDate) -> None:
        self._internal = True
        try:
            self.setDate(day)
        finally:
            self._internal = False

    def _user_changed(self, _day: QDate) -> None:
        if not self._internal:
            self._placeholder = False

    def value(self) -> date | None:
        """The date, or None while not given."""
        chosen = self.date()
        if chosen == NO_DATE or self._placeholder:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, day: date | None) -> None:
        """Show a date (None: empty)."""
        self._placeholder = False
        self.setDate(QDate(day.year, day.month, day.day) if day else NO_DATE)

    def event(self, event: QEvent) -> bool:
        """Tab leaves the field; an empty field shows a date to type over while focused."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            other = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier)
            if event.key() in _TABS and not other:
                return QWidget.focusNextPrevChild(self, event.key() == Qt.Key.Key_Tab)
        elif kind == QEvent.Type.FocusIn and self.date() == NO_DATE:
            self._set_quietly(START)
            self._placeholder = True
        elif kind == QEvent.Type.FocusOut and self._placeholder:
            # Left without typing: empty again (the calendar popup does not count). The
            # event is a QFocusEvent, whose class app.ui.qt does not export yet.
            if getattr(event, "reason", lambda: None)() != Qt.FocusReason.PopupFocusReason:
                self._set_quietly(NO_DATE)
                self._placeholder = False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """"-" and "." separate like "/"; a separator right after a completed day or month
        is not a second step."""
        key = event.key()
        if key in _SEPARATORS:
            if self._advanced:
                self._advanced = False
                return
            if key != Qt.Key.Key_Slash:
                event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Slash, event.modifiers(), "/")
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._advanced = _is_digit(key) and self.currentSectionIndex() != before
