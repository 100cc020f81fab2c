"""Small synthetic PDFs filed in demo charts: lab reports, specialist letters, discharges.

Only the demo center has them (the large benchmark centers do not need bytes). Each is
one A4 page of plain text in a standard font, built by reportlab in its invariant mode
(the same seed gives the same bytes); ``text_content`` holds the lines drawn, which is
what a PDF text extractor finds in it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.records.synthetic.catalog import OBSERVATION_KINDS
from app.records.synthetic.chart import ChartBuilder, at_noon
from app.records.synthetic.history import Written
from app.records.synthetic.people import Person

KINDS = ("laboratorio", "dimissione", "specialistica", "radiologia", "altro")
INF = float("inf")
LAB_SOURCE = "Laboratorio analisi, punto prelievi della Casa di Comunità (dati sintetici)"
# kind of result -> (how the report names it, unit as printed, reference range as printed,
# and its bounds: below ``low`` or above ``high`` is flagged)
_REPORTED: dict[str, tuple[str, str, str, float, float]] = {
    "HbA1c": ("Emoglobina glicata (HbA1c)", "%", "4,0 - 6,0", 4.0, 6.0),
    "Glicemia": ("Glucosio", "mg/dL", "70 - 100", 70, 100),
    "Creatinina": ("Creatinina", "mg/dL", "0,50 - 1,10", 0.5, 1.1),
    "eGFR": ("eGFR (CKD-EPI)", "mL/min/1,73 m²", "> 60", 60, INF),
    "Colesterolo totale": ("Colesterolo totale", "mg/dL", "< 200", 0, 200),
    "Colesterolo HDL": ("Colesterolo HDL", "mg/dL", "> 40", 40, INF),
    "Colesterolo LDL": ("Colesterolo LDL (calcolato)", "mg/dL", "< 115", 0, 115),
    "Trigliceridi": ("Trigliceridi", "mg/dL", "< 150", 0, 150),
    "Potassio": ("Potassio", "mmol/L", "3,5 - 5,1", 3.5, 5.1),
    "Emoglobina": ("Emoglobina", "g/dL", "12,0 - 16,0", 12.0, 16.0),
    "TSH": ("TSH", "mU/L", "0,40 - 4,00", 0.4, 4.0),
    "Microalbuminuria": ("Albumina/creatinina urinaria", "mg/g", "< 30", 0, 30),
}
# condition -> (specialty, clinic); the first the patient has is the letter's subject
_SPECIALIST: dict[str, tuple[str, str]] = {
    "diabetes": ("diabetologica", "Ambulatorio di diabetologia"),
    "heart_failure": ("cardiologica", "Ambulatorio dello scompenso cardiaco"),
    "ihd": ("cardiologica", "Ambulatorio di cardiologia"),
    "ckd": ("nefrologica", "Ambulatorio di nefrologia"),
    "copd": ("pneumologica", "Ambulatorio di pneumologia"),
    "hypertension": ("cardiologica", "Ambulatorio dell'ipertensione arteriosa"),
}
HOSPITAL = "Ospedale di zona (dati sintetici)"


@dataclass(frozen=True)
class Page:
    """What one synthetic document says."""

    title: str
    kind: str
    source: str
    day: date
    lines: tuple[str, ...]


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _header(person: Person, heading: str, source: str) -> list[str]:
    born = "nata" if person.sex == "F" else "nato"
    return [heading, source, "",
            f"Paziente: {person.surname.upper()} {person.given_name.upper()}   "
            f"{born} il {person.birth_date:%d/%m/%Y}",
            f"Codice fiscale: {person.codice_fiscale}", ""]


def lab_report(person: Person, at: datetime, values: dict[str, float]) -> Page:
    """A lab report of one blood draw."""
    lines = _header(person, "REFERTO DI LABORATORIO", LAB_SOURCE)
    lines.append(f"Data del prelievo: {at:%d/%m/%Y}")
    lines.append("Esame / risultato / unità / valori di riferimento")
    for kind, value in values.items():
        if kind not in _REPORTED:
            continue
        name, unit, reference, low, high = _REPORTED[kind]
        digits = OBSERVATION_KINDS[kind].digits
        flag = "" if low <= round(value, digits) <= high else " *"
        lines.append(f"{name}: {_number(value, digits)} {unit} ({reference}){flag}")
    lines += ["", "* valore fuori dall'intervallo di riferimento", "Referto firmato digitalmente"]
    return Page(f"Referto di laboratorio del {at:%d/%m/%Y}", "laboratorio", LAB_SOURCE,
                at.date(), tuple(lines))


def specialist_letter(person: Person, key: str, day: date, problem: str,
                      therapy: list[str]) -> Page:
    """The letter a specialist writes to the GP after a visit."""
    specialty, clinic = _SPECIALIST[key]
    source = f"{clinic}, {HOSPITAL}"
    lines = _header(person, f"VISITA {specialty.upper()}", source)
    female = person.sex == "F"
    lines += [f"Data della visita: {day:%d/%m/%Y}", "Caro Collega,",
              "ho visitato in data odierna " + ("la Sua assistita," if female
                                                 else "il Suo assistito,"),
              f"{'seguita' if female else 'seguito'} per: {problem}.",
              "Condizioni cliniche stabili, esami recenti in visione.",
              "Terapia in atto, confermata:"]
    lines += [f"- {name}" for name in therapy[:6]] or ["- prosegue la terapia in atto"]
    lines += ["Controllo tra 12 mesi con esami ematochimici.", "Cordiali saluti,",
              "Il medico specialista (firma sintetica)"]
    return Page(f"Visita {specialty} del {day:%d/%m/%Y}", "specialistica", source, day,
                tuple(lines))


def discharge_letter(person: Person, day: date, problem: str, therapy: list[str]) -> Page:
    """A hospital discharge letter after a short stay."""
    source = f"U.O. Medicina Interna, {HOSPITAL}"
    admitted = day - timedelta(days=6)
    lines = _header(person, "LETTERA DI DIMISSIONE", source)
    lines += [f"Ricovero dal {admitted:%d/%m/%Y} al {day:%d/%m/%Y}",
              f"Diagnosi principale: {problem}, riacutizzazione.",
              "Decorso: buona risposta alla terapia diuretica endovenosa, calo ponderale di 3 kg.",
              "Terapia alla dimissione:"]
    lines += [f"- {name}" for name in therapy[:6]]
    lines += ["Controllo dal Medico di Medicina Generale entro 7 giorni.",
              "Il medico di reparto (firma sintetica)"]
    return Page(f"Lettera di dimissione del {day:%d/%m/%Y}", "dimissione", source, day,
                tuple(lines))


def render(page: Page) -> bytes:
    """The page as a one-page PDF (standard font, no embedded data, same bytes each time)."""
    from reportlab.lib.pagesizes import A4  # only the demo needs reportlab here
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=True)
    canvas.setTitle(page.title)
    canvas.setAuthor("Medirete (dati sintetici)")
    text = canvas.beginText(56, A4[1] - 64)
    text.setFont("Helvetica", 10)
    for line in page.lines:
        text.textLine(line)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def file_documents(chart: ChartBuilder, person: Person, written: Written,
                   onsets: dict[str, date], as_of: date) -> None:
    """A few documents for a patient with a history: the last lab report, a specialist
    letter for the main chronic condition, a discharge letter after heart failure."""
    rng = chart.rng
    pages: list[Page] = []
    if written.lab_results and (written.esenzioni or rng.random() < 0.3):
        at, values = written.lab_results[-1]
        pages.append(lab_report(person, at, values))

    def therapy_on(day: date) -> list[str]:
        return [t.drug.name for t in written.therapies if t.current_on(day)]

    main = next((c for key in _SPECIALIST for c in written.coded if c.key == key), None)
    if main and rng.random() < 0.7:
        day = min(max(as_of - timedelta(days=rng.randint(40, 700)), onsets[main.key]), as_of)
        pages.append(specialist_letter(person, main.key, day, main.description,
                                       therapy_on(day)))
    failure = next((c for c in written.coded if c.key == "heart_failure"), None)
    if failure and rng.random() < 0.7:
        day = min(max(as_of - timedelta(days=rng.randint(60, 1500)),
                      onsets["heart_failure"] + timedelta(days=30)), as_of)
        pages.append(discharge_letter(person, day, failure.description, therapy_on(day)))
    for page in pages:
        received = at_noon(min(page.day + timedelta(days=rng.randint(1, 6)), as_of))
        chart.document(page.title, page.kind, render(page), text="\n".join(page.lines),
                       day=page.day, source=page.source, at=received)
