"""The chart's Therapy tab: current therapies, their history, and the prescriptions.

Keyboard first: Ctrl+T new therapy, Ctrl+R repeat the selected therapies, Ctrl+D stop
them (a reason is required), Ctrl+E a lab test or specialist visit, Ctrl+H the history
(every version, stopped therapies and their reasons), Ctrl+P the promemoria of the
selected prescriptions. The shortcuts work while the focus is in the tab. ``show_chart``
fills it; after its own writes the tab reads the chart again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.core.formats import first_upper, format_date
from app.core.i18n import _
from app.records.services.views import Chart, EntryView
from app.records.summary import is_current_therapy
from app.ui.agenda.toolbar import page_action
from app.ui.chart.chart_text import (
    SEPARATOR,
    item_kind_label,
    problem_names,
    status_label,
    valid_esenzioni,
)
from app.ui.chart.prescribe import NewTherapyDialog, PrescriptionDialog
from app.ui.chart.prescribe_fields import priority_name, route_label
from app.ui.chart.promemoria_action import PromemoriaAction
from app.ui.chart.therapy_dialogs import (
    LastPrescription,
    RepeatDialog,
    StopTherapyDialog,
    last_prescriptions,
)
from app.ui.chart.therapy_ops import ReadTherapyChart, ReadTherapyHistory
from app.ui.chart.therapy_table import RowsModel, make_table, select_rows, selected_rows
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAction,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def is_stopped(m: EntryView, today: date) -> bool:
    """Stopped with a reason, or past its end date."""
    return not is_current_therapy(m, today)


def _yes(value: Any) -> str:
    return _("yes") if value else ""


class TherapyView(QWidget):
    """Current therapies above, prescriptions below; actions on the selection."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None, *,
                 may_write: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("therapyView")
        self._executor = executor
        self.may_write = may_write  # False for the nurse: she reads therapy, never prescribes
        self.chart: Chart | None = None
        self._history: tuple[EntryView, ...] = ()
        self._select_therapy: set[str] = set()
        self._select_prescriptions: set[str] = set()
        self.dialog: QDialog | None = None  # the dialog of the last action, while open
        self.therapies = RowsModel(self._therapy_headers(False))
        self.prescriptions = RowsModel([_("Date"), _("Type"), _("Prescription"),
                                        _("Dose or question"), _("Packs"), _("Priority"),
                                        _("Exemption"), _("NRE")])
        self.therapy_table = make_table(self.therapies, "therapyTable", _("Therapies"))
        self.prescription_table = make_table(self.prescriptions, "prescriptionTable",
                                             _("Prescriptions"))
        self.promemoria = PromemoriaAction(executor, self)
        self.promemoria.written.connect(
            lambda path: self._say(_("Promemoria saved: {path}").format(path=path)))
        self.menu_actions: list[QAction] = [
            page_action(self, _("New therapy..."), "Ctrl+T", self.new_therapy),
            page_action(self, _("Repeat"), "Ctrl+R", self.repeat),
            page_action(self, _("Stop..."), "Ctrl+D", self.stop),
            page_action(self, _("Lab test or visit..."), "Ctrl+E", self.new_prescription),
            page_action(self, _("Print promemoria..."), "Ctrl+P", self.print_promemoria),
        ]
        self.history = QCheckBox(_("History (Ctrl+H)"))
        self.history.setObjectName("therapyHistory")
        self.history.toggled.connect(self._history_toggled)
        self.menu_actions.append(page_action(self, _("History"), "Ctrl+H", self.history.toggle))
        self.status = QLabel()
        self.status.setObjectName("therapyStatus")
        self.status.setWordWrap(True)
        self._layout()
        self.therapy_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.setFocusProxy(self.therapy_table)
        self._update_actions()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for action in self.menu_actions[:4]:
            bar.addWidget(self._button(action))
        bar.addWidget(self.history)
        bar.addStretch(1)
        lower_bar = QHBoxLayout()
        title = QLabel(_("Prescriptions"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        lower_bar.addWidget(title)
        lower_bar.addStretch(1)
        lower_bar.addWidget(self._button(self.menu_actions[4]))
        upper = QWidget()
        top = QVBoxLayout(upper)
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(bar)
        top.addWidget(self.therapy_table)
        lower = QWidget()
        bottom = QVBoxLayout(lower)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addLayout(lower_bar)
        bottom.addWidget(self.prescription_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    @staticmethod
    def _button(action: QAction) -> QPushButton:
        """A button for an action, its key written on it (enabled with the action)."""
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button = QPushButton(f"{action.text()} ({keys})")
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        button.setEnabled(action.isEnabled())
        return button

    @staticmethod
    def _therapy_headers(history: bool) -> list[str]:
        headers = [_("Medicine"), _("Dose"), _("Frequency"), _("Route"), _("Long-term"),
                   _("Start"), _("Problem")]
        if history:
            headers += [_("End"), _("Reason for stopping"), _("Version"), _("Recorded on")]
        return headers

    # -- filling ------------------------------------------------------------------------
    @property
    def patient_id(self) -> str | None:
        """Whose therapy the tab shows (None before the first chart)."""
        return self.chart.patient.id if self.chart is not None else None

    def show_chart(self, chart: Chart | None) -> None:
        """Fill the tab from a chart (None: no patient, the tab empties); the history is
        read again when it is shown."""
        if self.chart is not None and (chart is None or self.chart.patient.id != chart.patient.id):
            self._forget_patient()
        self.chart = chart
        self._fill_therapies()
        self._fill_prescriptions()
        if self.history.isChecked() and chart is not None:
            self._read_history()
        self._update_actions()

    def _forget_patient(self) -> None:
        """Another patient, or none: nothing begun for the last one stays open or selected."""
        if self.dialog is not None:
            self.dialog.reject()
        self.promemoria.cancel()
        self._history = ()
        self.therapies.set_rows(None, [])
        self.prescriptions.set_rows(None, [])
        self._select_therapy = set()
        self._select_prescriptions = set()
        self.status.clear()

    def current_therapies(self) -> list[EntryView]:
        """Therapies taken today, long-term ones first."""
        if self.chart is None:
            return []
        today = date.today()
        current = [m for m in self.chart.of("medication") if not is_stopped(m, today)]
        return sorted(current, key=lambda m: (not m.fields.get("chronic"),
                                              str(m.fields.get("name") or "").lower()))

    def _therapy_cells(self, m: EntryView, history: bool) -> list[str]:
        f = m.fields
        names = problem_names(self.chart) if self.chart is not None else {}
        cells = [str(f.get("name") or ""), str(f.get("dosage") or ""),
                 str(f.get("frequency") or ""), route_label(f.get("route")),
                 _yes(f.get("chronic")), format_date(f.get("start_date")),
                 names.get(str(f.get("problem_id") or ""), "")]
        if history:
            version = str(m.version)
            if m.status != "signed":  # entered in error
                version += SEPARATOR + status_label(m.status)
            cells += [format_date(f.get("end_date")), str(f.get("stop_reason") or ""),
                      version, format_date(m.recorded_at)]
        return cells

    def _fill_therapies(self) -> None:
        history = self.history.isChecked()
        # A refresh keeps what was selected (or selects what this tab just wrote).
        keep = self._select_therapy or {m.lineage_id for m in self.selected_therapies()}
        self._select_therapy = set()
        shown = self._history if history else tuple(self.current_therapies())
        self.therapies.set_rows(self._therapy_headers(history),
                                [(self._therapy_cells(m, history), m) for m in shown])
        if not history:
            self._reselect(self.therapy_table, self.therapies, lambda m: m.lineage_id in keep)

    def prescription_rows(self) -> list[EntryView]:
        """The patient's prescriptions, newest first."""
        if self.chart is None:
            return []
        return sorted(self.chart.of("prescription"),
                      key=lambda p: p.fields.get("issued_at") or p.recorded_at, reverse=True)

    def _fill_prescriptions(self) -> None:
        keep = self._select_prescriptions or {p.lineage_id for p in self.selected_prescriptions()}
        self._select_prescriptions = set()
        rows = []
        for p in self.prescription_rows():
            f = p.fields
            kind = f.get("item_kind") or "drug"
            detail = f.get("dosage") if kind == "drug" else f.get("clinical_question")
            rows.append(([format_date(f.get("issued_at") or p.recorded_at),
                          first_upper(item_kind_label(kind)), str(f.get("name") or ""),
                          str(detail or ""),
                          str(f.get("quantity") or "") if kind == "drug" else "",
                          priority_name(f.get("priority")), str(f.get("esenzione_code") or ""),
                          str(f.get("nre") or _("to be issued"))], p))
        self.prescriptions.set_rows(None, rows)
        self._reselect(self.prescription_table, self.prescriptions,
                       lambda p: p.lineage_id in keep)

    @staticmethod
    def _reselect(table: QTableView, model: RowsModel,
                  wanted: Callable[[EntryView], bool]) -> None:
        select_rows(table, [i for i, entry in enumerate(model.entries) if wanted(entry)])

    # -- history ------------------------------------------------------------------------
    def _history_toggled(self, on: bool) -> None:
        if on:
            self._read_history()
        else:
            self._fill_therapies()
        self._update_actions()

    def _read_history(self) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        self._executor.run(ReadTherapyHistory(patient_id),
                           lambda versions: self._on_history(patient_id, versions))

    def _on_history(self, patient_id: str, versions: tuple[EntryView, ...]) -> None:
        if patient_id != self.patient_id:
            return  # an answer for the patient shown before
        self._history = versions
        if self.history.isChecked():
            self._fill_therapies()

    # -- actions ------------------------------------------------------------------------
    def selected_therapies(self) -> list[EntryView]:
        """The current therapies selected (none while the history is shown)."""
        if self.history.isChecked():
            return []
        return [self.therapies.entries[r] for r in selected_rows(self.therapy_table)]

    def selected_prescriptions(self) -> list[EntryView]:
        """The prescriptions selected below."""
        return [self.prescriptions.entries[r] for r in selected_rows(self.prescription_table)]

    def _update_actions(self) -> None:
        has_chart = self.chart is not None
        chosen = bool(self.selected_therapies())
        new, repeat, stop, other, promemoria = self.menu_actions[:5]
        writes = has_chart and self.may_write
        new.setEnabled(writes)
        other.setEnabled(writes)
        promemoria.setEnabled(has_chart and bool(self.prescriptions.entries))
        repeat.setEnabled(writes and chosen)
        stop.setEnabled(writes and chosen)

    def _esenzioni(self) -> list[EntryView]:
        return self.chart.of("esenzione") if self.chart is not None else []

    def _last_prescriptions(self) -> dict[str, LastPrescription]:
        valid = {str(e.fields.get("code")) for e in valid_esenzioni(self.chart, date.today())
                 } if self.chart is not None else set()
        return last_prescriptions(self.prescription_rows(), valid)

    def _problems(self) -> list[EntryView]:
        return self.chart.of("problem") if self.chart is not None else []

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        """A closed dialog goes (none may linger with a patient no longer shown)."""
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.therapy_table.setFocus()

    def new_therapy(self) -> None:
        """Ctrl+T: the new-therapy dialog."""
        if self.patient_id is None or not self.may_write:
            return
        dialog = NewTherapyDialog(self._executor, self.patient_id, self._problems(), self)
        dialog.started.connect(self._on_started)
        self._open(dialog)

    def new_prescription(self, kind: str = "lab") -> None:
        """Ctrl+E: a ricetta for a lab test (``kind`` "lab") or a specialist visit."""
        if self.patient_id is None or not self.may_write:
            return
        dialog = PrescriptionDialog(self._executor, self.patient_id, self._problems(),
                                    self._esenzioni(), self, kind=kind)
        dialog.prescribed.connect(self._on_prescribed)
        self._open(dialog)

    def repeat(self) -> None:
        """Ctrl+R: one prescription for each selected therapy, in one action."""
        chosen = self.selected_therapies()
        if self.patient_id is None or not self.may_write:
            return
        if not chosen:
            self._say(_("Select the therapies to repeat first."))
            return
        dialog = RepeatDialog(self._executor, self.patient_id, chosen, self._esenzioni(), self,
                              last=self._last_prescriptions())
        dialog.repeated.connect(self._on_prescribed)
        self._open(dialog)

    def stop(self) -> None:
        """Ctrl+D: stop the selected therapies (the reason is asked)."""
        chosen = self.selected_therapies()
        if not self.may_write:
            return
        if not chosen:
            self._say(_("Select the therapy to stop first."))
            return
        dialog = StopTherapyDialog(self._executor, chosen, self)
        dialog.stopped.connect(self._on_stopped)
        self._open(dialog)

    def print_promemoria(self) -> None:
        """Ctrl+P: the promemoria PDF of the selected prescriptions."""
        chosen = self.selected_prescriptions()
        if self.chart is None or not chosen:
            self._say(_("Select the prescriptions to print first (below)."))
            return
        self.promemoria.ask_path(self.chart.patient, chosen)

    # -- after a write ------------------------------------------------------------------
    def _on_started(self, lineage_id: str) -> None:
        self._select_therapy = {lineage_id}
        self._say(_("Therapy started."))
        self.reload()

    def _on_prescribed(self, ids: tuple[str, ...]) -> None:
        self._select_prescriptions = set(ids)
        self._say(_("{n} prescription(s) prepared: NRE to be issued. Ctrl+P prints the "
                    "promemoria.").format(n=len(ids)))
        self.reload()

    def _on_stopped(self, lineage_ids: tuple[str, ...]) -> None:
        self._say(_("{n} therapy(ies) stopped.").format(n=len(lineage_ids)))
        self.reload()

    def reload(self) -> None:
        """Read the chart again (after this tab's own writes)."""
        patient_id = self.patient_id
        if patient_id is None:
            return
        self._executor.run(ReadTherapyChart(patient_id),
                           lambda chart: self._on_reloaded(patient_id, chart))

    def _on_reloaded(self, patient_id: str, chart: Chart) -> None:
        if patient_id == self.patient_id:
            self.show_chart(chart)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def texts(self, table: str = "therapies") -> list[str]:
        """The rows of a table as shown, cells joined by " | " (tests, accessibility)."""
        model = self.therapies if table == "therapies" else self.prescriptions
        return [" | ".join(cells) for cells in model.cells]

