"""Read-only panels for one patient: the chart summary (clinicians) and the anagrafica."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from html import escape
from typing import Any

from app.core.i18n import _
from app.records.services.views import EntryView, PatientDetails, PatientSummary
from app.records.summary import ChartSummary
from app.ui.patient_table import format_date
from app.ui.qt import QTextBrowser, QWidget

STYLE = """
<style>
h2 { margin: 0 0 2px 0; }
h3 { margin: 14px 0 4px 0; color: #37474f; }
.sub { color: #607d8b; }
.allergy { color: #b00020; font-weight: bold; }
.none { color: #78909c; font-style: italic; }
td { padding: 2px 14px 2px 0; vertical-align: top; }
td.k { color: #607d8b; }
</style>
"""


def age_on(born: date, today: date) -> int:
    """Completed years."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _header(patient: PatientSummary, today: date) -> str:
    name = f"{escape(patient.surname.upper())} {escape(patient.given_name)}"
    facts = _("{sex}, born {date} ({age} years)").format(
        sex=escape(patient.sex), date=format_date(patient.birth_date),
        age=age_on(patient.birth_date, today))
    return (f"<h2>{name}</h2><div class='sub'>{escape(facts)} &middot; "
            f"{escape(patient.codice_fiscale)}</div>")


def _section(title: str, entries: Iterable[EntryView], line: Callable[[EntryView], str],
             css: str = "") -> str:
    items = [f"<li class='{css}'>{line(e)}</li>" for e in entries]
    body = f"<ul>{''.join(items)}</ul>" if items else f"<p class='none'>{_('None recorded')}</p>"
    return f"<h3>{escape(title)}</h3>{body}"


def _join(*parts: Any) -> str:
    return " &middot; ".join(escape(str(p)) for p in parts if p not in (None, ""))


def _allergy(e: EntryView) -> str:
    f = e.fields
    kind = _("intolerance") if f.get("kind") == "intolerance" else _("allergy")
    return _join(f.get("substance"), kind, f.get("reaction"), f.get("criticality"))


def _problem(e: EntryView) -> str:
    f = e.fields
    status = _("chronic") if f.get("clinical_status") == "chronic" else _("active")
    onset = _("since {date}").format(date=format_date(f["onset"])) if f.get("onset") else ""
    return _join(f.get("description"), f"ICD-9-CM {f.get('icd9_code')}", status, onset)


def _medication(e: EntryView) -> str:
    f = e.fields
    chronic = _("long-term") if f.get("chronic") else ""
    return _join(f.get("name"), f.get("dosage"), chronic, f"ATC {f.get('atc_code')}")


def _observation(e: EntryView) -> str:
    f = e.fields
    value = f.get("value_num")
    shown = f"{value:g}" if isinstance(value, float) else (f.get("value_text") or "")
    when = f.get("effective_at")
    return _join(f.get("display") or f.get("code"), f"{shown} {f.get('unit') or ''}".strip(),
                 format_date(when.date()) if when else "")


def _relationships() -> dict[str, str]:
    return {
        "MTH": _("mother"), "FTH": _("father"), "SIB": _("sibling"), "BRO": _("brother"),
        "SIS": _("sister"), "CHILD": _("child"), "SON": _("son"), "DAU": _("daughter"),
        "GRMTH": _("grandmother"), "GRFTH": _("grandfather"), "AUNT": _("aunt"),
        "UNCLE": _("uncle"), "COUSN": _("cousin"), "FAMMEMB": _("relative"),
    }


def _family(e: EntryView) -> str:
    f = e.fields
    who = _relationships().get(str(f.get("relationship")), str(f.get("relationship")))
    onset = f.get("age_at_onset")
    age = _("from age {age}").format(age=onset) if onset is not None else ""
    code = f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else ""
    return _join(who, f.get("description"), code, age)


def _esenzione(e: EntryView) -> str:
    f = e.fields
    return _join(f.get("code"), f.get("description"))


def chart_html(summary: ChartSummary, today: date) -> str:
    """The chart summary page: allergies first."""
    return "".join([
        STYLE,
        _header(summary.patient, today),
        _section(_("Allergies and intolerances"), summary.allergies, _allergy, "allergy"),
        _section(_("Active problems"), summary.problems, _problem),
        _section(_("Current therapy"), summary.therapy, _medication),
        _section(_("Latest results"), summary.observations, _observation),
        _section(_("Exemptions"), summary.esenzioni, _esenzione),
        _section(_("Family history"), summary.family_history, _family),
    ])


def _field_labels() -> tuple[tuple[str, str], ...]:
    return (
        ("codice_fiscale", _("Codice fiscale")),
        ("tessera_sanitaria", _("Health card")),
        ("birth_place", _("Place of birth")),
        ("residence_address", _("Address")),
        ("residence_postcode", _("Postcode")),
        ("residence_city", _("City")),
        ("domicile_address", _("Domicile")),
        ("phone", _("Phone")),
        ("mobile", _("Mobile")),
        ("email", _("Email")),
        ("ats_code", _("ATS/ASL")),
    )


def demographics_html(details: PatientDetails, today: date, clinical_hidden: bool) -> str:
    """The anagrafica page; says plainly when the role cannot see clinical content."""
    rows = "".join(
        f"<tr><td class='k'>{escape(label)}</td><td>{escape(str(details.fields.get(key) or ''))}"
        "</td></tr>"
        for key, label in _field_labels()
    )
    note = (f"<p class='none'>{escape(_('Clinical content is not available to your role.'))}</p>"
            if clinical_hidden else "")
    return f"{STYLE}{_header(details.summary, today)}<h3>{escape(_('Demographics'))}</h3>" \
           f"<table>{rows}</table>{note}"


class PatientPanel(QTextBrowser):
    """One read-only page about the selected patient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setObjectName("patientPanel")
        self.kind = "empty"
        self.show_hint()

    def show_hint(self) -> None:
        """Nothing opened yet."""
        self.kind = "empty"
        self.setHtml(f"{STYLE}<p class='none'>"
                     f"{escape(_('Find a patient and press Enter to open them.'))}</p>")

    def show_chart(self, summary: ChartSummary) -> None:
        """A clinician's summary."""
        self.kind = "chart"
        self.setHtml(chart_html(summary, date.today()))

    def show_demographics(self, details: PatientDetails, clinical_hidden: bool) -> None:
        """The anagrafica."""
        self.kind = "demographics"
        self.setHtml(demographics_html(details, date.today(), clinical_hidden))
