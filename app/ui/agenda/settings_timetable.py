"""The Timetables tab: one clinician's weekly spans, edited as rows and saved as a whole.

Save hands every row to the records layer, which replaces the clinician's timetable or
refuses it (a span ending before it starts, two spans of one day overlapping...): the
refusal is shown under the table and the rows stay as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from functools import partial

from app.core.i18n import _
from app.records.services.agenda_views import ClinicianView, ScheduleSpan
from app.ui.agenda.formats import role_name, weekday_name
from app.ui.agenda.settings_fields import Feedback, FieldTable, OptionalDateField, TimeField
from app.ui.agenda.settings_ops import SaveTimetable
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

MONDAY = date(2024, 1, 1)  # any Monday: the names of the weekdays come from dates
FIRST_SPAN = ScheduleSpan(0, time(8, 0), time(12, 0), 15)


def weekday_label(weekday: int) -> str:
    """Lunedì ... Domenica (Monday ... Sunday) for 0 ... 6."""
    return weekday_name(MONDAY + timedelta(days=weekday))


def clinician_label(clinician: ClinicianView) -> str:
    """Dott.ssa Laura Neri (Medico)."""
    return f"{clinician.full_name} ({role_name(clinician.role)})"


class SpanRow:
    """The fields of one span: weekday, start, end, slot length, validity."""

    def __init__(self, span: ScheduleSpan) -> None:
        self.day = QComboBox()
        for weekday in range(7):
            self.day.addItem(weekday_label(weekday), weekday)
        self.day.setCurrentIndex(span.weekday)
        self.starts = TimeField(span.starts)
        self.ends = TimeField(span.ends)
        self.slot = QSpinBox()
        self.slot.setRange(1, 480)
        self.slot.setSingleStep(5)
        self.slot.setSuffix(" " + _("min"))
        self.slot.setValue(span.slot_minutes)
        self.valid_from = OptionalDateField(span.valid_from)
        self.valid_to = OptionalDateField(span.valid_to)

    def widgets(self) -> tuple[QWidget, ...]:
        """The fields left to right (the table's columns, the tab order)."""
        return (self.day, self.starts, self.ends, self.slot, self.valid_from, self.valid_to)

    def value(self) -> ScheduleSpan:
        """The span as typed (the records layer judges it)."""
        return ScheduleSpan(int(self.day.currentData()), self.starts.value(), self.ends.value(),
                            self.slot.value(), self.valid_from.value(), self.valid_to.value())


class TimetableTab(QWidget):
    """Pick a clinician; their spans as rows; add, remove, save."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timetableTab")
        self._executor = executor
        self.can_write = True
        self.timetables: dict[str, tuple[ScheduleSpan, ...]] = {}
        self.rows: list[SpanRow] = []
        self.shown: ClinicianView | None = None
        self.discard_box: QMessageBox | None = None
        self._busy = False
        self.clinician = QComboBox()
        self.clinician.setObjectName("timetableClinician")
        self.clinician.setMinimumContentsLength(28)
        self.hint = QLabel()
        self.hint.setObjectName("timetableHint")
        self.table = FieldTable("timetableTable", [
            _("Day"), _("Starts"), _("Ends"), _("Slot length"), _("Valid from"),
            _("Valid until")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add span"))
        self.add_button.setObjectName("timetableAdd")
        self.remove_button = QPushButton(_("Remove span"))
        self.remove_button.setObjectName("timetableRemove")
        self.save_button = QPushButton(_("Save timetable"))
        self.save_button.setObjectName("timetableSave")
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        for button in (self.add_button, self.remove_button, self.save_button):
            button.setAutoDefault(False)
        self.feedback = Feedback("timetableMessage")
        self._lay_out()
        self.add_button.clicked.connect(self.add_span)
        self.remove_button.clicked.connect(self.remove_span)
        self.save_button.clicked.connect(self.save)
        self.clinician.currentIndexChanged.connect(self._clinician_chosen)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        who = QLabel(_("Clinician:"))
        who.setBuddy(self.clinician)
        top.addWidget(who)
        top.addWidget(self.clinician)
        top.addWidget(self.hint, 1)
        note = QLabel(_("Saving replaces the clinician's whole weekly timetable; "
                        "appointments already booked stay as they are."))
        note.setObjectName("timetableNote")
        note.setWordWrap(True)
        note.setStyleSheet("QLabel { color: #5d6b75; }")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)

    # -- loading ----------------------------------------------------------------------------
    def load(self, clinicians: Sequence[ClinicianView],
             timetables: dict[str, tuple[ScheduleSpan, ...]], clinician_id: str | None) -> None:
        """Offer these clinicians and show ``clinician_id``'s timetable (else the first)."""
        self.timetables = dict(timetables)
        self.clinician.blockSignals(True)
        self.clinician.clear()
        for clinician in clinicians:
            self.clinician.addItem(clinician_label(clinician), clinician)
        index = next((n for n, c in enumerate(clinicians) if c.id == clinician_id), 0)
        self.clinician.setCurrentIndex(index if clinicians else -1)
        self.clinician.blockSignals(False)
        self._show(clinicians[index] if clinicians else None)

    def _show(self, clinician: ClinicianView | None) -> None:
        self.shown = clinician
        self.table.setRowCount(0)
        self.rows = []
        for span in self.timetables.get(clinician.id, ()) if clinician else ():
            self._append(span)
        self._update()

    def _append(self, span: ScheduleSpan) -> SpanRow:
        row = SpanRow(span)
        for widget in row.widgets():
            widget.setEnabled(self.can_write)
        self.table.add_fields(row.widgets())
        self.rows.append(row)
        return row

    def _update(self) -> None:
        """Buttons, the empty-timetable hint and the tab order, after any change of rows."""
        chain: list[QWidget] = [self.clinician]
        for row in self.rows:
            chain.extend(row.widgets())
        chain += [self.add_button, self.remove_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        has = self.shown is not None
        self.add_button.setEnabled(has and self.can_write and not self._busy)
        self.remove_button.setEnabled(bool(self.rows) and self.can_write and not self._busy)
        self.save_button.setEnabled(has and self.can_write and not self._busy)
        empty = has and not self.rows
        self.hint.setText(_("No timetable: nobody can book this clinician yet.")
                          if empty else "")

    def set_writable(self, writable: bool) -> None:
        """Read only (the admin): the rows are shown, nothing can be changed."""
        self.can_write = writable
        for button in (self.add_button, self.remove_button, self.save_button):
            button.setVisible(writable)
        for row in self.rows:
            for widget in row.widgets():
                widget.setEnabled(writable)
        self._update()

    # -- editing ----------------------------------------------------------------------------
    def add_span(self) -> None:
        """A new row: the day after the last row's, same hours; the first is Monday 8-12."""
        if not self.can_write or self.shown is None:
            return
        last = self.rows[-1].value() if self.rows else None
        span = FIRST_SPAN if last is None else ScheduleSpan(
            (last.weekday + 1) % 7, last.starts, last.ends, last.slot_minutes)
        row = self._append(span)
        self._update()
        self.table.scrollToBottom()
        row.day.setFocus()

    def remove_span(self) -> None:
        """Remove the current row (the one being edited, or selected)."""
        number = self.table.field_row()
        if not self.can_write or not 0 <= number < len(self.rows):
            return
        self.table.removeRow(number)
        del self.rows[number]
        self._update()
        if self.rows:
            self.rows[min(number, len(self.rows) - 1)].day.setFocus()
        else:
            self.add_button.setFocus()

    def spans(self) -> list[ScheduleSpan]:
        """The spans as typed."""
        return [row.value() for row in self.rows]

    def dirty(self) -> bool:
        """Rows changed since the timetable was read or saved."""
        if self.shown is None:
            return False
        return self.spans() != list(self.timetables.get(self.shown.id, ()))

    # -- choosing a clinician -----------------------------------------------------------------
    def _clinician_chosen(self, index: int) -> None:
        chosen = self.clinician.itemData(index)
        if not isinstance(chosen, ClinicianView) or chosen == self.shown:
            return
        if not self.dirty():
            self.feedback.clear_message()
            self._show(chosen)
            return
        self._select_quietly(self.shown)  # the rows shown stay theirs until discarded
        name = self.shown.full_name if self.shown else ""
        box = QMessageBox(QMessageBox.Icon.Question, _("Discard changes?"),
                          _("The changes to the timetable of {name} have not been saved.")
                          .format(name=name), QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("timetableDiscardBox")
        discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(
            lambda button: self._switch(chosen) if button is discard else None)
        self.discard_box = box
        box.open()

    def _select_quietly(self, clinician: ClinicianView | None) -> None:
        combo = self.clinician
        index = next((n for n in range(combo.count()) if combo.itemData(n) == clinician), -1)
        combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _switch(self, clinician: ClinicianView) -> None:
        self._select_quietly(clinician)
        self.feedback.clear_message()
        self._show(clinician)

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        """Replace the shown clinician's timetable with the rows (the record may refuse)."""
        if not self.can_write or self._busy or self.shown is None:
            return
        self._set_busy(True)
        clinician = self.shown
        self._executor.run(SaveTimetable(clinician.id, tuple(self.spans())),
                           partial(self._saved, clinician), self._failed, initiator=self)

    def _saved(self, clinician: ClinicianView, stored: tuple[ScheduleSpan, ...]) -> None:
        self._set_busy(False)
        self.timetables[clinician.id] = stored
        if self.shown == clinician:
            in_rows = any(w.hasFocus() for row in self.rows for w in row.widgets())
            self._show(clinician)  # as stored: by weekday and time
            if in_rows:  # the field with the focus is gone with its row
                self.save_button.setFocus()
        self.feedback.done(_("Timetable of {name} saved").format(name=clinician.full_name))

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.feedback.failed(self._executor, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()
