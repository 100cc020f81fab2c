"""Print a one-page PDF at true scale: its page rendered onto the printer's whole sheet.

The page is drawn from the sheet's corner (``fullPage``), as large as the sheet, so a
millimetre of the PDF is a millimetre of paper whatever margins the printer keeps; a
printer that cannot print to the edge only loses the blank border. Rendered at the
printer's resolution, at most 300 dpi (an A4 sheet is then 35 MB of image).
"""

from __future__ import annotations

from app.ui.qt import QBuffer, QByteArray, QIODevice, QPainter, QPdfDocument, QPrinter, QSize

MAX_PRINT_DPI = 300


def print_pdf(printer: QPrinter, content: bytes) -> bool:
    """Print the first page of ``content``; False when the PDF or the printer failed."""
    buffer = QBuffer()
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        return False
    points = document.pagePointSize(0)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    image = document.render(0, QSize(round(points.width() / 72 * dpi),
                                     round(points.height() / 72 * dpi)))
    document.close()
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    painter.drawImage(printer.paperRect(QPrinter.Unit.DevicePixel), image)
    return painter.end()
