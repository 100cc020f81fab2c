"""Vaccinations and family history: both feed the Patient Summary later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import ClassVar

from app.core.formats import format_date
from app.core.i18n import _
from app.records.services.care import RELATIONSHIPS
from app.records.services.views import EntryView
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Vaccines a GP office gives, with the code the Patient Summary will use (ATC J07).
VACCINES = (("J07BB", "Influenza"), ("J07BX03", "COVID-19"), ("J07AL", "Pneumococcus"),
            ("J07BK03", "Herpes zoster"), ("J07AM01", "Tetanus"), ("J07CA", "dT / dTpa"),
            ("J07BM", "HPV"), ("J07BC", "Hepatitis B"), ("J07BD", "MMR"))
SITES = ("Left deltoid", "Right deltoid", "Left thigh", "Right thigh", "Oral", "Nasal")
RELATIVE_LABELS = {"MTH": "Mother", "FTH": "Father", "SIB": "Sibling", "BRO": "Brother",
                   "SIS": "Sister", "CHILD": "Child", "SON": "Son", "DAU": "Daughter",
                   "GRMTH": "Grandmother", "GRFTH": "Grandfather", "AUNT": "Aunt",
                   "UNCLE": "Uncle", "COUSN": "Cousin", "FAMMEMB": "Other relative"}


@dataclass(frozen=True)
class RecordVaccination:
    """A vaccine given (nurse or GP)."""

    patient_id: str
    vaccine_code: str
    name: str
    given_on: date
    lot: str | None
    dose_number: int | None
    site: str | None
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        at = datetime.combine(self.given_on, time(12), tzinfo=UTC)
        return backend.require().clinical.record_vaccination(
            self.patient_id, self.vaccine_code, self.name, at, lot=self.lot,
            dose_number=self.dose_number, site=self.site)


@dataclass(frozen=True)
class AddFamilyHistory:
    """A condition in a blood relative."""

    patient_id: str
    relationship: str
    description: str
    icd9_code: str | None
    age_at_onset: int | None
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        return backend.require().clinical.add_family_history(
            self.patient_id, self.relationship, self.description, icd9_code=self.icd9_code,
            age_at_onset=self.age_at_onset)


def _table(name: str, columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([_(c) for c in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


class VaccinationDialog(QDialog):
    """Vaccine, lot, dose number, site, date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaccinationDialog")
        self.setWindowTitle(_("New vaccination"))
        self.vaccine = QComboBox()
        self.vaccine.setObjectName("vaccine")
        for code, name in VACCINES:
            self.vaccine.addItem(_(name), code)
        self.lot = QLineEdit()
        self.lot.setObjectName("vaccineLot")
        self.dose = QSpinBox()
        self.dose.setObjectName("vaccineDose")
        self.dose.setRange(1, 20)
        self.site = QComboBox()
        self.site.setObjectName("vaccineSite")
        for site in SITES:
            self.site.addItem(_(site), site)
        self.given = QDateEdit(QDate.currentDate())
        self.given.setObjectName("vaccineDate")
        self.given.setDisplayFormat("dd/MM/yyyy")
        self.given.setCalendarPopup(True)
        form = QFormLayout(self)
        form.addRow(_("Vaccine"), self.vaccine)
        form.addRow(_("Lot"), self.lot)
        form.addRow(_("Dose number"), self.dose)
        form.addRow(_("Site"), self.site)
        form.addRow(_("Date"), self.given)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def operation(self, patient_id: str) -> RecordVaccination:
        """The write the dialog describes."""
        given = self.given.date()
        return RecordVaccination(
            patient_id, str(self.vaccine.currentData()), self.vaccine.currentText(),
            date(given.year(), given.month(), given.day()), self.lot.text().strip() or None,
            self.dose.value(), str(self.site.currentData()))


class FamilyHistoryDialog(QDialog):
    """Relative, condition (ICD-9-CM code optional), age at onset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("familyHistoryDialog")
        self.setWindowTitle(_("Family history"))
        self.relative = QComboBox()
        self.relative.setObjectName("relative")
        for code in RELATIONSHIPS:
            self.relative.addItem(_(RELATIVE_LABELS[code]), code)
        self.condition = QLineEdit()
        self.condition.setObjectName("familyCondition")
        self.code = QLineEdit()
        self.code.setObjectName("familyIcd9")
        self.code.setPlaceholderText("ICD-9-CM")
        self.age = QSpinBox()
        self.age.setObjectName("familyAge")
        self.age.setRange(0, 120)
        self.age.setSpecialValueText(_("unknown"))
        form = QFormLayout(self)
        form.addRow(_("Relative"), self.relative)
        form.addRow(_("Condition"), self.condition)
        form.addRow(_("ICD-9-CM code"), self.code)
        form.addRow(_("Age at onset"), self.age)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def operation(self, patient_id: str) -> AddFamilyHistory:
        """The write the dialog describes."""
        return AddFamilyHistory(patient_id, str(self.relative.currentData()),
                                self.condition.text().strip(),
                                self.code.text().strip() or None, self.age.value() or None)


class PreventionView(QWidget):
    """Vaccinations (nurse and GP) above, family history (GP) below."""

    def __init__(self, executor: RunsOperations, gp: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preventionView")
        self._executor = executor
        self._patient_id: str | None = None
        self.vaccinations = _table("vaccinationsTable", ("Vaccine", "Date", "Dose", "Lot",
                                                         "Site"))
        self.family = _table("familyHistoryTable", ("Relative", "Condition", "ICD-9-CM",
                                                    "Age at onset"))
        self.add_vaccination = QPushButton(_("New vaccination..."))
        self.add_vaccination.setObjectName("vaccinationAdd")
        self.add_vaccination.clicked.connect(lambda: self._ask(VaccinationDialog))
        self.add_family = QPushButton(_("Add to family history..."))
        self.add_family.setObjectName("familyHistoryAdd")
        self.add_family.setVisible(gp)
        self.add_family.clicked.connect(lambda: self._ask(FamilyHistoryDialog))
        layout = QVBoxLayout(self)
        for title, button, table in ((_("Vaccinations"), self.add_vaccination, self.vaccinations),
                                     (_("Family history"), self.add_family, self.family)):
            row = QHBoxLayout()
            caption = QLabel(f"<b>{title}</b>")
            row.addWidget(caption)
            row.addStretch(1)
            row.addWidget(button)
            layout.addLayout(row)
            layout.addWidget(table, 1)

    @property
    def patient_id(self) -> str | None:
        """Whose entries are shown."""
        return self._patient_id

    def show_entries(self, patient_id: str | None, vaccinations: Sequence[EntryView],
                     family: Sequence[EntryView]) -> None:
        """Fill both tables."""
        self._patient_id = patient_id
        _fill(self.vaccinations, [
            (v.fields.get("name") or "", format_date(v.fields.get("administered_at")),
             str(v.fields.get("dose_number") or ""), v.fields.get("lot") or "",
             _(v.fields.get("site") or "") if v.fields.get("site") else "")
            for v in vaccinations])
        _fill(self.family, [
            (_(RELATIVE_LABELS.get(f.fields.get("relationship") or "", "Other relative")),
             f.fields.get("description") or "", f.fields.get("icd9_code") or "",
             str(f.fields.get("age_at_onset") or ""))
            for f in family])

    def _ask(self, dialog_type: type[VaccinationDialog] | type[FamilyHistoryDialog]) -> None:
        if self._patient_id is None:
            return
        dialog = dialog_type(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._executor.run(dialog.operation(self._patient_id), lambda _id: None)
