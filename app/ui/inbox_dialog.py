"""Results in arrival ("Risultati in arrivo"): a clinician accepts, rejects or re-matches them.

Accepting a result files it in a patient's chart: a clinical act, so it has its own
button and shortcut (Alt+A), never Enter, and it acts on the results of one patient at
a time, named in a line under the table that is always in view. Rejecting needs a
reason; a message that names nobody (or the wrong patient) is matched by hand first.
An ECG shows a lead-II thumbnail on its row and opens in the viewer before anyone
accepts it (Alt+E or a double click).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from app.core.formats import display_unit, format_datetime, format_quantity
from app.core.i18n import _
from app.records.changes import Changes
from app.records.services.inbox import InboxItem
from app.records.services.views import PatientSummary
from app.ui.ecg.sources import ROW_THUMBNAIL, InboxEcg
from app.ui.inbox_ops import (
    AcceptResults,
    InboxList,
    InboxRow,
    ListInbox,
    RawMessage,
    RawView,
    RejectResults,
    RematchMessage,
    SearchPatientsForMatch,
)
from app.ui.lanes import Operation
from app.ui.operations import SearchResult
from app.ui.ops import RunsOperations
from app.ui.patient_table import PatientTableModel
from app.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QColor,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFontDatabase,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.search_field import patient_search_field
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex
INBOX_KINDS = frozenset({"device_message", "device_result"})
NORMAL_FLAGS = ("", "N")
WARNING_STYLE = "QLabel { background: #fff3cd; padding: 6px; }"


def _flag(abnormal: str) -> str:
    names = {"H": _("high"), "L": _("low"), "HH": _("very high"), "LL": _("very low"),
             "A": _("abnormal"), "AA": _("very abnormal")}
    return "" if abnormal in NORMAL_FLAGS else names.get(abnormal, abnormal)


def _state(item: InboxItem) -> str:
    if item.state == "rejected":
        return _("rejected: {reason}").format(reason=item.reason or "")
    return {"pending": _("to review"), "accepted": _("accepted")}.get(item.state, item.state)


def _matched_by(how: str | None) -> str:
    return {"codice_fiscale": _("codice fiscale"), "patient_id": _("patient number"),
            "open_chart": _("open chart: check"), "manual": _("by hand")}.get(how or "", "")


def patient_label(row: InboxRow) -> str:
    """The patient a result is matched to, as "Surname Name (CF)", or "to be matched"."""
    item = row.item
    if item.patient_id is None:
        return _("to be matched")
    code = item.codice_fiscale or item.patient_id
    return f"{row.patient_name} ({code})" if row.patient_name else code


def sent_as(item: InboxItem) -> str:
    """Who the device said the result is about (ASTM name parts joined by spaces)."""
    name = " ".join(part for part in item.patient_name.split("^") if part)
    if name and item.patient_identifier:
        return f"{name} ({item.patient_identifier})"
    return name or item.patient_identifier


def value_label(item: InboxItem) -> str:
    """The value with its unit as people write it ("0,72 mg/dL" in Italian)."""
    if item.value_num is not None:
        return format_quantity(item.value_num, item.unit, code=item.code)
    unit = display_unit(item.unit, item.code)
    return " ".join(p for p in (item.value_text or "", unit) if p)


def _test(item: InboxItem) -> str:
    return f"{item.display} ({item.code})" if item.display else item.code


COLUMNS: tuple[tuple[Callable[[], str], Callable[[InboxRow], str]], ...] = (
    (lambda: _("Received"), lambda r: format_datetime(r.item.received_at)),
    (lambda: _("Device"), lambda r: r.item.driver),
    (lambda: _("Patient as sent"), lambda r: sent_as(r.item)),
    (lambda: _("Matched to"), patient_label),
    (lambda: _("Matched by"), lambda r: _matched_by(r.item.matched_by)),
    (lambda: _("Test"), lambda r: _test(r.item)),
    (lambda: _("Value"), lambda r: value_label(r.item)),
    (lambda: _("Flag"), lambda r: _flag(r.item.abnormal)),
    (lambda: _("State"), lambda r: _state(r.item)),
)
MATCHED_COLUMN, TEST_COLUMN, FLAG_COLUMN = 3, 5, 7


class InboxTableModel(QAbstractTableModel):
    """Read-only rows of results, replaced whole at each reload."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[InboxRow, ...] = ()
        self.ecg: InboxEcg | None = None  # gives an ECG's row its thumbnail

    def set_rows(self, rows: tuple[InboxRow, ...]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows (a table has no children)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; out-of-range values and results to be matched in red."""
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ForegroundRole:
            red = (index.column() == FLAG_COLUMN and row.item.abnormal not in NORMAL_FLAGS
                   or index.column() == MATCHED_COLUMN and row.item.patient_id is None)
            return QColor("#b00020") if red else None
        if (role == Qt.ItemDataRole.DecorationRole and index.column() == TEST_COLUMN
                and self.ecg is not None):
            return self.ecg.thumbnail(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]()
        return None


def selection_problem(rows: Sequence[InboxRow]) -> str:
    """Why the selected results cannot be accepted together ("" when they can)."""
    if not rows:
        return _("Select the results to review (arrows, Shift+arrows).")
    if any(r.item.state != "pending" for r in rows):
        return _("Only results still to review can be accepted or rejected.")
    if any(r.item.patient_id is None for r in rows):
        return _("Match the results to a patient first (Alt+M).")
    if len({r.item.patient_id for r in rows}) > 1:
        return _("The selected results belong to different patients: accept one patient "
                 "at a time.")
    return ""


def selection_summary(rows: Sequence[InboxRow]) -> str:
    """The always-visible line that names whose results Accept would file."""
    problem = selection_problem(rows)
    if problem:
        return problem
    patient = patient_label(rows[0])
    text = (_("1 result selected for {patient}").format(patient=patient) if len(rows) == 1
            else _("{count} result(s) selected for {patient}").format(count=len(rows),
                                                                       patient=patient))
    if any(r.item.matched_by == "open_chart" for r in rows):
        text += " - " + _("matched by the chart that was open: check it is the right patient")
    return text


class RawMessageDialog(QDialog):
    """The bytes of one message as received, control characters made visible."""

    def __init__(self, view: RawView, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rawMessage")
        self.setWindowTitle(_("Raw message - {title}").format(title=title))
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        size = _("{size} bytes").format(size=view.size)
        if view.truncated:
            size += " - " + _("only the beginning is shown")
        layout.addWidget(QLabel(size))
        self.text = QPlainTextEdit(view.text)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text)
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


class ReasonDialog(QDialog):
    """Why results are rejected: required, so OK waits for some text."""

    reason_given = Signal(str)

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejectReason")
        self.setWindowTitle(_("Reject results"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Why are these {count} result(s) rejected?").format(
            count=count)))
        self.reason = QLineEdit()
        self.reason.setObjectName("rejectReasonText")
        self.reason.setPlaceholderText(_("e.g. wrong patient, sample repeated"))
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Reject"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Hand the reason over (Enter with an empty reason does nothing)."""
        reason = self.reason.text().strip()
        if reason:
            super().accept()
            self.reason_given.emit(reason)


class PatientPickerDialog(QDialog):
    """Find the patient a message is about: type, arrows, Enter."""

    chosen = Signal(object)  # the PatientSummary picked

    def __init__(self, executor: RunsOperations, sent: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._shown_text = ""  # the text the listed patients were found for
        self._choose_when_found = False
        self._chosen = False
        self.setObjectName("matchPatient")
        self.setWindowTitle(_("Match to a patient"))
        self.resize(640, 400)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The device sent: {patient}").format(
            patient=sent or _("no patient"))))
        self.search, self._debounce = patient_search_field(self, "matchSearch", self.run_search)
        layout.addWidget(self.search)
        self.model = PatientTableModel(self)
        self.table = row_table(self.model, "matchTable")
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self.choose)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Match"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.choose)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def run_search(self) -> None:
        """Look the typed text up (debounced while typing)."""
        self._debounce.stop()
        self._executor.run(SearchPatientsForMatch(self.search.text()), self._on_found)

    def _on_found(self, result: SearchResult) -> None:
        if result.text != self.search.text():
            return  # an answer to a text the user has already changed
        self.model.set_patients(result.patients)
        self._shown_text = result.text
        if result.patients:
            self.table.selectRow(0)
        if self._choose_when_found:
            self._choose_when_found = False
            self.choose()

    def choose(self) -> None:
        """Enter or OK: match to the highlighted patient of the list for the typed text."""
        if self._chosen:
            return  # Enter reaches both the field (or the list) and the OK button
        if self._debounce.isActive() or self._shown_text != self.search.text():
            self._choose_when_found = True  # typed and pressed Enter at once: wait
            self.run_search()
            return
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._chosen = True
            self.accept()
            self.chosen.emit(self.model.patient(rows[0].row()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up/Down in the search field move through the patients found."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.model.rowCount():
                row = self.table.currentIndex().row() + step
                self.table.selectRow(max(0, min(row, self.model.rowCount() - 1)))
                return True
        return super().eventFilter(watched, event)


class InboxDialog(QDialog):
    """The results inbox: a non-modal window over the main window."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._ticket = 0  # answers to an older list request are dropped
        self._busy = False  # a decision is being written: no second one meanwhile
        self._keep: set[str] = set()  # result ids to select again after a reload
        self.setObjectName("inboxDialog")
        self.setWindowTitle(_("Results inbox"))
        self.setModal(False)
        self.resize(1100, 560)
        self.model = InboxTableModel(self)
        self.ecg = self.model.ecg = InboxEcg(executor, self)
        self.ecg.thumbnails.loaded.connect(self._thumbnails_loaded)
        self.table = self._make_table()
        self.summary = QLabel()
        self.summary.setObjectName("inboxSelection")
        self.summary.setWordWrap(True)
        self.status = QLabel()  # what the last decision did
        self.status.setObjectName("inboxStatus")
        self.count = QLabel()
        self.count.setObjectName("inboxCount")
        self.show_all = QCheckBox(_("Show accepted and rejected too (Alt+T)"))
        self.show_all.setShortcut(QKeySequence("Alt+T"))
        self.show_all.toggled.connect(self.reload)
        self.accept_button = self._button(_("Accept (Alt+A)"), "Alt+A", self.accept_selected)
        self.reject_button = self._button(_("Reject (Alt+R, Del)"), "Alt+R",
                                          self.reject_selected)
        self.match_button = self._button(_("Match to a patient (Alt+M)"), "Alt+M",
                                         self.match_selected)
        self.raw_button = self._button(_("Raw message (Alt+V)"), "Alt+V", self.view_raw)
        self.ecg_button = self._button(_("ECG tracing (Alt+E)"), "Alt+E", self.view_ecg)
        self.ecg_button.setObjectName("inboxEcg")
        close = self._button(_("Close"), "", self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self, self.reject_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.match_button,
                       self.raw_button, self.ecg_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_all)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.count)
        layout.addLayout(footer)
        executor.changed.connect(self._on_changed)
        self._update_actions()
        self.reload()

    def _button(self, text: str, shortcut: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        # No button is a default: Enter in the table must never accept anything.
        button.setAutoDefault(False)
        button.setDefault(False)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
        button.clicked.connect(slot)
        return button

    def _make_table(self) -> QTableView:
        table = row_table(self.model, "inboxTable",
                          selection=QAbstractItemView.SelectionMode.ExtendedSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The two patient columns share what is left (their text elided): every column,
        # the state included, stays in view without a horizontal scroll.
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.selectionModel().selectionChanged.connect(self._update_actions)
        table.doubleClicked.connect(lambda _index: self.view_ecg())
        table.setIconSize(ROW_THUMBNAIL)
        return table

    # -- the list ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Ask for the list again (pending results, or all with the box ticked)."""
        self._ticket += 1
        state = None if self.show_all.isChecked() else "pending"
        self._executor.run(ListInbox(state), partial(self._on_list, self._ticket))

    def _on_list(self, ticket: int, result: InboxList) -> None:
        if ticket != self._ticket:
            return  # an older request answered late
        self.model.set_rows(result.rows)
        self._select_ids(self._keep)
        self._keep = set()
        self.count.setText(_("{count} result(s) shown").format(count=len(result.rows)))
        self._update_actions()
        self.ecg.rows_shown(result.rows)

    def _thumbnails_loaded(self) -> None:
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, TEST_COLUMN), self.model.index(
                len(self.model.rows) - 1, TEST_COLUMN), [Qt.ItemDataRole.DecorationRole])

    def _select_ids(self, ids: set[str]) -> None:
        selection = self.table.selectionModel()
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        for number, row in enumerate(self.model.rows):
            if row.item.id in ids:
                selection.select(self.model.index(number, 0), flags)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        """A device or a colleague changed the inbox: reload, keeping the selection.

        A closed inbox reads nothing: ``show_inbox`` reloads it when it is opened again.
        """
        if initiator is not self and self.isVisible() and changes.touches(INBOX_KINDS):
            self._keep = {row.item.id for row in self.selected()}
            self.reload()

    def selected(self) -> list[InboxRow]:
        """The selected results, top to bottom."""
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[n] for n in numbers]

    def _update_actions(self) -> None:
        rows = self.selected()
        pending = bool(rows) and all(r.item.state == "pending" for r in rows)
        one_message = len({r.item.message_id for r in rows}) == 1
        idle = not self._busy
        self.accept_button.setEnabled(idle and not selection_problem(rows))
        self.reject_button.setEnabled(idle and pending)
        self.match_button.setEnabled(idle and pending and one_message)
        self.raw_button.setEnabled(one_message)
        self.ecg_button.setEnabled(self.ecg.can_open(rows))
        self.summary.setText(selection_summary(rows))
        warn = any(r.item.matched_by == "open_chart" for r in rows)
        self.summary.setStyleSheet(WARNING_STYLE if warn else "")

    # -- decisions: gather the selection, start an operation -----------------------------------
    def accept_selected(self) -> None:
        """Alt+A: file the selected results (one patient's) in that patient's chart."""
        rows = self.selected()
        if self._busy or selection_problem(rows):
            return
        ids = tuple(r.item.id for r in rows)
        done = _("{count} result(s) accepted into the chart of {patient}").format(
            count=len(rows), patient=patient_label(rows[0]))
        self._write(AcceptResults(ids), done)

    def reject_selected(self) -> None:
        """Alt+R or Del: reject the selected results, with a reason."""
        rows = self.selected()
        if self._busy or not self.reject_button.isEnabled():
            return
        ids = tuple(r.item.id for r in rows)
        self.reason_dialog = ReasonDialog(len(ids), self)
        self.reason_dialog.reason_given.connect(partial(self._reject, ids))
        self.reason_dialog.open()

    def _reject(self, ids: tuple[str, ...], reason: str) -> None:
        done = _("{count} result(s) rejected").format(count=len(ids))
        self._write(RejectResults(ids, reason), done)

    def match_selected(self) -> None:
        """Alt+M: choose the patient every pending result of the selected message is about."""
        rows = self.selected()
        if self._busy or not self.match_button.isEnabled():
            return
        item = rows[0].item
        self.picker = PatientPickerDialog(self._executor, sent_as(item), self)
        self.picker.chosen.connect(partial(self._rematch, item.message_id))
        self.picker.open()

    def _rematch(self, message_id: str, patient: PatientSummary) -> None:
        name = f"{patient.surname} {patient.given_name} ({patient.codice_fiscale})"
        done = _("Results matched to {patient}").format(patient=name)
        self._write(RematchMessage(message_id, patient.id), done)

    def _write(self, op: Operation[Any], done: str) -> None:
        self._busy = True
        self._update_actions()
        self._executor.run(op, partial(self._written, done), self._write_failed,
                           initiator=self)

    def _written(self, done: str, _result: object) -> None:
        self._busy = False
        self.table.clearSelection()  # a decision never carries over to other rows
        self.status.setText(done)
        self.reload()

    def _write_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_actions()
        self.reload()  # someone else may have decided first: show what the record holds
        self._executor.report_error(exc)

    def view_raw(self) -> None:
        """Alt+V: the selected message's bytes as received."""
        rows = self.selected()
        if len({r.item.message_id for r in rows}) != 1:
            return
        item = rows[0].item
        title = f"{item.driver} - {COLUMNS[0][1](rows[0])}"
        self._executor.run(RawMessage(item.message_id), partial(self._show_raw, title))

    def _show_raw(self, title: str, view: RawView) -> None:
        self.raw_dialog = RawMessageDialog(view, title, self)
        self.raw_dialog.show()

    def view_ecg(self) -> None:
        """Alt+E or a double click on an ECG: its tracing, before accepting it."""
        self.ecg.open(self.selected())


def show_inbox(executor: RunsOperations, current: InboxDialog | None,
               parent: QWidget | None = None) -> InboxDialog:
    """Bring the inbox forward (creating it the first time) and reload it."""
    if current is None:
        dialog = InboxDialog(executor, parent)
        dialog.show()
    else:  # already made: bring it forward, with what arrived meanwhile
        dialog = current
        dialog.reload()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
    dialog.table.setFocus()
    return dialog
