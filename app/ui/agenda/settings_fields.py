"""Fields of the agenda-frame dialog: 24-hour times, optional dates, a message line.

Times and dates are typed the Italian way in both languages (08:30, 31/12/2026); Tab
always leaves a field (Qt's time and date edits would otherwise step through their
sections), so a row of the timetable is crossed with Tab like any form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from app.core.errors import MedireteError
from app.core.i18n import _
from app.ui.agenda.toolbar import qdate, ui_locale
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QApplication,
    QDate,
    QDateEdit,
    QEvent,
    QItemSelectionModel,
    QKeyEvent,
    QLabel,
    QObject,
    Qt,
    QTableWidget,
    QTime,
    QTimeEdit,
    QWidget,
)

OK_COLOUR, ERROR_COLOUR = "#2e7d32", "#c62828"
ROW_HEIGHT = 34
# One day before the earliest validity accepted: the field shows "-", read as "no limit".
NO_DATE = QDate(1999, 12, 31)
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_CLEAR = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_FIELD_EVENTS = (QEvent.Type.FocusIn, QEvent.Type.Wheel, QEvent.Type.KeyPress)


def _tab_leaves(widget: QWidget, event: QEvent) -> bool:
    """Tab or Shift+Tab (without Ctrl or Alt) moves the focus on; True when it did."""
    if event.type() != QEvent.Type.KeyPress:
        return False
    assert isinstance(event, QKeyEvent)
    other = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                 | Qt.KeyboardModifier.AltModifier)
    if event.key() not in _TABS or other:
        return False
    forward = event.key() == Qt.Key.Key_Tab and not (
        event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return QWidget.focusNextPrevChild(widget, forward)


class TimeField(QTimeEdit):
    """A time of day, 24-hour (08:30), in whole minutes."""

    def __init__(self, at: time | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setLocale(ui_locale())
        if at is not None:
            self.set_value(at)

    def value(self) -> time:
        """The time shown."""
        shown = self.time()
        return time(shown.hour(), shown.minute())

    def set_value(self, at: time) -> None:
        """Show ``at``."""
        self.setTime(QTime(at.hour, at.minute))

    def event(self, event: QEvent) -> bool:
        """Tab leaves the field."""
        return _tab_leaves(self, event) or super().event(event)


class OptionalDateField(QDateEdit):
    """A dd/mm/yyyy date that may be left empty (no limit); Delete empties it.

    An empty field shows today while it has the focus, to type over; left untouched it
    is empty again.
    """

    def __init__(self, day: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setLocale(ui_locale())
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("\u2013")
        self.setToolTip(_("Empty: no limit. Delete empties the field."))
        self._placeholder = False  # showing today only because the empty field has focus
        self._internal = False
        self.dateChanged.connect(self._user_changed)
        self.set_value(day)

    def value(self) -> date | None:
        """The date, or None while empty."""
        shown = self.date()
        if shown == NO_DATE or self._placeholder:
            return None
        return date(shown.year(), shown.month(), shown.day())

    def set_value(self, day: date | None) -> None:
        """Show a date (None: empty)."""
        self._placeholder = False
        self._set_quietly(qdate(day) if day else NO_DATE)

    def _set_quietly(self, day: QDate) -> None:
        self._internal = True
        try:
            self.setDate(day)
        finally:
            self._internal = False

    def _user_changed(self, _day: QDate) -> None:
        if not self._internal:
            self._placeholder = False

    def _show_today(self) -> None:
        self._set_quietly(QDate.currentDate())
        self._placeholder = True

    def event(self, event: QEvent) -> bool:
        """Tab leaves; an empty field offers today to type over while it has the focus."""
        if _tab_leaves(self, event):
            return True
        kind = event.type()
        if kind == QEvent.Type.FocusIn and self.date() == NO_DATE:
            self._show_today()
        elif kind == QEvent.Type.FocusOut and self._placeholder:
            # The event is a QFocusEvent (not exported by app.ui.qt): the calendar popup
            # taking the focus does not count as leaving.
            if getattr(event, "reason", lambda: None)() != Qt.FocusReason.PopupFocusReason:
                self._set_quietly(NO_DATE)
                self._placeholder = False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Delete or Backspace empties the field."""
        if event.key() in _CLEAR and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self._show_today()
            return
        super().keyPressEvent(event)


class DateField(QDateEdit):
    """A dd/mm/yyyy date that is always given (a closure's days), with a calendar."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setLocale(ui_locale())
        self.setCalendarPopup(True)
        self.set_value(day)

    def value(self) -> date:
        """The date shown."""
        shown = self.date()
        return date(shown.year(), shown.month(), shown.day())

    def set_value(self, day: date) -> None:
        """Show ``day``."""
        self.setDate(qdate(day))

    def event(self, event: QEvent) -> bool:
        """Tab leaves the field."""
        return _tab_leaves(self, event) or super().event(event)


class FieldTable(QTableWidget):
    """A table whose cells are fields, typed like a form: Tab goes from field to field (in
    the tab order its owner sets), the row of the field with the focus is highlighted, and
    the wheel scrolls the table rather than change a field the pointer happens to be on."""

    def __init__(self, name: str, headers: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take the focus, not the cells
        self.setTabKeyNavigation(False)
        self._last_field: QWidget | None = None

    def add_fields(self, fields: Sequence[QWidget]) -> None:
        """A row at the end holding ``fields``, left to right."""
        number = self.rowCount()
        self.insertRow(number)
        for column, field in enumerate(fields):
            self.setCellWidget(number, column, field)
            # After the view's own filter, so this one runs first: the view would take Tab
            # to close an editor and move to the next cell.
            field.installEventFilter(self)

    def row_of(self, field: QWidget | None) -> int:
        """The row holding ``field`` (-1: none)."""
        for row in range(self.rowCount()):
            if any(self.cellWidget(row, c) is field for c in range(self.columnCount())):
                return row
        return -1

    def field_row(self) -> int:
        """The row of the field that has, or last had, the focus (-1: none)."""
        return self.row_of(self._last_field)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Tab moves to the next field; a field taking the focus highlights its row; the
        wheel over a field without the focus scrolls the table."""
        kind = event.type()
        # The view filters its own scroll bars and viewport too: act on the fields only.
        if kind not in _FIELD_EVENTS or not isinstance(watched, QWidget) \
                or self.row_of(watched) < 0:
            return super().eventFilter(watched, event)
        if kind == QEvent.Type.FocusIn:
            self._last_field = watched
            # Highlighted only: making the row current would move the focus.
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self.selectionModel().select(self.model().index(self.row_of(watched), 0), flags)
        elif kind == QEvent.Type.Wheel and not watched.hasFocus():
            QApplication.sendEvent(self.verticalScrollBar(), event)
            return True
        elif _tab_leaves(self, event):
            return True
        return super().eventFilter(watched, event)


class Feedback(QLabel):
    """The line under a tab that says what was saved, or why the record refused."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.hide()

    def done(self, text: str) -> None:
        """A write went through."""
        self._say(OK_COLOUR, "\u2713 " + text)

    def refused(self, text: str) -> None:
        """The record refused: why, in the person's language."""
        self._say(ERROR_COLOUR, text)

    def clear_message(self) -> None:
        """Nothing to say."""
        self.setText("")
        self.hide()

    def _say(self, colour: str, text: str) -> None:
        self.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
        self.setText(text)
        self.show()

    def failed(self, executor: RunsOperations, exc: BaseException) -> None:
        """An expected refusal shown here; a bug goes to the executor's error report."""
        if isinstance(exc, MedireteError):
            self.refused(exc.user_message())
        else:
            executor.report_error(exc)
