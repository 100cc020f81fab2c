"""The day list per clinician: a printed page of who comes when, with age and phone.

Built as an HTML table in a QTextDocument (one page per clinician), shown in Qt's print
preview (whose Print button opens the system's print dialog) or saved as a PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape
from pathlib import Path

from app.core.i18n import _
from app.records.agenda_time import to_local
from app.records.services.agenda_views import ClinicianView
from app.ui.agenda.formats import long_day, role_name, time_text
from app.ui.agenda_ops import DayList, DayListSection, LoadDayList
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPrinter,
    QPrintPreviewDialog,
    QPushButton,
    QTextDocument,
    QVBoxLayout,
    QWidget,
)

STYLE = """
<style>
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 12pt; margin: 4px 0 8px 0; color: #37474f; }
th { background: #e8edf0; text-align: left; }
td, th { padding: 4px 8px; border: 1px solid #9aa7ae; }
.empty { color: #607d8b; font-style: italic; }
.keep { white-space: nowrap; }
.foot { color: #607d8b; font-size: 8pt; }
</style>
"""


def _section(center: str, day: date, section: DayListSection, first: bool) -> str:
    clinician = section.clinician
    breaking = "" if first else " style='page-break-before: always'"
    head = (f"<h1{breaking}>{escape(center)}</h1>"
            f"<h2>{escape(clinician.full_name)} ({escape(role_name(clinician.role))}) - "
            f"{escape(long_day(day))}</h2>")
    if not section.rows:
        return head + f"<p class='empty'>{escape(_('No appointments.'))}</p>"
    titles = (_("Time"), _("Patient"), _("Age"), _("Visit type"), _("Desk note"), _("Phone"))
    header = "".join(f"<th>{escape(t)}</th>" for t in titles)
    rows = []
    for row in section.rows:
        cells = (time_text(to_local(row.starts_at)), row.patient,
                 "" if row.age is None else str(row.age), row.visit_type, row.note, row.phone)
        keep = (0, 5)  # the time and the phone numbers never break
        rows.append("<tr>" + "".join(
            f"<td{' class=keep' if n in keep else ''}>{escape(c)}</td>"
            for n, c in enumerate(cells)) + "</tr>")
    count = _("{count} appointment(s)").format(count=len(section.rows))
    return (head + "<table width='100%' cellspacing='0' cellpadding='3'>"
            f"<tr>{header}</tr>{''.join(rows)}</table><p class='foot'>{escape(count)}</p>")


def day_list_html(data: DayList, center: str, printed_by: str, now: datetime) -> str:
    """The whole day list as HTML (a page per clinician)."""
    parts = [_section(center, data.day, s, n == 0) for n, s in enumerate(data.sections)]
    foot = _("Printed on {date} at {time} by {user}").format(
        date=now.strftime("%d/%m/%Y"), time=now.strftime("%H:%M"), user=printed_by)
    return (f"<html><head>{STYLE}</head><body>{''.join(parts)}"
            f"<p class='foot'>{escape(foot)}</p></body></html>")


def day_list_document(html: str) -> QTextDocument:
    """A printable document of the day list."""
    document = QTextDocument()
    font = QFont()
    font.setPointSize(10)
    document.setDefaultFont(font)
    document.setHtml(html)
    return document


def a4_printer() -> QPrinter:
    """A portrait A4 printer with 15 mm margins.

    Screen resolution: the document's pixel sizes (paddings, borders) keep their look on
    paper; the text of a PDF is vector whatever the resolution.
    """
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(15, 15, 15, 15),
                           QPageLayout.Unit.Millimeter)
    return printer


def print_on(document: QTextDocument, printer: QPrinter) -> None:
    """Lay the document out on the printer's page (its own margins, no extra ones), print."""
    layout = document.documentLayout()
    if layout is not None:
        layout.setPaintDevice(printer)
    document.setPageSize(printer.pageRect(QPrinter.Unit.DevicePixel).size())
    document.print_(printer)


def save_pdf(document: QTextDocument, path: Path) -> None:
    """Write the document as a PDF file."""
    printer = a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_on(document, printer)


class DayListDialog(QDialog):
    """Choose the clinician (or all), then preview and print, or save as PDF."""

    def __init__(self, executor: RunsOperations, *, clinicians: Sequence[ClinicianView],
                 day: date, center: str, user: str, clinician_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._clinicians = list(clinicians)
        self.day = day
        self.center = center
        self.user = user
        self.html = ""
        self.preview: QPrintPreviewDialog | None = None
        self.setObjectName("dayListDialog")
        self.setWindowTitle(_("Print the day list"))
        self.setMinimumWidth(420)
        self.clinician = QComboBox()
        self.clinician.setObjectName("dayListClinician")
        self.clinician.addItem(_("All clinicians (a page each)"), None)
        for clinician in clinicians:
            self.clinician.addItem(clinician.full_name, clinician.id)
        if clinician_id is not None:
            self.clinician.setCurrentIndex(max(0, self.clinician.findData(clinician_id)))
        form = QFormLayout()
        form.addRow(_("Day:"), QLabel(long_day(day)))
        form.addRow(_("Clinician:"), self.clinician)
        self.preview_button = QPushButton(_("Preview and print..."))
        self.preview_button.setObjectName("dayListPreview")
        self.preview_button.clicked.connect(lambda: self.load(self.show_preview))
        self.pdf_button = QPushButton(_("Save as PDF..."))
        self.pdf_button.setObjectName("dayListPdf")
        self.pdf_button.clicked.connect(self.ask_pdf)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.preview_button.setDefault(True)

    def chosen_ids(self) -> tuple[str, ...]:
        """The clinicians whose lists are printed."""
        chosen = self.clinician.currentData()
        return (chosen,) if chosen else tuple(c.id for c in self._clinicians)

    def load(self, then: Callable[[QTextDocument], None]) -> None:
        """Read the day list, then call ``then(document)``."""
        def built(data: DayList) -> None:
            self.html = day_list_html(data, self.center, self.user, datetime.now())
            then(day_list_document(self.html))

        self._executor.run(LoadDayList(self.day, self.chosen_ids()), built)

    def show_preview(self, document: QTextDocument) -> None:
        """Qt's print preview (its Print button asks for the printer)."""
        self._document = document  # the preview paints them later: keep both alive
        self._printer = a4_printer()
        self.preview = QPrintPreviewDialog(self._printer, self)
        self.preview.setObjectName("dayListPrintPreview")
        self.preview.setWindowTitle(_("Day list - print preview"))
        self.preview.paintRequested.connect(lambda printer: print_on(document, printer))
        self.preview.resize(900, 800)
        self.preview.open()

    def ask_pdf(self) -> None:
        """Ask where to save, then write the PDF."""
        suggested = f"lista-{self.day.strftime('%Y-%m-%d')}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the day list as PDF"),
                                                    suggested, _("PDF files (*.pdf)"))
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        """Write the chosen day list to ``path``."""
        self.load(lambda document: save_pdf(document, path))
