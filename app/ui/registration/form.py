"""The fields of the registration form, in sections, and the values they hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.i18n import _
from app.records.codes.health_authorities import authority_name, health_authorities
from app.records.demographics import DEMOGRAPHIC_FIELDS, valid_email
from app.records.services.views import UserView
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.registration.cf_widget import ERROR_COLOUR, CodiceFiscaleField
from app.ui.registration.date_field import BirthDateEdit
from app.ui.registration.labels import field_labels
from app.ui.registration.place_field import BirthplaceField

LINE_FIELDS = ("surname", "given_name", "tessera_sanitaria", "residence_address",
               "residence_city", "residence_postcode", "domicile_address", "domicile_city",
               "domicile_postcode", "phone", "mobile", "email", "ats_code")
DOMICILE = ("domicile_address", "domicile_city", "domicile_postcode")
CONSENTS = ("dossier", "oscuramento")
_MAX_LENGTH = {"residence_postcode": 5, "domicile_postcode": 5, "ats_code": 6,
               "tessera_sanitaria": 24, "surname": 80, "given_name": 80}


def _tri_state(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(_("Not recorded"), None)
    combo.addItem(_("Yes"), True)
    combo.addItem(_("No"), False)
    return combo


def _group(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return box, form


class PatientForm(QWidget):
    """Identity, codice fiscale, addresses, contacts, GP, ATS and consents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: dict[str, QLineEdit] = {}
        for name in LINE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            if name in _MAX_LENGTH:
                edit.setMaxLength(_MAX_LENGTH[name])
            self.lines[name] = edit
        self.lines["ats_code"].setPlaceholderText("030321")
        self._ats_rows()
        self.lines["email"].textChanged.connect(self._check_email)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem("", None)
        self.sex.addItem(_("Male"), "M")
        self.sex.addItem(_("Female"), "F")
        self.birth_date = BirthDateEdit()
        self.birth_place = BirthplaceField()
        self.codice_fiscale = CodiceFiscaleField()
        self.same_domicile = QCheckBox(_("Same as residence"))
        self.same_domicile.setObjectName("sameDomicile")
        self.same_domicile.toggled.connect(self._domicile_toggled)
        self.email_hint = QLabel()
        self.email_hint.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.email_hint.hide()
        self.gp = QComboBox()
        self.gp.setObjectName("gp")
        self.gp.addItem(_("— none —"), None)
        self.consents = {kind: _tri_state(f"consent_{kind}") for kind in CONSENTS}
        self._lay_out()

    def _lay_out(self) -> None:
        labels = field_labels()
        identity, form = _group(_("Identity"))
        form.addRow(labels["surname"], self.lines["surname"])
        form.addRow(labels["given_name"], self.lines["given_name"])
        form.addRow(labels["sex"], self.sex)
        form.addRow(labels["birth_date"], self.birth_date)
        form.addRow(labels["birth_place"], self.birth_place)
        code, form = _group(_("Codice fiscale and health card"))
        form.addRow(labels["codice_fiscale"], self.codice_fiscale)
        form.addRow(labels["tessera_sanitaria"], self.lines["tessera_sanitaria"])
        residence, form = _group(_("Residence"))
        self._address_rows(form, "residence")
        domicile, form = _group(_("Domicile"))
        form.addRow(self.same_domicile)
        self._address_rows(form, "domicile")
        contacts, form = _group(_("Contacts"))
        form.addRow(labels["phone"], self.lines["phone"])
        form.addRow(labels["mobile"], self.lines["mobile"])
        form.addRow(labels["email"], self.lines["email"])
        form.addRow("", self.email_hint)
        care, form = _group(_("GP of choice, ATS and consents"))
        form.addRow(labels["gp_id"], self.gp)
        form.addRow(labels["ats_code"], self.lines["ats_code"])
        form.addRow("", self.ats_name)
        form.addRow(_("Shared dossier"), self.consents["dossier"])
        self.consents["dossier"].setToolTip(_(
            "Consent to the dossier sanitario: the record shared by the center's clinicians"))
        form.addRow(_("Oscuramento"), self.consents["oscuramento"])
        self.consents["oscuramento"].setToolTip(_(
            "The patient asks that items he or she chooses be hidden from the colleagues"))
        note = QLabel(_("Exemptions (esenzioni) are recorded by the doctor in the clinical "
                        "record."))
        note.setObjectName("exemptionsNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #607d8b;")
        form.addRow(note)
        left, right = QVBoxLayout(), QVBoxLayout()
        for box in (identity, code, contacts):
            left.addWidget(box)
        left.addStretch(1)
        for box in (residence, domicile, care):
            right.addWidget(box)
        right.addStretch(1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

    def _address_rows(self, form: QFormLayout, kind: str) -> None:
        form.addRow(_("Address"), self.lines[f"{kind}_address"])
        city = QHBoxLayout()
        city.addWidget(self.lines[f"{kind}_city"], 1)
        city.addWidget(QLabel(_("Postcode")))
        postcode = self.lines[f"{kind}_postcode"]
        postcode.setMaximumWidth(80)
        city.addWidget(postcode)
        form.addRow(_("City"), city)

    def tab_chain(self) -> list[QWidget]:
        """The fields in the order Tab visits them."""
        lines = self.lines
        return [lines["surname"], lines["given_name"], self.sex, self.birth_date,
                self.birth_place.edit, self.birth_place.suppressed, self.codice_fiscale.edit,
                self.codice_fiscale.calculate, lines["tessera_sanitaria"], lines["phone"],
                lines["mobile"], lines["email"], lines["residence_address"],
                lines["residence_city"], lines["residence_postcode"], self.same_domicile,
                lines["domicile_address"], lines["domicile_city"], lines["domicile_postcode"],
                self.gp, lines["ats_code"], self.consents["dossier"],
                self.consents["oscuramento"]]

    def _ats_rows(self) -> None:
        """The ASL/ATS field completes on code or name (the six-digit field keeps the code)
        and names the authority under it."""
        field = self.lines["ats_code"]
        entries = [f"{code} {name}" for code, name in health_authorities().items()]
        completer = QCompleter(entries, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        field.setCompleter(completer)
        self.ats_name = QLabel()
        self.ats_name.setObjectName("atsName")
        field.textChanged.connect(self._show_ats_name)

    def _show_ats_name(self, text: str) -> None:
        code = text.strip()
        name = authority_name(code) if len(code) == 6 else None
        self.ats_name.setText(name or (_("Unknown ASL/ATS code") if len(code) == 6 else ""))

    # -- values ------------------------------------------------------------------------------
    def _check_email(self, text: str) -> None:
        bad = bool(text.strip()) and not valid_email(text)
        self.email_hint.setText(_("Not a valid email address") if bad else "")
        self.email_hint.setVisible(bad)

    def _domicile_toggled(self, same: bool) -> None:
        for name in DOMICILE:
            self.lines[name].setEnabled(not same)
            if same:
                self.lines[name].clear()

    def set_gps(self, gps: tuple[UserView, ...], current: str | None) -> None:
        """The GPs a patient may choose; ``current`` selected."""
        for gp in gps:
            label = gp.full_name if gp.active else _("{name} (no longer active)").format(
                name=gp.full_name)
            self.gp.addItem(label, gp.id)
        self.gp.setCurrentIndex(max(0, self.gp.findData(current)))

    def birth(self) -> date | None:
        """The birth date, None while not given."""
        return self.birth_date.value()

    def values(self) -> dict[str, Any]:
        """Every demographic field as typed (empty text as None)."""
        out: dict[str, Any] = {n: (" ".join(e.text().split()) or None)
                               for n, e in self.lines.items()}
        out |= {
            "sex": self.sex.currentData(),
            "birth_date": self.birth(),
            "birth_place": self.birth_place.name() or None,
            "birth_province": self.birth_place.province_code(),
            "codice_fiscale": self.codice_fiscale.text() or None,
            "gp_id": self.gp.currentData(),
        }
        return {name: out.get(name) for name in DEMOGRAPHIC_FIELDS}

    def consent_values(self) -> dict[str, bool | None]:
        """Dossier and oscuramento: True, False or None (not recorded)."""
        return {kind: combo.currentData() for kind, combo in self.consents.items()}

    def load(self, fields: dict[str, Any], consents: dict[str, bool]) -> None:
        """Show a stored anagrafica and its consents."""
        for name, edit in self.lines.items():
            edit.setText(str(fields.get(name) or ""))
        self.sex.setCurrentIndex(max(0, self.sex.findData(fields.get("sex"))))
        born = fields.get("birth_date")
        self.birth_date.set_value(born if isinstance(born, date) else None)
        self.birth_place.load(str(fields.get("birth_place") or ""),
                              fields.get("birth_place_code"), fields.get("birth_province"))
        self.codice_fiscale.edit.setText(str(fields.get("codice_fiscale") or ""))
        self.same_domicile.setChecked(not any(fields.get(n) for n in DOMICILE))
        self.load_consents(consents)

    def load_consents(self, consents: dict[str, bool]) -> None:
        """Select the recorded decisions."""
        for kind, combo in self.consents.items():
            combo.setCurrentIndex(max(0, combo.findData(consents.get(kind))))
