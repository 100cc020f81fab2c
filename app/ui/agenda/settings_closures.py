"""The Closures tab: holidays of the whole center and leave of one clinician.

The list shows the closures touching the next twelve months; a new one is added from
the form under it (the records layer refuses one ending before it starts, or without a
description), and the selected one is removed after a question.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.i18n import _
from app.records.agenda_time import local_today
from app.records.services.agenda_views import ClinicianView, ClosureView
from app.ui.agenda.formats import date_text, short_weekday
from app.ui.agenda.settings_fields import DateField, Feedback
from app.ui.agenda.settings_ops import AddClosure, RemoveClosure
from app.ui.agenda.settings_timetable import clinician_label
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

DESCRIPTION_MAX = 120


def day_text(day: date) -> str:
    """Lun 22/12/2026."""
    return f"{short_weekday(day)} {date_text(day)}"


class ClosuresTab(QWidget):
    """The closures of the next twelve months; add one, remove the selected one."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closuresTab")
        self._executor = executor
        self.can_write = True
        self.closures: tuple[ClosureView, ...] = ()
        self.names: dict[str, str] = {}
        self.confirm_box: QMessageBox | None = None
        self._busy = False
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("closuresTable")
        self.table.setHorizontalHeaderLabels([_("Who"), _("From"), _("To"), _("Description")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.remove_button = QPushButton(_("Remove closure"))
        self.remove_button.setObjectName("closuresRemove")
        self.remove_button.setToolTip(_("Remove the selected closure (Del)"))
        self.who = QComboBox()
        self.who.setObjectName("closureWho")
        today = local_today()
        self.starts = DateField(today)
        self.starts.setObjectName("closureFrom")
        self.ends = DateField(today)
        self.ends.setObjectName("closureTo")
        self.description = QLineEdit()
        self.description.setObjectName("closureDescription")
        self.description.setMaxLength(DESCRIPTION_MAX)
        self.description.setPlaceholderText(_("e.g. Christmas holidays, leave, training"))
        self.add_button = QPushButton(_("Add closure"))
        self.add_button.setObjectName("closuresAdd")
        self.add_button.setToolTip(_("Add the closure (Enter in the description, Ctrl+S)"))
        for button in (self.remove_button, self.add_button):
            button.setAutoDefault(False)
        self.feedback = Feedback("closuresMessage")
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        caption = QLabel(_("Closures of the next 12 months"))
        caption.setStyleSheet("QLabel { font-weight: bold; }")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        self.form_box = QGroupBox(_("New closure"))
        form = QFormLayout(self.form_box)
        form.addRow(_("Who:"), self.who)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(_("from")))
        dates.addWidget(self.starts)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.ends)
        dates.addStretch(1)
        form.addRow(_("Days:"), dates)
        form.addRow(_("Description:"), self.description)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        form.addRow(add_row)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.form_box)
        layout.addWidget(self.feedback)
        chain: tuple[QWidget, ...] = (self.table, self.remove_button, self.who, self.starts,
                                      self.ends, self.description, self.add_button)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_button.clicked.connect(self.save)
        self.description.returnPressed.connect(self.save)
        self.starts.dateChanged.connect(self._starts_changed)
        self.table.itemSelectionChanged.connect(self._update)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                           self.remove_selected)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)

    def load(self, clinicians: Sequence[ClinicianView], closures: Sequence[ClosureView]) -> None:
        """The clinicians a closure may be for, and the closures of the next months."""
        self.names = {c.id: c.full_name for c in clinicians}
        self.who.clear()
        self.who.addItem(_("Whole center"), None)
        for clinician in clinicians:
            self.who.addItem(clinician_label(clinician), clinician.id)
        self._list(tuple(closures))

    def _list(self, closures: tuple[ClosureView, ...], select: str | None = None) -> None:
        self.closures = closures
        self.table.setRowCount(len(closures))
        for number, closure in enumerate(closures):
            who = (_("Whole center") if closure.clinician_id is None
                   else self.names.get(closure.clinician_id, "\u2013"))
            texts = (who, day_text(closure.starts_on), day_text(closure.ends_on),
                     closure.description)
            for column, text in enumerate(texts):
                self.table.setItem(number, column, QTableWidgetItem(text))
            if closure.id == select:
                self.table.selectRow(number)
        self._update()

    def _update(self) -> None:
        selected = self.table.currentRow() >= 0 and bool(self.table.selectedItems())
        self.remove_button.setEnabled(self.can_write and selected and not self._busy)
        self.add_button.setEnabled(self.can_write and not self._busy)

    def set_writable(self, writable: bool) -> None:
        """Read only (the admin): the list without the form."""
        self.can_write = writable
        self.remove_button.setVisible(writable)
        self.form_box.setVisible(writable)
        self._update()

    def _starts_changed(self) -> None:
        if self.ends.value() < self.starts.value():  # a one-day closure, to lengthen
            self.ends.set_value(self.starts.value())

    def selected(self) -> ClosureView | None:
        """The closure of the selected row."""
        number = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= number < len(self.closures):
            return None
        return self.closures[number]

    def dirty(self) -> bool:
        """A description typed and not added yet."""
        return bool(self.description.text().strip())

    # -- writes -----------------------------------------------------------------------------
    def save(self) -> None:
        """Add the closure of the form (the record may refuse it)."""
        if not self.can_write or self._busy:
            return
        op = AddClosure(self.who.currentData(), self.starts.value(), self.ends.value(),
                        self.description.text())
        self._set_busy(True)
        self._executor.run(op, self._added, self._failed, initiator=self)

    def _added(self, result: tuple[str, tuple[ClosureView, ...]]) -> None:
        self._set_busy(False)
        closure_id, closures = result
        self._list(closures, select=closure_id)
        self.description.clear()
        self.feedback.done(_("Closure added"))

    def remove_selected(self) -> None:
        """Ask, then open the selected closure's days to bookings again."""
        closure = self.selected()
        if not self.can_write or self._busy or closure is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove closure"),
                          _("Open the days of \u201c{description}\u201d ({start} \u2013 {end}) "
                            "to bookings again?").format(
                              description=closure.description,
                              start=date_text(closure.starts_on), end=date_text(closure.ends_on)),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closureRemoveBox")
        self.confirm_button = box.addButton(_("Remove closure"),
                                            QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(
            lambda button: self._remove(closure) if button is self.confirm_button else None)
        self.confirm_box = box
        box.open()

    def _remove(self, closure: ClosureView) -> None:
        self._set_busy(True)
        self._executor.run(RemoveClosure(closure.id), self._removed, self._failed,
                           initiator=self)

    def _removed(self, closures: tuple[ClosureView, ...]) -> None:
        self._set_busy(False)
        self._list(closures)
        self.feedback.done(_("Closure removed"))
        self.table.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.feedback.failed(self._executor, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()
