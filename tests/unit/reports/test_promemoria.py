"""The promemoria PDF: read back with pypdf, its barcode decoded from the page's drawing."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import sys
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.barcode import code128

from app.core import i18n
from app.reports.promemoria import (
    CenterInfo,
    DrugItem,
    InvalidPromemoria,
    LabItem,
    PatientInfo,
    Prescriber,
    PromemoriaData,
    PromemoriaNotWritten,
    SpecialistItem,
    codice_fiscale_barcode,
    printable,
    promemoria_bytes,
    write_promemoria,
)

CF = "DLANCL52T10F205X"
DATA = PromemoriaData(
    center=CenterInfo("Medicina di gruppo Brera", "Via Solferino 12, 20121 Milano (MI)"),
    prescriber=Prescriber("Dott.ssa Chiara Lombardi", "123456"),
    patient=PatientInfo("D'Alò", "Nicolò", CF, date(1952, 12, 10),
                        "Via Niccolò Tommaseo 4, 20123 Milano (MI)"),
    items=(
        DrugItem("Ramipril Teva 5 mg compresse", "C09AA05", "035678012", "1 cp al mattino", 2),
        DrugItem("Metformina Doc 1000 mg compresse", "A10BA02", "037195036", "1 cp x 2", 1),
        LabItem("90.16.3", "Creatinina"),
        SpecialistItem("89.7A.3", "Prima visita cardiologica"),
    ),
    issued_on=date(2026, 12, 4),
    priority="B",
    clinical_question="Ipertensione con danno d'organo: controllo della funzione renale",
    esenzione="031",
)


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


# -- what the patient and the pharmacist read -----------------------------------------------
def test_the_memo_carries_the_prescription_and_no_nre():
    content = promemoria_bytes(DATA)
    (text,) = pdf_text(content)
    assert CF in text
    for drug in ("Ramipril Teva 5 mg compresse", "Metformina Doc 1000 mg compresse"):
        assert drug in text
    assert "Creatinina" in text and "Prima visita cardiologica" in text
    assert "da emettere" in text
    assert "Breve" in text and "entro 10 giorni" in text
    assert "031" in text and "NON ESENTE" not in text
    assert "D'ALÒ Nicolò" in text and "Via Niccolò Tommaseo" in text  # Latin-1 accents kept
    assert "Dott.ssa Chiara Lombardi" in text and "123456" in text
    assert "sistema regionale" in text
    assert "Ipertensione con danno d'organo" in text
    # The app never invents an NRE: the field says so, and nothing in the text looks like
    # one (15 characters, mostly digits) or like any long number.
    assert re.search(r"NRE \(NUMERO RICETTA ELETTRONICA\)\s*da emettere", text)
    assert not re.search(r"\d{12,}", text)
    assert not re.search(r"\d{12,}", re.sub(r"[ \t]", "", text))
    assert not re.search(r"\b(?=(?:[A-Z]*\d){10})[0-9A-Z]{15}\b", text)


def test_a_patient_without_esenzione_is_non_esente_and_priority_is_optional():
    data = dataclasses.replace(DATA, esenzione=None, priority=None)
    (text,) = pdf_text(promemoria_bytes(data))
    assert "NON ESENTE" in text
    assert "Breve" not in text and "Urgente" not in text


def test_a5_landscape_and_long_lists_flow_onto_numbered_pages():
    reader = PdfReader(io.BytesIO(promemoria_bytes(DATA)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 420)
    many = dataclasses.replace(DATA, items=DATA.items * 8)
    pages = pdf_text(promemoria_bytes(many))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert CF in text and "da emettere" in text
        assert f"pagina {number} di {len(pages)}" in text
    assert sum(text.count("Metformina Doc 1000 mg compresse") for text in pages) == 8


def test_letters_the_pdf_fonts_lack_are_written_plainly():
    assert printable("Nicolò Ștefănescu") == "Nicolò Stefanescu"
    assert printable("Łukasz Wałęsa") == "Lukasz Walesa"
    assert printable("Åse Ørsted €") == "Åse Ørsted €"
    data = dataclasses.replace(DATA, patient=dataclasses.replace(
        DATA.patient, surname="Ștefănescu", name="Ionuț"))
    (text,) = pdf_text(promemoria_bytes(data))
    assert "STEFANESCU Ionut" in text


# -- the barcode ----------------------------------------------------------------------------
# Code 128 bar/space widths of values 0..106, from the standard (ISO/IEC 15417).
CODE128 = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112"
).split()
VALUE_OF = {pattern: value for value, pattern in enumerate(CODE128)}


def test_our_code128_table_agrees_with_reportlabs():
    def widths(letters: str) -> str:
        return "".join(str(ord(c.lower()) - ord("a") + 1) for c in letters)

    assert [widths(code128._patterns[v]) for v in range(107)] == CODE128


def bars_on_page(content: bytes) -> list[tuple[float, float]]:
    """(x, width) of the filled rectangles that form the barcode: the largest set sharing
    one y and one height."""
    reader = PdfReader(io.BytesIO(content))
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    rects = [tuple(float(v) for v in operands) for operands, op in operations if op == b"re"]
    rows = Counter((round(y, 2), round(h, 2)) for _x, y, _w, h in rects)
    (y, h), count = rows.most_common(1)[0]
    assert count >= 20
    return sorted((x, w) for x, ry, w, rh in rects if (round(ry, 2), round(rh, 2)) == (y, h))


def decode_code128(bars: list[tuple[float, float]]) -> str:
    """Read a Code 128 symbol from its bars: widths, checksum, code sets A, B and C."""
    elements: list[float] = []
    for (x, w), (next_x, _) in zip(bars, bars[1:], strict=False):
        elements += [w, next_x - x - w]
    elements.append(bars[-1][1])
    module = sum(elements[:6]) / 11  # the start symbol is 11 modules wide
    widths = "".join(str(round(e / module)) for e in elements)
    assert len(widths) % 6 == 1 and widths.endswith("2331112")
    values = [VALUE_OF[widths[i:i + 6]] for i in range(0, len(widths) - 7, 6)]
    start, *data, checksum = values
    assert (start + sum(i * v for i, v in enumerate(data, start=1))) % 103 == checksum
    code_set = {103: "A", 104: "B", 105: "C"}[start]
    text = ""
    for value in data:
        if code_set == "C" and value < 100:
            text += f"{value:02d}"
        elif value == 99:
            code_set = "C"
        elif value == 100 and code_set != "B":
            code_set = "B"
        elif value == 101 and code_set != "A":
            code_set = "A"
        elif code_set in "AB" and value < 64:
            text += chr(value + 32)
        elif code_set == "B" and value < 96:
            text += chr(value + 32)
        else:
            raise AssertionError(f"unexpected value {value} in code set {code_set}")
    return text


def test_the_codice_fiscale_barcode_decodes_to_the_cf():
    assert codice_fiscale_barcode(CF).value == CF
    assert decode_code128(bars_on_page(promemoria_bytes(DATA))) == CF
    other = dataclasses.replace(DATA, patient=dataclasses.replace(
        DATA.patient, codice_fiscale="rssmra85t10a562s"))
    assert decode_code128(bars_on_page(promemoria_bytes(other))) == "RSSMRA85T10A562S"


# -- refusals and the file ------------------------------------------------------------------
@pytest.mark.parametrize("data", [
    dataclasses.replace(DATA, items=()),
    dataclasses.replace(DATA, priority="X"),
    dataclasses.replace(DATA, patient=dataclasses.replace(DATA.patient, codice_fiscale="")),
    dataclasses.replace(DATA, patient=dataclasses.replace(DATA.patient,
                                                          codice_fiscale="DLANCL52T10F205Ç")),
])
def test_what_cannot_be_printed_is_refused_in_both_languages(data):
    with pytest.raises(InvalidPromemoria) as caught:
        promemoria_bytes(data)
    assert caught.value.user_message("it") != caught.value.user_message("en")
    detail = caught.value.fields["detail"]
    assert i18n.translate(detail, "it") != detail


def test_write_promemoria_writes_a_private_file_whole(tmp_path):
    target = tmp_path / "promemoria.pdf"
    write_promemoria(target, DATA)
    assert CF in pdf_text(target.read_bytes())[0]
    assert [p.name for p in tmp_path.iterdir()] == ["promemoria.pdf"]
    if sys.platform != "win32":
        assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(PromemoriaNotWritten) as caught:
        write_promemoria(tmp_path / "missing-folder" / "promemoria.pdf", DATA)
    assert "missing-folder" in caught.value.user_message("it")
    assert os.listdir(tmp_path) == ["promemoria.pdf"]


def test_the_words_of_the_form_are_italian_whatever_the_ui_language(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    (text,) = pdf_text(promemoria_bytes(DATA))
    assert "PROMEMORIA PER L'ASSISTITO" in text and "Quesito diagnostico".upper() in text
