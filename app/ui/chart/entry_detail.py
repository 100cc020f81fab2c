"""One entry in detail: its fields as label and value, then every version side by side.

The versions are read through an operation (``records.chart.history``, audited); each
column is a version with its author, date, status and the reason for the correction,
and a value that changed from the version before is highlighted. An ECG recording shows
its lead-II thumbnail and opens in the ECG viewer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from app.core.formats import format_date, format_datetime, format_decimal
from app.core.i18n import _
from app.records.kinds import ENTRY_NAMES
from app.records.services.documents import kind_label as document_kind_label
from app.records.services.views import EntryView, PatientSummary
from app.records.summary import (
    allergy_kind_label,
    criticality_label,
    observation_value,
    problem_status_label,
)
from app.ui.chart.chart_text import (
    NONE_KNOWN,
    Names,
    item_kind_label,
    kind_label,
    priority_label,
    status_label,
    visit_kind_label,
    when_text,
)
from app.ui.ecg.sources import RecordingEcg, is_ecg_recording
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QShowEvent,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)

CHANGED = QColor("#fff1b8")  # a value that differs from the version before
IN_ERROR = QColor("#b00020")


@dataclass(frozen=True)
class ReadEntryHistory:
    """Every version of one entry, oldest first (the read is audited)."""

    kind: str
    lineage_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[EntryView, ...]:
        return tuple(backend.require().chart.history(self.kind, self.lineage_id))


# -- the fields of one version, for the detail dialog ---------------------------------
# Kept out of the detail: digests, links shown through their names, technical codes.
_UNSHOWN = frozenset({"sha256", "mime_type", "size", "care_plan_lineage_id", "encounter_id",
                      "code_system", "medication_id"})


def _field_labels() -> dict[str, str]:
    return {
        "description": _("Description"), "icd9_code": _("Diagnosis code"),
        "icd10im_code": _("ICD-10-IM code"), "clinical_status": _("Status"),
        "onset": _("Onset"), "resolved_on": _("Resolved on"), "qualifier": _("Qualifier"),
        "substance": _("Substance"), "reaction": _("Reaction"), "criticality": _("Criticality"),
        "atc_code": _("ATC code"), "aic_code": _("AIC code"), "name": _("Name"),
        "dosage": _("Dose"), "frequency": _("Frequency"), "route": _("Route"),
        "chronic": _("Long-term"), "start_date": _("Start"), "end_date": _("End"),
        "stop_reason": _("Reason for stopping"), "problem_id": _("Problem"),
        "problem_ids": _("Problems addressed"), "equivalence_group": _("Equivalence group"),
        "quantity": _("Packs"), "esenzione_code": _("Exemption"), "nre": _("NRE"),
        "issued_at": _("Issued on"), "item_kind": _("Prescribed item"), "code": _("Code"),
        "priority": _("Priority"), "clinical_question": _("Clinical question"),
        "display": _("Test"), "value_num": _("Value"), "value_text": _("Result text"),
        "unit": _("Unit"), "effective_at": _("Date of the result"), "source": _("Source"),
        "vaccine_code": _("Vaccine code"), "lot": _("Lot"), "dose_number": _("Dose number"),
        "administered_at": _("Given on"), "site": _("Site"), "title": _("Title"),
        "document_date": _("Date of the document"), "device_kind": _("Device"),
        "device_serial": _("Serial number"), "format": _("Format"),
        "acquired_at": _("Acquired on"), "level": _("Level"), "goals": _("Goals"),
        "case_manager_id": _("Case manager"), "period_months": _("Every (months)"),
        "next_due": _("Next due"), "visit_type": _("Visit type"), "diagnosis": _("Diagnosis"),
        "stay_address": _("Address during the illness"),
        "protocol_number": _("Protocol number"), "relationship": _("Relative"),
        "age_at_onset": _("Age at onset"), "deceased": _("Deceased"), "note": _("Note"),
        "started_at": _("Date of the visit"), "subjective": _("Subjective"),
        "objective": _("Objective"), "assessment": _("Assessment"), "plan": _("Plan"),
        "valid_from": _("Valid from"), "valid_to": _("Valid until"),
    }


def field_keys(fields: Mapping[str, Any]) -> list[str]:
    """The fields the detail shows, in the table's (the record's column) order."""
    return [key for key in fields if key not in _UNSHOWN]


def field_label(kind: str, key: str) -> str:
    """A field's name in the UI language ("Kind" depends on the entry)."""
    if key == "kind":
        return {"allergy": _("Type"), "encounter": _("Visit type"),
                "document": _("Document type"), "certificate": _("Certificate type")
                }.get(kind, _("Type"))
    return _field_labels().get(key, key)


def _coded_field(kind: str, key: str, value: Any) -> str | None:
    """A coded value in words, or None when the field is not coded."""
    coders = {
        ("allergy", "kind"): lambda v: (_("No known allergies") if v == NONE_KNOWN
                                        else allergy_kind_label(v)),
        ("allergy", "criticality"): criticality_label,
        ("encounter", "kind"): visit_kind_label,
        ("document", "kind"): document_kind_label,
        ("problem", "clinical_status"): problem_status_label,
        ("prescription", "item_kind"): item_kind_label,
        ("prescription", "priority"): priority_label,
    }
    coder = coders.get((kind, key))
    return coder(value) if coder else None


def field_value(entry: EntryView, key: str, names: Names) -> str:
    """One field of one version as people read it ("" when empty)."""
    value = entry.fields.get(key)
    if key == "problem_ids":
        return ", ".join(names.problem(p) or p for p in str(value or "").split())
    if value in (None, ""):
        return ""
    coded = _coded_field(entry.kind, key, value)
    if coded is not None:
        return coded
    if key == "problem_id":
        return names.problem(value) or str(value)
    if key == "icd9_code":  # "401.9" alone reads as a decimal number
        return f"ICD-9-CM {value}"
    if key == "case_manager_id":
        return names.user(value) or str(value)
    if key == "value_num" and entry.kind == "observation":
        return observation_value(entry)
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return _number(value) if isinstance(value, int | float) else str(value)


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _number(value: int | float) -> str:
    return format_decimal(value)


def _meta_rows() -> list[tuple[str, str]]:
    return [("status", _("Status")), ("author", _("Author")),
            ("recorded_at", _("Recorded on")), ("reason", _("Reason for the correction"))]


def _meta_value(version: EntryView, key: str, names: Names) -> str:
    if key == "status":
        text = status_label(version.status)
        return f"{text} · {_('hidden')}" if version.hidden else text
    if key == "author":
        return names.user(version.author_id) or version.author_id
    if key == "recorded_at":
        return format_datetime(version.recorded_at)
    return version.correction_reason or ""


class EntryDetailDialog(QDialog):
    """The detail of one entry and its versions; loads the versions when constructed.

    "Amend..." (a visit: back into the editor, with a reason) and "Entered in error..."
    are offered when ``may_correct``; the chart page carries them out.
    """

    amend_requested = Signal(str)  # the newest version's id
    error_requested = Signal(str, str)  # (kind, the newest version's id)

    def __init__(self, executor: RunsOperations, entry: EntryView, names: Names,
                 parent: QWidget | None = None, *, may_correct: bool = False,
                 patient: PatientSummary | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryDetail")
        self.entry = entry
        self.names = names
        self.versions: tuple[EntryView, ...] = (entry,)
        self.setWindowTitle(_("{kind} of {date}").format(
            kind=kind_label(entry.kind), date=when_text(entry)))
        self.fields = QWidget()
        self.fields.setObjectName("entryFields")
        self.form = QFormLayout(self.fields)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        self.table = QTableWidget(self)
        self.table.setObjectName("entryVersions")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        # Rows follow their wrapped text (a visit's SOAP) whenever the columns change width.
        self.table.horizontalHeader().sectionResized.connect(self._fit_rows)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self._versions_box())
        splitter.setSizes([260, 420])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        versioned = entry.kind in ENTRY_NAMES and entry.status == "signed"
        if may_correct and versioned:
            if entry.kind == "encounter":
                amend = buttons.addButton(_("Amend..."), QDialogButtonBox.ButtonRole.ActionRole)
                amend.setObjectName("entryAmend")
                amend.clicked.connect(lambda: self._request(self.amend_requested, entry.id))
            error = buttons.addButton(_("Entered in error..."),
                                      QDialogButtonBox.ButtonRole.ActionRole)
            error.setObjectName("entryInError")
            error.clicked.connect(
                lambda: self._request(self.error_requested, entry.kind, entry.id))
        layout = QVBoxLayout(self)
        self.ecg = self._ecg(executor, patient, layout, buttons)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.resize(860, 720)
        self._show_fields()
        self._show_versions()
        if entry.kind in ENTRY_NAMES:  # exemptions are not versioned entries
            executor.run(ReadEntryHistory(entry.kind, entry.lineage_id), self._loaded)

    def _versions_box(self) -> QWidget:
        """The versions' table under its bold title."""
        versions = QWidget()
        box = QVBoxLayout(versions)
        box.setContentsMargins(0, 0, 0, 0)
        self.versions_title = QLabel(_("Versions"), versions)
        font = self.versions_title.font()
        font.setBold(True)
        self.versions_title.setFont(font)
        box.addWidget(self.versions_title)
        box.addWidget(self.table)
        return versions

    def _ecg(self, executor: RunsOperations, patient: PatientSummary | None,
             layout: QVBoxLayout, buttons: QDialogButtonBox) -> RecordingEcg | None:
        """An ECG's thumbnail above the fields and "Open the tracing..." (None otherwise)."""
        if not is_ecg_recording(self.entry):
            return None
        ecg = RecordingEcg(executor, self.entry, patient, self)
        layout.addWidget(ecg.picture)
        buttons.addButton(ecg.button, QDialogButtonBox.ButtonRole.ActionRole)
        return ecg

    def _request(self, signal: SignalInstance, *args: str) -> None:
        signal.emit(*args)
        self.accept()

    def _show_fields(self) -> None:
        for key in field_keys(self.entry.fields):
            value = field_value(self.entry, key, self.names)
            if not value:
                continue
            label = QLabel(value, self.fields)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(field_label(self.entry.kind, key) + ":", label)

    def _loaded(self, versions: tuple[EntryView, ...]) -> None:
        if versions:
            self.versions = versions
            self._show_versions()

    def _show_versions(self) -> None:
        versions = self.versions
        keys: list[str] = []
        for version in versions:
            keys += [k for k in field_keys(version.fields) if k not in keys]
        meta = _meta_rows()
        table = self.table
        table.clear()
        table.setColumnCount(len(versions))
        table.setRowCount(len(meta) + len(keys))
        table.setHorizontalHeaderLabels([
            _("Version {n}").format(n=v.version) for v in versions])
        table.setVerticalHeaderLabels([label for _key, label in meta]
                                      + [field_label(self.entry.kind, k) for k in keys])
        for column, version in enumerate(versions):
            for row, (key, _label) in enumerate(meta):
                item = QTableWidgetItem(_meta_value(version, key, self.names))
                if key == "status" and version.status != "signed":
                    item.setForeground(QBrush(IN_ERROR))
                table.setItem(row, column, item)
            before = versions[column - 1] if column else None
            for offset, key in enumerate(keys):
                value = field_value(version, key, self.names)
                item = QTableWidgetItem(value)
                if before is not None and value != field_value(before, key, self.names):
                    item.setBackground(QBrush(CHANGED))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(_("Changed from the version before"))
                table.setItem(len(meta) + offset, column, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Fit the rows once the columns have their real width (after the layout)."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_rows)  # dropped if the dialog goes first

    def changed_cells(self) -> list[tuple[str, int]]:
        """(row title, version) of every highlighted value (tests, accessibility)."""
        found = []
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None and item.background().color() == CHANGED:
                    title = self.table.verticalHeaderItem(row).text()
                    found.append((title, self.versions[column].version))
        return found
