"""The documents tab: the patient's filed documents, full-text search, the viewer, import.

A file comes in through "Import document…" (or the list's context menu) or dropped onto
the tab; it is looked at (type, size) on a worker, classified in a small dialog, then
filed by the records layer, which reads its type from its bytes and keeps a PDF's text
for search. Several files dropped at once are classified one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from app.core.formats import first_upper, format_date
from app.core.i18n import _
from app.records.services.documents import DocumentView, kind_label, newest_first
from app.records.services.views import EntryView
from app.ui.chart.document_dialog import ClassifyDialog
from app.ui.chart.document_ops import (
    DocumentList,
    ImportDocument,
    LoadedDocument,
    ProbedFile,
    ProbeFile,
    ReadDocumentContent,
    ReadDocuments,
    SearchDocuments,
)
from app.ui.chart.document_viewer import DocumentViewer, describe
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractTableModel,
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex
DATE, KIND, TITLE, SOURCE = range(4)
SEARCH_DELAY_MS = 300
FILE_PATTERNS = "*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp"


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (links and text are not documents)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DocumentsModel(QAbstractTableModel):
    """Date, kind, title and source of each document shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.documents: list[DocumentView] = []

    def set_documents(self, documents: Sequence[DocumentView]) -> None:
        """Show ``documents`` in the order given."""
        self.beginResetModel()
        self.documents = list(documents)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Documents shown."""
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Date, kind, title, source."""
        return 0 if parent.isValid() else 4

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text; the tooltip says where a search found its words."""
        if not index.isValid():
            return None
        document = self.documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == DATE:
                return format_date(document.day)
            if column == KIND:
                return first_upper(kind_label(document.kind))
            return document.title if column == TITLE else document.source
        if role == Qt.ItemDataRole.ToolTipRole:
            return document.excerpt or describe(document)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Date"), _("Type"), _("Title"), _("Source"))[section]
        return None


class DocumentsView(QWidget):
    """The list and search on the left, the selected document on the right."""

    imported = Signal(str)  # the id of a document just filed

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None, *,
                 may_import: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("chartDocuments")
        self.executor = executor
        self._patient_id: str | None = None
        self._all: list[DocumentView] = []
        self._select_id: str | None = None  # after an import or a refresh
        self._queue: list[Path] = []
        self.classify_dialog: ClassifyDialog | None = None
        self.model = DocumentsModel(self)
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("documentSearch")
        self.search_field.setPlaceholderText(_("Search the text, title and source…"))
        self.search_field.setClearButtonEnabled(True)
        self.import_button = QPushButton(_("Import document…"), self)
        self.import_button.setObjectName("documentImport")
        if not may_import:  # the nurse reads documents; filing them is the GP's
            self.import_button.hide()
        self.count = QLabel(self)
        self.count.setObjectName("documentCount")
        self.count.setWordWrap(True)
        self.table = self._table(may_import)
        self.viewer = DocumentViewer(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_field.returnPressed.connect(self.run_search)
        self.import_button.clicked.connect(self.choose_files)
        left = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.search_field, 1)
        bar.addWidget(self.import_button)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([600, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setAcceptDrops(may_import)
        self._show_count()

    def _table(self, may_import: bool) -> QTableView:
        table = row_table(self.model, "documentList", parent=self)
        table.setWordWrap(False)
        columns = table.horizontalHeader()
        for section in (DATE, KIND):
            columns.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(SOURCE, 160)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        if may_import:
            action = QAction(_("Import document…"), table)
            action.triggered.connect(self.choose_files)
            table.addAction(action)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return table

    # -- the patient's documents -----------------------------------------------------------
    @property
    def patient_id(self) -> str | None:
        """Whose documents are shown."""
        return self._patient_id

    def show_documents(self, patient_id: str | None, documents: Sequence[EntryView]) -> None:
        """The documents of ``patient_id`` from the chart (None: no patient)."""
        if patient_id != self._patient_id:
            self._forget_patient()
        self._patient_id = patient_id
        self._set_all([DocumentView.from_entry(e) for e in documents if e.kind == "document"])

    def _forget_patient(self) -> None:
        """Another patient: nothing of the last one stays (search, viewer, pending files)."""
        self._queue.clear()
        if self.classify_dialog is not None:
            self.classify_dialog.reject()
        self._search_timer.stop()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self._select_id = None
        self.viewer.clear()

    def _set_all(self, documents: Sequence[DocumentView]) -> None:
        self._all = newest_first(documents)
        if self.search_text():
            self.run_search()  # the words again, over the new list
        else:
            self._show(self._all)

    def reload(self) -> None:
        """Read the list again (after an import: without re-reading the whole chart)."""
        if self._patient_id is not None:
            self.executor.run(ReadDocuments(self._patient_id), self._on_list)

    def _on_list(self, found: DocumentList) -> None:
        if found.patient_id == self._patient_id:
            self._set_all(found.documents)

    def search_text(self) -> str:
        """The words searched ("" when none)."""
        return self.search_field.text().strip()

    def run_search(self) -> None:
        """Search now for the words typed (none: the whole list)."""
        self._search_timer.stop()
        text = self.search_text()
        if not text or self._patient_id is None:
            self._show(self._all)
            return
        self.executor.run(SearchDocuments(self._patient_id, text), self._on_found)

    def _on_found(self, found: DocumentList) -> None:
        # An answer to older words, or for another patient, is dropped.
        if found.patient_id == self._patient_id and found.text == self.search_text():
            self._show(found.documents)

    def _show(self, documents: Sequence[DocumentView]) -> None:
        shown = self.viewer.document
        keep = self._select_id or (shown.lineage_id if shown is not None else None)
        self.model.set_documents(documents)
        self._show_count()
        row = next((i for i, d in enumerate(documents) if keep in (d.id, d.lineage_id)), None)
        if row is None and self._select_id is None and shown is not None:
            self.viewer.clear()  # filtered out or gone
        if row is not None:
            self._select_id = None
            self.table.selectRow(row)

    def _show_count(self) -> None:
        shown, total = len(self.model.documents), len(self._all)
        if self._patient_id is None:
            text = ""
        elif total == 0 and self.acceptDrops():
            text = _("No documents yet. Drop a PDF or an image here, or use "
                     "\"Import document…\".")
        elif total == 0:
            text = _("No documents.")
        elif self.search_text() and shown == 0:
            text = _("No document contains the words searched")
        elif self.search_text() and shown == 1:
            text = _("1 of {total} documents contains the words searched").format(total=total)
        elif self.search_text():
            text = _("{shown} of {total} documents contain the words searched").format(
                shown=shown, total=total)
        elif total == 1:
            text = _("1 document")
        else:
            text = _("{total} documents").format(total=total)
        self.count.setText(text)

    # -- the viewer ------------------------------------------------------------------------
    def selected(self) -> DocumentView | None:
        """The document selected in the list."""
        index = self.table.currentIndex()
        return self.model.documents[index.row()] if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        document = self.model.documents[current.row()]
        shown = self.viewer.document
        if shown is not None and shown.id == document.id:
            return  # the same version: already on screen
        self.viewer.show_loading(document)
        self.executor.run(ReadDocumentContent(document), self._on_loaded)

    def _on_loaded(self, loaded: LoadedDocument) -> None:
        shown = self.viewer.document
        if shown is not None and shown.id == loaded.document.id:
            self.viewer.show_content(loaded)

    # -- import ----------------------------------------------------------------------------
    def choose_files(self) -> None:
        """Pick files to file (the dialog of the operating system)."""
        if self._patient_id is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Import document"), "",
            _("PDF and images") + f" ({FILE_PATTERNS});;" + _("All files") + " (*)")
        self.start_import([Path(name) for name in names])

    def start_import(self, paths: Sequence[Path]) -> None:
        """Classify and file ``paths`` one after the other."""
        if self._patient_id is None or not self.acceptDrops():
            return
        self._queue.extend(paths)
        if self.classify_dialog is None:
            self._next_file()

    def _next_file(self) -> None:
        if self._queue and self._patient_id is not None:
            self.executor.run(ProbeFile(self._queue.pop(0)), self._classify,
                              self._probe_refused)

    def _probe_refused(self, exc: BaseException) -> None:
        self.executor.report_error(exc)
        self._next_file()

    def _classify(self, probed: ProbedFile) -> None:
        patient_id = self._patient_id
        if patient_id is None:
            return
        dialog = ClassifyDialog(probed, (d.source for d in self._all), today=date.today(),
                                parent=self)
        self.classify_dialog = dialog
        dialog.accepted.connect(lambda: self._file(patient_id, dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: ClassifyDialog) -> None:
        if self.classify_dialog is dialog:
            self.classify_dialog = None
        dialog.deleteLater()
        self._next_file()

    def _file(self, patient_id: str, dialog: ClassifyDialog) -> None:
        if patient_id != self._patient_id:
            return  # the patient changed under the dialog: never file to another one
        values = dialog.classification()
        self.executor.run(ImportDocument(patient_id, dialog.probed.path, values.kind,
                                         values.document_date, values.source, values.title),
                          self._imported, initiator=self)

    def _imported(self, entry_id: str) -> None:
        self._select_id = entry_id
        if self.search_text():
            self.search_field.clear()  # the new document must be in sight
        self.imported.emit(entry_id)
        self.reload()

    # -- drag and drop ---------------------------------------------------------------------
    def _takes(self, mime: QMimeData) -> list[Path]:
        """The files of a drag this tab would file (none without a patient or the right)."""
        if self._patient_id is None or not self.acceptDrops():
            return []
        return dropped_files(mime)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        """Files may be dropped while a patient is open."""
        if self._takes(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        """Keep accepting over the whole tab."""
        if self._takes(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Dropped files are classified and filed like imported ones."""
        paths = self._takes(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)
