"""Read-only panels for one patient: the chart summary (clinicians) and the anagrafica."""

from __future__ import annotations

from html import escape

from app.core.i18n import _
from app.records.services.views import PatientDetails
from app.records.summary import ChartSummary, SummarySection, summary_sections
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
td.v { white-space: nowrap; }
</style>
"""


def _section(section: SummarySection) -> str:
    css = " class='allergy'" if section.key == "allergies" else ""
    items = ["<li{css}>{line}</li>".format(
        css=css, line=" &middot; ".join(escape(part) for part in line))
        for line in section.lines]
    body = f"<ul>{''.join(items)}</ul>" if items else f"<p class='none'>{_('None recorded')}</p>"
    return f"<h3>{escape(section.title)}</h3>{body}"


def chart_html(summary: ChartSummary) -> str:
    """The chart summary page, allergies first: the lines as the records layer writes them
    for people (the same words as any report), the patient named by the header."""
    return "".join([STYLE, f"<h2>{escape(_('Clinical summary'))}</h2>",
                    *(_section(section) for section in summary_sections(summary))])


def _field_labels() -> tuple[tuple[str, str], ...]:
    return (
        ("codice_fiscale", _("Codice fiscale")),
        ("tessera_sanitaria", _("Health card")),
        ("birth_place", _("Place of birth")),
        ("birth_province", _("Province of birth")),
        ("residence_address", _("Address")),
        ("residence_postcode", _("Postcode")),
        ("residence_city", _("City")),
        ("domicile_address", _("Domicile")),
        ("domicile_postcode", _("Domicile postcode")),
        ("domicile_city", _("Domicile city")),
        ("phone", _("Phone")),
        ("mobile", _("Mobile")),
        ("email", _("Email")),
        ("ats_code", _("ATS/ASL")),
    )


def _value(details: PatientDetails, key: str) -> str:
    value = details.fields.get(key)
    return "<span class='none'>\u2014</span>" if value in (None, "") else escape(str(value))


def demographics_html(details: PatientDetails, clinical_hidden: bool) -> str:
    """The anagrafica page; says plainly when the role cannot see clinical content."""
    rows = "".join(
        f"<tr><td class='k'>{escape(label)}</td><td class='v'>{_value(details, key)}</td></tr>"
        for key, label in _field_labels() if key in details.fields
    )
    note = (f"<p class='none'>{escape(_('Clinical content is not available to your role.'))}</p>"
            if clinical_hidden else "")
    return f"{STYLE}<h2>{escape(_('Demographics'))}</h2><table>{rows}</table>{note}"


class PatientPanel(QTextBrowser):
    """One read-only page about one patient; ``patient_id`` says whom it shows."""

    def __init__(self, name: str = "patientPanel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setObjectName(name)
        self.kind = "empty"
        self._patient_id: str | None = None
        self.show_hint()

    @property
    def patient_id(self) -> str | None:
        """The patient shown (None: nobody)."""
        return self._patient_id

    def show_hint(self) -> None:
        """Nothing opened yet."""
        self.kind = "empty"
        self._patient_id = None
        self.setHtml(f"{STYLE}<p class='none'>"
                     f"{escape(_('Find a patient and press Enter to open them.'))}</p>")

    def show_chart(self, summary: ChartSummary) -> None:
        """A clinician's summary."""
        self.kind = "chart"
        self._patient_id = summary.patient.id
        self.setHtml(chart_html(summary))

    def show_demographics(self, details: PatientDetails, clinical_hidden: bool) -> None:
        """The anagrafica."""
        self.kind = "demographics"
        self._patient_id = details.summary.id
        self.setHtml(demographics_html(details, clinical_hidden))
