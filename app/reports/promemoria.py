"""The "promemoria per l'assistito" of a ricetta dematerializzata, as a PDF (reportlab).

In Italy the GP records an electronic prescription with the regional system, which
issues its number (NRE), and hands the patient a printed promemoria. Medirete reaches no
regional system, so it prepares the prescription and this memo with the NRE field
saying "da emettere": it never invents a number, and the memo says that the
prescription must still be issued through the regional system.

Page: A5 landscape. The national specification of the promemoria (Progetto Tessera
Sanitaria, DM 2 novembre 2011) sets it at half an A4 sheet, and pharmacists and booking
desks recognise that shape and the order of its fields; items that do not fit flow onto
further A5 pages, each with the patient's header and barcode, numbered "pagina 1 di 2".

Language: always Italian, whatever the UI language. It is a form of the Italian health
service handed to a patient and read by a pharmacist or a booking desk in Italy, like
the ricetta it stands for; its words are the constants in ``WORDS`` below (one place,
not translation msgids), while the errors a GP may see go through ``_()``.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus import TableStyle as Style

from app.core.errors import InvalidInput, MedireteError
from app.core.files import replace_privately
from app.core.formats import format_date

PRIORITIES = {  # class -> (name, when the service must be given)
    "U": ("Urgente", "entro 72 ore"),
    "B": ("Breve", "entro 10 giorni"),
    "D": ("Differibile", "entro 30 giorni per le visite, 60 per gli accertamenti"),
    "P": ("Programmata", "entro 120 giorni"),
}
# The document's words: Italian always (see the module docstring).
WORDS = {
    "service": "SERVIZIO SANITARIO NAZIONALE",
    "title": "RICETTA ELETTRONICA - PROMEMORIA PER L'ASSISTITO",
    "nre": "NRE (numero ricetta elettronica)",
    "to_issue": "da emettere",
    "cf": "Codice fiscale dell'assistito",
    "patient": "Cognome e nome dell'assistito",
    "born": "Data di nascita",
    "address": "Indirizzo",
    "esenzione": "Esenzione",
    "not_exempt": "NON ESENTE",
    "priority": "Classe di priorità",
    "date": "Data",
    "kind": "Tipo",
    "code": "Codice",
    "description": "Prescrizione",
    "quantity": "Q.tà",
    "drug": "Farmaco",
    "lab": "Esame",
    "specialist": "Visita",
    "question": "Quesito diagnostico",
    "gp": "Medico prescrittore",
    "regional_code": "codice regionale",
    "page": "pagina {page} di {pages}",
    "notice": (
        "Promemoria preparato dal medico, non ancora valido per l'erogazione: la ricetta "
        "deve essere emessa attraverso il sistema regionale, che assegna il numero di "
        "ricetta elettronica (NRE). Nessun NRE è stato assegnato."
    ),
}
PAGE = landscape(A5)
MARGIN = 8 * mm
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#8a8a8a")
SHADE = colors.HexColor("#eeeeee")
LABEL = colors.HexColor("#555555")
# Letters that Unicode does not decompose into a base letter and a mark.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H"})


class InvalidPromemoria(InvalidInput):
    message = "The promemoria cannot be printed: {detail}"


class PromemoriaNotWritten(MedireteError):
    message = "The promemoria could not be written to {path}: check the folder and the free space"


@dataclass(frozen=True)
class CenterInfo:
    """The practice printed at the top."""

    name: str
    address: str = ""


@dataclass(frozen=True)
class Prescriber:
    """The GP; the regional code is printed when the GP has one."""

    name: str
    regional_code: str | None = None


@dataclass(frozen=True)
class PatientInfo:
    """The patient as the memo shows them."""

    surname: str
    name: str
    codice_fiscale: str
    birth_date: date | None = None
    address: str = ""


@dataclass(frozen=True)
class DrugItem:
    """A drug: product name (AIFA), AIC of the pack, ATC, dosage, number of packs."""

    product_name: str
    atc: str = ""
    aic: str | None = None
    dosage: str = ""
    packs: int = 1


@dataclass(frozen=True)
class LabItem:
    """A lab test: its code in the regional catalogue and its description."""

    code: str
    description: str


@dataclass(frozen=True)
class SpecialistItem:
    """A specialist visit: its code and description."""

    code: str
    description: str


Item = DrugItem | LabItem | SpecialistItem


@dataclass(frozen=True)
class PromemoriaData:
    """Everything the memo prints; ``esenzione`` None means "non esente"."""

    center: CenterInfo
    prescriber: Prescriber
    patient: PatientInfo
    items: tuple[Item, ...]
    issued_on: date
    priority: str | None = None  # U, B, D, P
    clinical_question: str = ""
    esenzione: str | None = None


def write_promemoria(path: Path, data: PromemoriaData) -> None:
    """Write the memo's PDF to ``path``: owner-only (it names a patient), never half a file."""
    write_promemorie(path, (data,))


def promemorie_bytes(memos: Sequence[PromemoriaData]) -> bytes:
    """Several memos (one per ricetta) one after the other in one PDF."""
    if len(memos) == 1:
        return promemoria_bytes(memos[0])
    writer = PdfWriter()
    for memo in memos:
        writer.append(PdfReader(io.BytesIO(promemoria_bytes(memo))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_promemorie(path: Path, memos: Sequence[PromemoriaData]) -> None:
    """Write one PDF holding every memo: owner-only, never half a file."""
    content = promemorie_bytes(memos)
    try:
        replace_privately(path, content, ".promemoria-")
    except OSError:
        raise PromemoriaNotWritten(path=str(path)) from None


def promemoria_bytes(data: PromemoriaData) -> bytes:
    """The memo as PDF bytes."""
    _validate(data)
    buffer = io.BytesIO()
    document = _Document(buffer, data)
    # The page number goes at the right end of the footer's first line (the GP's name).
    number_at = (PAGE[0] - MARGIN, MARGIN + document.footer_height - 9.5)
    document.build(_body(data), canvasmaker=partial(_NumberedCanvas, number_at=number_at))
    return buffer.getvalue()


def codice_fiscale_barcode(codice_fiscale: str) -> Code128:
    """The patient's codice fiscale as a Code 128 barcode (the clear text goes below it)."""
    # 0.3 mm modules read well on office printers; quiet zones of 10 modules each side.
    return Code128(codice_fiscale, barWidth=0.3 * mm, barHeight=9 * mm, quiet=True,
                   humanReadable=False)


def _validate(data: PromemoriaData) -> None:
    if not data.items:
        raise InvalidPromemoria(detail="there is nothing to print")
    cf = data.patient.codice_fiscale.strip()
    if not cf or not (cf.isascii() and cf.isalnum()):
        raise InvalidPromemoria(detail="the codice fiscale must be letters and digits")
    if data.priority is not None and data.priority not in PRIORITIES:
        raise InvalidPromemoria(detail="the priority class must be U, B, D or P")


def printable(text: str | None) -> str:
    """Text the standard PDF fonts can draw: accents of Italian kept (à è é ì ò ù),
    letters they lack (ș, ł, ğ) written without their marks, never a missing glyph."""
    out = []
    for char in (text or "").translate(_PLAIN):
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            bare = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if not unicodedata.combining(c))
            out.append(bare if bare.isascii() and bare.isprintable() else "?")
    return "".join(out)


# -- styles and small pieces ----------------------------------------------------------------
def _style(size: float, *, bold: bool = False, color: Any = INK, leading: float | None = None,
           align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"p{size}{bold}{align}", fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size, leading=leading or size * 1.2, textColor=color, alignment=align)


def _text(value: str | None, size: float = 9, *, bold: bool = False, align: int = 0) -> Paragraph:
    return Paragraph(escape(printable(value)), _style(size, bold=bold, align=align))


def _field(label: str, value: str, *, size: float = 9.5, bold: bool = True) -> list[Paragraph]:
    """A form field: a small grey label above the value, as on the printed ricetta."""
    return [Paragraph(escape(label).upper(), _style(5.8, color=LABEL)),
            _text(value or "-", size, bold=bold)]


def _boxed(rows: list[list[Any]], widths: list[float],
           extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(Style([
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *extra,
    ]))
    return table


def _priority_boxes(chosen: str | None) -> Table:
    """U B D P with the chosen class marked, like the boxes of the paper ricetta."""
    cells = [Paragraph(("X " if code == chosen else "") + code,
                       _style(9, bold=code == chosen, align=1)) for code in PRIORITIES]
    table = Table([cells], colWidths=[9 * mm] * 4, rowHeights=[5 * mm])
    style = [("BOX", (0, 0), (-1, -1), 0.6, INK), ("INNERGRID", (0, 0), (-1, -1), 0.6, INK),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    if chosen in PRIORITIES:
        column = list(PRIORITIES).index(chosen)
        style.append(("BACKGROUND", (column, 0), (column, 0), SHADE))
    table.setStyle(Style(style))
    return table


# -- the page header, drawn on every page ---------------------------------------------------
def _header(data: PromemoriaData, width: float) -> Table:
    cf = data.patient.codice_fiscale.strip().upper()
    barcode = codice_fiscale_barcode(cf)
    left = [
        _text(WORDS["service"], 7, bold=True),
        Spacer(1, 1.5),
        _text(WORDS["title"], 11.5, bold=True),
        Spacer(1, 3),
        _text(data.center.name, 8.5, bold=True),
        _text(data.center.address, 7.5),
    ]
    right = [barcode, Spacer(1, 1.5), _text(cf, 10.5, bold=True, align=1),
             Paragraph(escape(WORDS["cf"]).upper(), _style(5.8, color=LABEL, align=1))]
    barcode_width = max(barcode.width, 62 * mm)
    top = Table([[left, right]], colWidths=[width - barcode_width, barcode_width])
    top.setStyle(Style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    patient = data.patient
    priority = PRIORITIES.get(data.priority or "")
    priority_cell: list[Any] = [Paragraph(escape(WORDS["priority"]).upper(),
                                          _style(5.8, color=LABEL)), _priority_boxes(data.priority)]
    if priority:
        priority_cell.append(_text(f"{priority[0]}: {priority[1]}", 6.5))
    fields = _boxed(
        [[_field(WORDS["nre"], WORDS["to_issue"], size=11),
          _field(WORDS["esenzione"], data.esenzione or WORDS["not_exempt"]),
          priority_cell,
          _field(WORDS["date"], format_date(data.issued_on))],
         [_field(WORDS["patient"], f"{patient.surname.upper()} {patient.name}"),
          _field(WORDS["born"], format_date(patient.birth_date)),
          _field(WORDS["address"], patient.address, bold=False), ""]],
        [width * 0.34, width * 0.2, width * 0.28, width * 0.18],
        [("SPAN", (2, 1), (3, 1)), ("BACKGROUND", (0, 0), (0, 0), SHADE)])
    outer = Table([[top], [Spacer(1, 2.5 * mm)], [fields]], colWidths=[width])
    outer.setStyle(Style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 0),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return outer


def _footer(data: PromemoriaData, width: float) -> Table:
    gp = data.prescriber
    who = printable(gp.name).strip() or "-"
    if gp.regional_code:
        who += f" ({WORDS['regional_code']} {printable(gp.regional_code)})"
    rows = [[Paragraph(f"{escape(WORDS['gp'])}: <b>{escape(who)}</b>", _style(8))],
            [Paragraph(escape(WORDS["notice"]), _style(6.8, color=LABEL))]]
    table = Table(rows, colWidths=[width])
    table.setStyle(Style([("LINEABOVE", (0, 0), (-1, 0), 0.6, INK),
                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return table


# -- the flowing part: items and the clinical question --------------------------------------
def _item_row(item: Item) -> list[Any]:
    if isinstance(item, DrugItem):
        codes = " · ".join(p for p in (f"AIC {item.aic}" if item.aic else "",
                                       f"ATC {item.atc}" if item.atc else "") if p)
        description = [_text(item.product_name, 9.5, bold=True)]
        if item.dosage:
            description.append(_text(item.dosage, 7.5))
        return [_text(WORDS["drug"], 7.5), _text(codes, 7.5), description,
                _text(str(item.packs), 10, bold=True, align=1)]
    kind = WORDS["lab"] if isinstance(item, LabItem) else WORDS["specialist"]
    return [_text(kind, 7.5), _text(item.code, 8.5), _text(item.description, 9.5, bold=True),
            _text("1", 10, bold=True, align=1)]


def _body(data: PromemoriaData) -> list[Any]:
    width = PAGE[0] - 2 * MARGIN
    heading = [Paragraph(escape(w).upper(), _style(5.8, color=LABEL))
               for w in (WORDS["kind"], WORDS["code"], WORDS["description"], WORDS["quantity"])]
    rows = [heading, *(_item_row(item) for item in data.items)]
    items = _boxed(rows, [width * 0.1, width * 0.24, width * 0.58, width * 0.08],
                   [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 1), (-1, -1), "MIDDLE")])
    items.repeatRows = 1
    question = _boxed([[_field(WORDS["question"], data.clinical_question, size=9, bold=False)]],
                      [width])
    return [items, Spacer(1, 2 * mm), question]


class _Document(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no type hints
    """One A5 landscape page template: header and footer drawn, items flowing between."""

    def __init__(self, buffer: io.BytesIO, data: PromemoriaData) -> None:
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN,
                         title="Promemoria per l'assistito - ricetta elettronica",
                         author=printable(data.prescriber.name), creator="Medirete")
        self.data = data
        width = PAGE[0] - 2 * MARGIN
        self._header_height = _header(data, width).wrap(width, PAGE[1])[1]
        self.footer_height = _footer(data, width).wrap(width, PAGE[1])[1]
        gap = 2.5 * mm
        bottom = MARGIN + self.footer_height + gap
        top = PAGE[1] - MARGIN - self._header_height - gap
        frame = Frame(MARGIN, bottom, width, top - bottom, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id="items")
        self.addPageTemplates([PageTemplate("promemoria", [frame], onPage=self._decorate)])

    def _decorate(self, canvas: Canvas, _document: Any) -> None:
        width = PAGE[0] - 2 * MARGIN
        canvas.saveState()
        header = _header(self.data, width)
        header.wrapOn(canvas, width, PAGE[1])
        header.drawOn(canvas, MARGIN, PAGE[1] - MARGIN - self._header_height)
        footer = _footer(self.data, width)
        footer.wrapOn(canvas, width, PAGE[1])
        footer.drawOn(canvas, MARGIN, MARGIN)
        canvas.restoreState()


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Writes "pagina 1 di 2" once the number of pages is known."""

    def __init__(self, *args: Any, number_at: tuple[float, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._number_at = number_at

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 7)
            self.setFillColor(LABEL)
            self.drawRightString(*self._number_at, WORDS["page"].format(page=number, pages=total))
            super().showPage()
        super().save()
