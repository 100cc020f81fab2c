"""A filed document shown inside the app: PDFs with QtPdf, images scaled to the window.

The bytes arrive from a read operation; a PDF is loaded from memory (a QBuffer over
them), so the document never touches the disk unencrypted. Pages, zoom and "fit" are
on a small bar above; Ctrl++ / Ctrl+- zoom while the viewer has the focus.
"""

from __future__ import annotations

from app.core.formats import first_upper, format_date, format_decimal
from app.core.i18n import _
from app.records.services.documents import DocumentView, kind_label
from app.ui.chart.document_ops import LoadedDocument
from app.ui.qt import (
    QBuffer,
    QByteArray,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QIODevice,
    QKeySequence,
    QLabel,
    QPainter,
    QPdfDocument,
    QPdfView,
    QPixmap,
    QPointF,
    QResizeEvent,
    QShortcut,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

ZOOM_STEP = 1.25
ZOOM_LIMITS = (0.1, 8.0)
PLACEHOLDER, PDF_PAGE, IMAGE_PAGE = range(3)


def size_text(size: int) -> str:
    """A file size as people read it ("350 kB", "1,2 MB")."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} kB"
    return f"{format_decimal(size / (1024 * 1024), 1)} MB"


def describe(document: DocumentView) -> str:
    """Kind, date, source and size on one line."""
    parts = [first_upper(kind_label(document.kind)), format_date(document.day),
             document.source, size_text(document.size)]
    return " · ".join(p for p in parts if p)


class ImageView(QGraphicsView):
    """A picture fitted to the view until the user zooms."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentImage")
        self.setAcceptDrops(False)  # files dropped here go to the documents tab
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.item: QGraphicsPixmapItem | None = None
        self.fitted = True

    def set_pixmap(self, pixmap: QPixmap) -> None:
        """Show ``pixmap`` fitted to the view."""
        self.scene().clear()
        self.item = self.scene().addPixmap(pixmap)
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().setSceneRect(self.item.boundingRect())
        self.fit()

    def fit(self) -> None:
        """The whole picture in the view."""
        self.fitted = True
        if self.item is not None:
            self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        """Scale by ``factor`` within the limits."""
        current = self.transform().m11()
        low, high = ZOOM_LIMITS
        target = min(max(current * factor, low), high)
        self.fitted = False
        self.scale(target / current, target / current)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Keep a fitted picture fitted."""
        super().resizeEvent(event)
        if self.fitted:
            self.fit()


class DocumentViewer(QWidget):
    """The selected document: a heading, a bar of page and zoom controls, the pages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.document: DocumentView | None = None
        self._buffer: QBuffer | None = None
        self._bytes: QByteArray | None = None
        self.title = QLabel(self)
        self.title.setObjectName("documentTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(self)
        self.meta.setObjectName("documentMeta")
        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setObjectName("documentPdf")
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.image_view = ImageView(self)
        self.message = QLabel(_("Select a document to see it here."), self)
        self.message.setObjectName("documentMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.pages = QStackedWidget(self)
        for widget in (self.message, self.pdf_view, self.image_view):
            self.pages.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addLayout(self._bar())
        layout.addWidget(self.pages, 1)
        self.pdf_view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.pdf.pageCountChanged.connect(self._show_page_number)
        for keys, slot in (("Ctrl++", self.zoom_in), ("Ctrl+=", self.zoom_in),
                           ("Ctrl+-", self.zoom_out), ("Ctrl+0", self.fit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.clear()

    def _bar(self) -> QHBoxLayout:
        def button(name: str, text: str, tip: str) -> QToolButton:
            tool = QToolButton(self)
            tool.setObjectName(name)
            tool.setText(text)
            tool.setToolTip(tip)
            tool.setAutoRaise(True)
            return tool

        self.previous = button("documentPrevious", "◀", _("Previous page"))
        self.next = button("documentNext", "▶", _("Next page"))
        self.page_label = QLabel(self)
        self.page_label.setObjectName("documentPage")
        self.zoom_out_button = button("documentZoomOut", "−", _("Zoom out (Ctrl+-)"))
        self.zoom_in_button = button("documentZoomIn", "+", _("Zoom in (Ctrl++)"))
        self.fit_button = button("documentFit", _("Fit"), _("Fit to the window (Ctrl+0)"))
        self.previous.clicked.connect(self.previous_page)
        self.next.clicked.connect(self.next_page)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button.clicked.connect(self.fit)
        bar = QHBoxLayout()
        for widget in (self.previous, self.page_label, self.next):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        self.page_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        return bar

    # -- what is shown ---------------------------------------------------------------------
    def clear(self) -> None:
        """Nothing selected."""
        self.document = None
        self._unload()
        self.title.setText("")
        self.meta.setText("")
        self._show_message(_("Select a document to see it here."))

    def show_loading(self, document: DocumentView) -> None:
        """The heading of ``document`` while its bytes are read."""
        self.document = document
        self._unload()
        self.title.setText(document.title)
        self.meta.setText(describe(document))
        self._show_message(_("Opening the document…"))

    def show_content(self, loaded: LoadedDocument) -> None:
        """Show a document's bytes (the heading is already there)."""
        if self.document is None or loaded.document.id != self.document.id:
            self.show_loading(loaded.document)
        if loaded.document.is_pdf:
            self._show_pdf(loaded.content)
        elif loaded.image is not None and not loaded.image.isNull():
            self.image_view.set_pixmap(QPixmap.fromImage(loaded.image))
            self.pages.setCurrentIndex(IMAGE_PAGE)
            self._set_controls(pages=False, zoom=True)
        else:
            self._show_message(_("This image cannot be shown (its format is not supported "
                                 "or the file is damaged)."))

    def _show_pdf(self, content: bytes) -> None:
        self._bytes = QByteArray(content)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        status = self.pdf.status()
        if status == QPdfDocument.Status.Ready and self.pdf.pageCount() > 0:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.pageNavigator().jump(0, QPointF(), 0)
            self.pages.setCurrentIndex(PDF_PAGE)
            self._set_controls(pages=True, zoom=True)
            self._show_page_number()
        elif self.pdf.error() == QPdfDocument.Error.IncorrectPassword:
            self._show_message(_("This PDF is protected by a password and cannot be shown "
                                 "here."))
        else:
            self._show_message(_("This PDF is damaged and cannot be shown."))

    def _unload(self) -> None:
        self.pdf.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._buffer = self._bytes = None
        self.image_view.scene().clear()
        self.image_view.item = None

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentIndex(PLACEHOLDER)
        self._set_controls(pages=False, zoom=False)

    def _set_controls(self, *, pages: bool, zoom: bool) -> None:
        for widget in (self.previous, self.next, self.page_label):
            widget.setVisible(pages)
        for widget in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            widget.setVisible(zoom)

    # -- pages and zoom --------------------------------------------------------------------
    @property
    def showing_pdf(self) -> bool:
        """A PDF is on screen."""
        return self.pages.currentIndex() == PDF_PAGE

    def current_page(self) -> int:
        """The PDF page shown (0-based)."""
        return self.pdf_view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based) of the PDF."""
        if 0 <= page < self.pdf.pageCount():
            self.pdf_view.pageNavigator().jump(page, QPointF(), 0)  # 0: keep the zoom
            self._show_page_number()

    def next_page(self) -> None:
        """The following page."""
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        """The page before."""
        self.go_to_page(self.current_page() - 1)

    def _show_page_number(self) -> None:
        count = self.pdf.pageCount()
        page = self.current_page()
        self.page_label.setText(_("Page {page} of {count}").format(page=page + 1, count=count))
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page + 1 < count)

    def zoom_in(self) -> None:
        """Larger."""
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        """Smaller."""
        self._zoom(1 / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        if self.pages.currentIndex() == IMAGE_PAGE:
            self.image_view.zoom(factor)
        elif self.showing_pdf:
            current = self.effective_zoom()
            low, high = ZOOM_LIMITS
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(min(max(current * factor, low), high))

    def effective_zoom(self) -> float:
        """The PDF's zoom as shown (in "fit" mode Qt keeps the last custom factor)."""
        view = self.pdf_view
        if view.zoomMode() == QPdfView.ZoomMode.Custom:
            return view.zoomFactor()
        # QPdfView's own rule: the viewport's width over the page's width at 100 %.
        page = self.pdf.pagePointSize(max(self.current_page(), 0))
        margins = view.documentMargins()
        width = view.viewport().width() - margins.left() - margins.right()
        at_100 = page.width() * view.logicalDpiX() / 72
        return width / at_100 if at_100 > 0 and width > 0 else 1.0

    def fit(self) -> None:
        """The page's width (a PDF) or the whole picture (an image) in the window."""
        if self.pages.currentIndex() == IMAGE_PAGE:
            self.image_view.fit()
        elif self.showing_pdf:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
