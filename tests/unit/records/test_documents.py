"""Documents in the chart: import by content type, text for search, limits and access."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from app.core.errors import AccessDenied, InvalidInput
from app.records import documents_text
from app.records.model import AuditEvent, Document
from app.records.services import documents
from app.records.services.views import PatientInput

LAB_TEXT = "Emoglobina glicata 7,8 %"


def make_pdf(*lines: str, encrypt: str | None = None) -> bytes:
    """A one-page PDF with ``lines`` of real text (reportlab)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    y = 780
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid grey PNG."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


@pytest.fixture
def gp(open_as):
    return open_as("medico")


@pytest.fixture
def patient(gp):
    return gp.patients.register(PatientInput("Brambilla", "Teresa", "F", date(1956, 2, 3),
                                              "Monza")).id


def _file(gp, patient, content, filename="referto.pdf", **kw):
    kw = {"kind": "laboratorio", "document_date": date(2026, 3, 2),
          "source": "Laboratorio Analisi"} | kw
    return gp.documents.import_document(patient, content, filename, **kw)


def _stored(gp, entry_id):
    with gp.db.read_engine.connect() as conn:
        return conn.execute(select(Document.mime_type, Document.text_content, Document.kind)
                            .where(Document.id == entry_id)).one()


def test_a_pdf_is_filed_and_found_by_its_text_whatever_the_case(gp, patient):
    content = make_pdf("Laboratorio Analisi Cliniche", LAB_TEXT, "Colesterolo LDL 96 mg/dL")
    entry_id = _file(gp, patient, content, "hba1c_marzo.pdf")
    mime, text, kind = _stored(gp, entry_id)
    assert (mime, kind) == ("application/pdf", "laboratorio")
    assert LAB_TEXT in text
    for query in ("glicata", "GLICATA", "emoglobina glic", "7,8"):
        found = gp.documents.search(patient, query)
        assert [d.id for d in found] == [entry_id], query
    [hit] = gp.documents.search(patient, "glicata")
    assert "glicata" in hit.excerpt
    assert hit.title == "hba1c_marzo" and hit.source == "Laboratorio Analisi"
    assert hit.document_date == date(2026, 3, 2) and hit.size == len(content)
    # Every word must be there.
    assert gp.documents.search(patient, "glicata trigliceridi") == []
    assert gp.documents.search(patient, "lobina") == []  # words are matched from their start


def test_search_ignores_accents_and_covers_title_and_source(gp, patient):
    pdf = _file(gp, patient, make_pdf("Ecografia: attivita' cardiaca regolare"),
                "eco.pdf", kind="radiology", source="Ospedale di Città Studi",
                title="Ecografia dell'addome")
    assert _stored(gp, pdf).kind == "radiologia"  # the English name is accepted too
    assert [d.id for d in gp.documents.search(patient, "CITTA studi")] == [pdf]
    assert [d.id for d in gp.documents.search(patient, "addome")] == [pdf]
    image = _file(gp, patient, make_png(), "foto.png", kind="altro", source="",
                  title="Lesione cutanea è più estesa")
    assert [d.id for d in gp.documents.search(patient, "PIU estesa")] == [image]
    # An empty search lists every document, newest date first.
    assert {d.id for d in gp.documents.search(patient, "  ")} == {pdf, image}


def test_an_image_is_filed_without_text(gp, patient):
    content = make_png()
    entry_id = _file(gp, patient, content, "ferita.jpg", kind="altro", title="Ferita")
    mime, text, _kind = _stored(gp, entry_id)
    # The bytes decide the type, not the name.
    assert mime == "image/png" and text == ""
    assert gp.documents.search(patient, "emoglobina") == []
    [view] = gp.documents.for_patient(patient)
    assert view.id == entry_id and not view.is_pdf


def test_the_bytes_round_trip_through_the_chart(gp, patient):
    content = make_pdf(LAB_TEXT)
    entry_id = _file(gp, patient, content)
    back = gp.chart.document_content("document", entry_id)
    assert hashlib.sha256(back).hexdigest() == hashlib.sha256(content).hexdigest()
    [entry] = gp.chart.open(patient).of("document")
    assert entry.id == entry_id
    assert entry.fields["sha256"] == hashlib.sha256(content).hexdigest()
    # The chart never carries the bytes or the text.
    assert "content" not in entry.fields and "text_content" not in entry.fields
    view = documents.DocumentView.from_entry(entry)
    assert (view.kind, view.source, view.size) == ("laboratorio", "Laboratorio Analisi",
                                                   len(content))
    assert documents.kind_label(view.kind) == "lab report"  # English under the unit tests
    assert documents.kind_label("lab") == "lab report"


@pytest.mark.parametrize(("content", "filename", "message"), [
    (make_png(), "referto.pdf", "named as a PDF"),
    (b"", "vuoto.pdf", "empty"),
    (b"", "vuoto.png", "empty"),
    (b"Referto: emoglobina 13,5\n", "referto.txt", "neither a PDF nor an image"),
    (b"PK\x03\x04" + b"\x00" * 40, "referto.docx", "neither a PDF nor an image"),
    (b"BM this is a text file starting with BM", "note.bmp", "neither a PDF nor an image"),
])
def test_files_that_are_not_documents_are_refused(gp, patient, content, filename, message):
    with pytest.raises(InvalidInput, match=message):
        _file(gp, patient, content, filename)
    assert gp.documents.for_patient(patient) == []


def test_a_file_over_50_mb_is_refused(gp, patient):
    content = b"%PDF-1.4\n" + b"\x00" * documents.MAX_DOCUMENT_BYTES
    with pytest.raises(InvalidInput, match="too large") as refused:
        _file(gp, patient, content)
    assert "50 MB" in refused.value.user_message("en")
    assert "troppo grande" in refused.value.user_message("it")


def test_kind_date_source_and_duplicates_are_checked(gp, patient):
    content = make_pdf(LAB_TEXT)
    with pytest.raises(InvalidInput, match="Unknown document type"):
        _file(gp, patient, content, kind="ricetta")
    with pytest.raises(InvalidInput, match="future"):
        _file(gp, patient, content, document_date=date.today() + timedelta(days=2))
    with pytest.raises(InvalidInput, match="too long"):
        _file(gp, patient, content, source="x" * 201)
    _file(gp, patient, content, title="HbA1c marzo")
    with pytest.raises(InvalidInput, match="already in the chart as \"HbA1c marzo\""):
        _file(gp, patient, content, "copia.pdf")


def test_damaged_and_locked_pdfs_are_filed_without_text(gp, patient):
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref"
    locked = make_pdf(LAB_TEXT, encrypt="segreto")
    assert documents_text.pdf_text(locked) == ""
    for content, name in ((broken, "rotto.pdf"), (locked, "protetto.pdf")):
        entry_id = _file(gp, patient, content, name)
        assert _stored(gp, entry_id).text_content == ""
        assert gp.chart.document_content("document", entry_id) == content
    assert gp.documents.search(patient, "glicata") == []


def test_a_document_entered_in_error_is_no_longer_found(gp, patient):
    entry_id = _file(gp, patient, make_pdf(LAB_TEXT))
    gp.clinical.mark_entered_in_error("document", entry_id, "paziente sbagliato")
    assert gp.documents.search(patient, "glicata") == []
    assert gp.documents.for_patient(patient) == []
    # Filed again (the right patient this time): not a duplicate of the one in error.
    _file(gp, patient, make_pdf(LAB_TEXT))


def test_search_is_audited_without_the_words_searched(gp, patient):
    _file(gp, patient, make_pdf(LAB_TEXT))
    gp.documents.search(patient, "glicata")
    with gp.db.read_engine.connect() as conn:
        events = conn.execute(select(AuditEvent.action, AuditEvent.patient_id, AuditEvent.detail)
                              .where(AuditEvent.action.like("document.%"))).all()
    assert ("document.search", patient, "1 found") in events
    assert all("glicata" not in (detail or "") for _a, _p, detail in events)


def test_the_secretary_and_the_nurse_cannot_file(open_as, gp, patient):
    content = make_pdf(LAB_TEXT)
    secretary = open_as("segreteria")
    with pytest.raises(AccessDenied):
        _file(secretary, patient, content)
    with pytest.raises(AccessDenied):
        secretary.documents.search(patient, "glicata")
    nurse = open_as("infermiere")
    with pytest.raises(AccessDenied):
        _file(nurse, patient, content)
    assert nurse.documents.for_patient(patient) == []  # she reads the chart


def test_sniffing_knows_the_image_formats_qt_shows():
    assert documents_text.sniff_mime(b"junk\n%PDF-1.5\n...") == "application/pdf"
    assert documents_text.sniff_mime(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "image/jpeg"
    assert documents_text.sniff_mime(b"II*\x00" + b"\x00" * 20) == "image/tiff"
    assert documents_text.sniff_mime(b"MM\x00*" + b"\x00" * 20) == "image/tiff"
    assert documents_text.sniff_mime(b"GIF89a" + b"\x00" * 20) == "image/gif"
    assert documents_text.sniff_mime(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    bmp = b"BM" + (70).to_bytes(4, "little") + b"\x00" * 4 + (54).to_bytes(4, "little")
    assert documents_text.sniff_mime(bmp + b"\x00" * 56) == "image/bmp"
    assert documents_text.sniff_mime(b"<html>") is None


def test_the_excerpt_keeps_the_text_as_written():
    text = "Ecografia addominale. Attività epatica nella norma; colecisti alitiasica. " * 3
    words = documents_text.query_words("ATTIVITA epatica")
    piece = documents_text.excerpt(text, words, width=40)
    assert piece == "…addominale. Attività epatica nella nor…"  # accents as written
    assert documents_text.excerpt(text, documents_text.query_words("renale")) == ""
    assert documents_text.matches(words, text)
    assert not documents_text.matches(documents_text.query_words("attivita renale"), text)
