"""The documents tab: import through the dialog, view with QtPdf, search, drag and drop."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from reportlab.pdfgen import canvas

from app.core.errors import InvalidInput
from app.records.services.views import PatientInput
from app.ui.chart.documents import DocumentsView
from app.ui.operations import Login
from app.ui.qt import QDragEnterEvent, QDropEvent, QMimeData, QPoint, QPointF, Qt
from tests.ui.conftest import PASSWORD, build_center
from tests.unit.records.test_documents import LAB_TEXT, make_pdf, make_png


@pytest.fixture(scope="module")
def docs_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center of its own: the documents filed here stay out of the shared one."""
    root = tmp_path_factory.mktemp("documents") / "centro"
    build_center(root)
    return root


@pytest.fixture
def records(executor, docs_center, tmp_path):
    root = tmp_path / "centro"
    shutil.copytree(docs_center, root)
    executor.run(Login(root, "medico", PASSWORD), lambda _s: None)
    return executor.backend.require()


@pytest.fixture
def patient(records):
    return records.patients.register(
        PatientInput("Zanardelli", "Ines", "F", date(1952, 4, 18), "Cremona")).id


@pytest.fixture
def view(qtbot, executor, records, patient):
    widget = DocumentsView(executor)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show_documents(patient, records.chart.open(patient).of("document"))
    widget.show()
    return widget


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _drop(widget: DocumentsView, mime: QMimeData) -> bool:
    """Drag ``mime`` over the widget and drop it; True when the drag was accepted."""
    enter = QDragEnterEvent(QPoint(40, 80), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    widget.dragEnterEvent(enter)
    drop = QDropEvent(QPointF(40, 80), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)
    return enter.isAccepted()


def test_a_pdf_is_imported_through_the_dialog_and_shown(qtbot, view, records, patient,
                                                        executor, tmp_path):
    assert view.import_button.text() == "Importa documento…"
    path = _write(tmp_path, "HbA1c marzo.pdf", make_pdf("Laboratorio Analisi", LAB_TEXT))
    view.start_import([path])
    dialog = view.classify_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.title.text() == "HbA1c marzo"  # the file's name, without the extension
    assert dialog.date.date().toPython() == date.today()
    dialog.kind.setCurrentIndex(dialog.kind.findData("laboratorio"))
    assert dialog.kind.currentText() == "Referto di laboratorio"
    qtbot.keyClicks(dialog.source, "Laboratorio Analisi Niguarda")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert view.classify_dialog is None
    # In the list, selected, and open in the PDF viewer.
    assert [d.title for d in view.model.documents] == ["HbA1c marzo"]
    assert view.selected() is not None and view.selected().title == "HbA1c marzo"
    viewer = view.viewer
    assert viewer.pages.currentWidget() is viewer.pdf_view
    assert viewer.pdf.status() == QPdfDocument.Status.Ready
    assert viewer.pdf.pageCount() > 0
    assert viewer.page_label.text() == "Pagina 1 di 1"
    [filed] = records.documents.for_patient(patient)
    assert (filed.kind, filed.source, filed.document_date) == (
        "laboratorio", "Laboratorio Analisi Niguarda", date.today())
    assert {"ProbeFile", "ImportDocument", "ReadDocuments", "ReadDocumentContent"} <= set(
        executor.history)


def test_search_filters_the_list(qtbot, view, records, patient):
    docs = records.documents
    docs.import_document(patient, make_pdf(LAB_TEXT), "hba1c.pdf", kind="laboratorio",
                         document_date=date(2026, 2, 10), source="Laboratorio Niguarda")
    docs.import_document(patient, make_pdf("Lettera di dimissione: scompenso cardiaco"),
                         "dimissione.pdf", kind="dimissione", document_date=date(2026, 1, 5),
                         source="Ospedale di Città")
    view.show_documents(patient, records.chart.open(patient).of("document"))
    assert [d.title for d in view.model.documents] == ["hba1c", "dimissione"]  # newest first
    qtbot.keyClicks(view.search_field, "GLICATA")
    qtbot.waitUntil(lambda: len(view.model.documents) == 1)
    [found] = view.model.documents
    assert found.title == "hba1c"
    tip = view.model.data(view.model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "glicata" in tip
    assert view.count.text() == "1 documento su 2 contiene le parole cercate"
    view.search_field.clear()
    qtbot.keyClicks(view.search_field, "citta")  # the source, without the accent
    qtbot.waitUntil(lambda: [d.title for d in view.model.documents] == ["dimissione"])
    view.search_field.clear()
    qtbot.keyClicks(view.search_field, "glicata scompenso")  # every word must be there
    qtbot.waitUntil(lambda: view.model.documents == [])
    assert view.count.text() == "Nessun documento contiene le parole cercate"
    view.search_field.clear()
    qtbot.waitUntil(lambda: len(view.model.documents) == 2)
    assert view.count.text() == "2 documenti"


def test_dropped_files_open_the_classify_dialog_one_after_the_other(view, tmp_path):
    pdf = _write(tmp_path, "ecg.pdf", make_pdf("ECG: ritmo sinusale"))
    image = _write(tmp_path, "lesione.png", make_png())
    assert _drop(view, _mime(pdf, image))
    first = view.classify_dialog
    assert first is not None and first.probed.path == pdf
    assert first.file.text().startswith("ecg.pdf · PDF")
    first.reject()
    second = view.classify_dialog
    assert second is not None and second.probed.path == image
    assert second.probed.mime_type == "image/png"
    second.reject()
    assert view.classify_dialog is None
    # A drag of text, not files, is not taken.
    text = QMimeData()
    text.setText("emoglobina")
    assert not _drop(view, text)
    assert view.classify_dialog is None


def test_a_file_that_is_not_a_document_is_refused_before_the_dialog(view, errors, tmp_path):
    fake = _write(tmp_path, "referto.pdf", make_png())
    note = _write(tmp_path, "appunti.txt", b"emoglobina 13,5")
    _drop(view, _mime(fake, note))
    assert view.classify_dialog is None
    assert [type(e) for e in errors.errors] == [InvalidInput, InvalidInput]
    assert [e.user_message("it") for e in errors.errors] == [
        "Il file referto.pdf ha il nome di un PDF ma non lo è: non può essere archiviato",
        "Il file appunti.txt non è né un PDF né un'immagine (PNG, JPEG, TIFF, GIF, BMP, "
        "WebP): non può essere archiviato"]
    assert view.model.documents == []


def test_an_image_is_shown_in_the_image_view(qtbot, view, records, patient):
    records.documents.import_document(patient, make_png(40, 30), "ferita.png", kind="altro",
                                      document_date=date(2026, 3, 1), source="")
    view.show_documents(patient, records.chart.open(patient).of("document"))
    view.table.selectRow(0)
    viewer = view.viewer
    assert viewer.pages.currentWidget() is viewer.image_view
    assert viewer.image_view.item is not None
    assert viewer.image_view.item.pixmap().width() == 40
    assert not viewer.page_label.isVisible()


def test_a_locked_pdf_says_so(view, records, patient):
    records.documents.import_document(patient, make_pdf(LAB_TEXT, encrypt="segreto"),
                                      "protetto.pdf", kind="laboratorio", document_date=None,
                                      source="")
    view.show_documents(patient, records.chart.open(patient).of("document"))
    view.table.selectRow(0)
    assert view.viewer.pages.currentWidget() is view.viewer.message
    assert "protetto da password" in view.viewer.message.text()


def test_another_patient_closes_the_dialog_and_the_viewer(view, records, patient, tmp_path):
    records.documents.import_document(patient, make_pdf(LAB_TEXT), "hba1c.pdf", kind="laboratorio",
                                      document_date=None, source="")
    view.show_documents(patient, records.chart.open(patient).of("document"))
    view.table.selectRow(0)
    assert view.viewer.document is not None
    view.start_import([_write(tmp_path, "altro.pdf", make_pdf("altro"))])
    dialog = view.classify_dialog
    assert dialog is not None
    other = records.patients.register(
        PatientInput("Zanardelli", "Piero", "M", date(1950, 1, 2), "Cremona")).id
    view.show_documents(other, [])
    assert view.patient_id == other
    assert view.classify_dialog is None and not dialog.isVisible()
    assert view.viewer.document is None and view.model.documents == []
    assert records.documents.for_patient(other) == []


def test_pages_and_zoom_of_a_pdf(view, records, patient):
    two_pages = _two_page_pdf()
    records.documents.import_document(patient, two_pages, "lettera.pdf", kind="dimissione",
                                      document_date=None, source="")
    view.show_documents(patient, records.chart.open(patient).of("document"))
    view.table.selectRow(0)
    viewer = view.viewer
    assert viewer.pdf.pageCount() == 2 and viewer.page_label.text() == "Pagina 1 di 2"
    assert not viewer.previous.isEnabled() and viewer.next.isEnabled()
    viewer.next.click()
    assert viewer.current_page() == 1 and viewer.page_label.text() == "Pagina 2 di 2"
    assert not viewer.next.isEnabled()
    viewer.previous.click()
    assert viewer.current_page() == 0
    fitted = viewer.effective_zoom()
    viewer.zoom_in_button.click()
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.pdf_view.zoomFactor() == pytest.approx(fitted * 1.25)
    viewer.fit_button.click()
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def _two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in ("Lettera di dimissione", "Terapia alla dimissione"):
        pdf.drawString(72, 760, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_without_the_right_to_file_there_is_no_import(qtbot, executor, records, patient,
                                                      tmp_path):
    reader = DocumentsView(executor, may_import=False)
    qtbot.addWidget(reader)
    reader.show_documents(patient, [])
    reader.show()
    assert not reader.import_button.isVisible()
    assert not _drop(reader, _mime(_write(tmp_path, "a.pdf", make_pdf("a"))))
    assert reader.classify_dialog is None
    assert reader.count.text() == "Nessun documento."
