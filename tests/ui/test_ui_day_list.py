"""The printed day list: a page per clinician, with preview, saved as a real PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app.ui.agenda.day_list_print import DayListDialog
from app.ui.qt import QPrintPreviewDialog, Qt
from tests.ui.conftest import CENTER_NAME
from tests.ui.test_ui_agenda import (
    book,
    build_agenda_center,
    column_of,
    log_in,
    minute,
    next_monday,
    open_page,
)


@pytest.fixture(scope="module")
def agenda_template(tmp_path_factory):
    """The center with timetables, built once for this module (each test copies it)."""
    return build_agenda_center(tmp_path_factory.mktemp("agenda") / "centro")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")


@pytest.fixture
def desk_page(qtbot, executor, agenda_template, tmp_path):
    """The desk's agenda on a Monday with three bookings; Mario has a phone number."""
    log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    records = executor.backend.require()
    records.patients.update_contacts(agenda_template.patients["Rossi Mario"],
                                     {"phone": "02 4455667", "mobile": "333 1234567"})
    book(executor, agenda_template, "medico", "Rossi Mario", monday, "09:00",
         kind="controllo", note="Porta le analisi")
    book(executor, agenda_template, "medico", "Rossi Anna", monday, "08:30", 30)
    book(executor, agenda_template, "bruni", "Russo Luca", monday, "09:00", 20)
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    return open_page(qtbot, executor, session, monday)


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=30)
    return done.stdout


def _dialog(page) -> DayListDialog:
    page.print_day_list()
    dialog = page.day_list
    assert isinstance(dialog, DayListDialog) and dialog.isVisible()
    return dialog


def test_the_day_list_of_one_clinician_is_saved_as_a_pdf(qtbot, desk_page, agenda_template,
                                                         tmp_path, errors):
    grid = desk_page.day_view
    grid.select_at(column_of(grid, agenda_template.clinicians["medico"]), minute("09:00"))
    dialog = _dialog(desk_page)
    assert dialog.clinician.currentText() == "Dott.ssa Laura Neri"
    pdf = tmp_path / "lista.pdf"
    dialog.write_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    monday = next_monday()
    assert CENTER_NAME in text
    assert f"Dott.ssa Laura Neri (Medico) - Lunedì {monday:%d/%m/%Y}" in " ".join(text.split())
    titles = ("Ora", "Paziente", "Età", "Tipo di visita", "Nota per la segreteria", "Telefono")
    assert "".join(f"<th>{t}</th>" for t in titles) in dialog.html.replace("&#x27;", "'")
    assert text.split()[text.split().index("Ora"):][:4] == ["Ora", "Paziente", "Età", "Tipo"]
    lines = [line for line in text.splitlines() if "Rossi" in line]
    assert lines[0].split()[:3] == ["08:30", "Rossi", "Anna"]  # in order of time
    assert lines[1].split()[:4] == ["09:00", "Rossi", "Mario", str(
        monday.year - 1950 - ((monday.month, monday.day) < (3, 12)))]
    assert "Porta le analisi" in lines[1] and "02 4455667" in lines[1]
    assert "333 1234567" in text
    assert "Russo" not in text  # Dr Bruni's patient is on his own list
    assert "2 appuntamenti" in text
    assert "Stampato il " in text and "da Sara Conti" in text
    # Page 1 as an image, for a person to look at.
    png = tmp_path / "lista"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(png)],
                   check=True, timeout=30)
    assert next(tmp_path.glob("lista*.png")).stat().st_size > 5000
    assert not errors.errors


def test_all_clinicians_get_a_page_each(qtbot, desk_page, tmp_path, errors):
    dialog = _dialog(desk_page)
    dialog.clinician.setCurrentIndex(0)  # everyone
    assert dialog.chosen_ids() == tuple(c.id for c in desk_page.clinicians)
    pdf = tmp_path / "tutti.pdf"
    dialog.write_pdf(pdf)
    pages = _pdf_text(pdf).split("\f")
    named = [p for p in pages if p.strip()]
    assert len(named) == 4
    assert "Dott. Marco Bruni" in named[0] and "Russo Luca" in named[0]
    assert "Dott.ssa Elena Ferri" in named[1] and "Nessun appuntamento." in named[1]
    assert "Rossi Mario" in named[2]
    assert "Paolo Galli (Infermiere)" in named[3]
    assert not errors.errors


def test_the_print_preview_is_qts_own(qtbot, desk_page, errors):
    dialog = _dialog(desk_page)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview
    assert isinstance(preview, QPrintPreviewDialog) and preview.isVisible()
    assert "Rossi Mario" in dialog.html and "Russo Luca" in dialog.html
    preview.close()
    assert not errors.errors

