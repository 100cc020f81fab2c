"""The ECG PDF: A4 landscape at true scale, read back by rendering it with pdftoppm at a
known resolution and measuring the calibration pulse and the beats in pixels."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from pypdf import PdfReader

from app.core import i18n
from app.devices.ecg.model import EcgMeasurements, EcgRecording, make_recording
from app.reports.ecg_paper import Scale
from app.reports.ecg_pdf import (
    EcgHeading,
    EcgPdfNotWritten,
    ecg_pdf_bytes,
    grid_origin_mm,
    paper_for_page,
    write_ecg_pdf,
)

A4_LANDSCAPE_PT = (841.89, 595.28)
DPI = 254  # 10 pixels per millimetre
PX_PER_MM = DPI / 25.4
RATE = 500
PAPER_SCALE = Scale()  # 25 mm/s, 10 mm/mV
HEADING = EcgHeading("Rossi Mario", "RSSMRA50C12F205X", date(1950, 3, 12))
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftoppm, pdftotext) not installed")


@pytest.fixture(autouse=True)
def italian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "it")


def recording(seconds: float = 10.0, beats_at: tuple[float, ...] = (1.0, 2.0)) -> EcgRecording:
    """Eight leads at 0 µV but for 1 mV beats 20 ms wide in lead II (I-derived leads too)."""
    count = int(seconds * RATE)
    leads = {name: np.zeros(count, dtype=np.int32)
             for name in ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")}
    for second in beats_at:
        leads["II"][int(second * RATE):int(second * RATE) + 10] = 1000
    return make_recording(
        leads, RATE, "scp-ecg", b"", device="Esaote P8000",
        measurements=EcgMeasurements(heart_rate_bpm=60, pr_ms=160, qrs_ms=88, qt_ms=380,
                                     qtc_ms=380, p_axis_deg=50, qrs_axis_deg=40,
                                     t_axis_deg=35),
        statements=("Ritmo sinusale", "ECG nei limiti"))


def render(content: bytes, tmp_path: Path, dpi: int = DPI) -> NDArray[np.uint8]:
    """The first page as a grey image (rows, columns), 0 black, 255 white."""
    source = tmp_path / "page.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    raw = (tmp_path / "page.pgm").read_bytes()
    magic, width, height, top, pixels = raw.split(maxsplit=4)
    assert magic == b"P5" and top == b"255"
    return np.frombuffer(pixels, dtype=np.uint8).reshape(int(height), int(width))


def dark_runs(line: NDArray[np.uint8]) -> list[float]:
    """Centres of the runs of dark pixels (the ink, not the pink grid) along a line."""
    dark = np.flatnonzero(line < 100)
    if not len(dark):
        return []
    runs = np.split(dark, np.flatnonzero(np.diff(dark) > 1) + 1)
    return [float(run.mean()) for run in runs]


def page_px(x_mm: float, y_mm: float, paper_origin: tuple[float, float]) -> tuple[int, int]:
    """A point of the paper (mm) as (column, row) of the rendered page."""
    return (round((paper_origin[0] + x_mm) * PX_PER_MM),
            round((paper_origin[1] + y_mm) * PX_PER_MM))


def level(image: NDArray[np.uint8], x_mm: float, from_mm: float, to_mm: float,
          origin: tuple[float, float]) -> float:
    """The row of the one horizontal line crossing the column ``x_mm`` between two depths."""
    column, top = page_px(x_mm, from_mm, origin)
    _col, bottom = page_px(x_mm, to_mm, origin)
    found = dark_runs(image[top:bottom, column])
    assert len(found) == 1, found
    return top + found[0]


def pulse_size(image: NDArray[np.uint8], rec: EcgRecording,
               scale: Scale = PAPER_SCALE) -> tuple[float, float]:
    """Width and height of the first row's calibration pulse, in pixels: between its two
    sides, and from its top to the 0 mV line it starts from."""
    paper = paper_for_page(rec, scale)
    origin = grid_origin_mm(paper)
    baseline = paper.baselines[0]
    left, middle = page_px(paper.pulse_x_mm - 0.5, baseline - 3.0, origin)
    right, _row = page_px(paper.trace_x_mm - 0.5, 0, origin)
    edges = dark_runs(image[middle, left:right])
    assert len(edges) == 2, edges
    start = paper.pulse_x_mm + 1.0  # where the pulse rises (after a 1 mm lead-in)
    top = level(image, start + 2.5, baseline - scale.gain_mm_mv - 3.0, baseline - 2.0, origin)
    zero = level(image, start - 0.5, baseline - 2.0, baseline + 2.0, origin)
    return edges[1] - edges[0], zero - top


def test_the_page_is_a4_landscape():
    pages = PdfReader(io.BytesIO(ecg_pdf_bytes(recording(), HEADING))).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=0.01)


@needs_poppler
def test_the_calibration_pulse_is_5_mm_wide_and_10_mm_high(tmp_path):
    rec = recording()
    image = render(ecg_pdf_bytes(rec, HEADING), tmp_path)
    width, height = pulse_size(image, rec)
    assert width == pytest.approx(0.2 * 25 * PX_PER_MM, abs=1.0)  # 0.2 s at 25 mm/s
    assert height == pytest.approx(1.0 * 10 * PX_PER_MM, abs=1.0)  # 1 mV at 10 mm/mV


@needs_poppler
def test_one_second_of_trace_is_25_mm(tmp_path):
    rec = recording(beats_at=(1.0, 2.0, 7.0))
    image = render(ecg_pdf_bytes(rec, HEADING), tmp_path)
    paper = paper_for_page(rec, Scale())
    origin = grid_origin_mm(paper)
    strip = paper.rhythm
    left, row = page_px(strip.x_mm + 0.5, strip.baseline_mm - 8.0, origin)
    right, _row = page_px(strip.end_mm(paper.scale), 0, origin)
    edges = dark_runs(image[row, left:right])
    assert len(edges) == 6  # each 20 ms beat: its rising and its falling side
    beats = edges[0::2]
    assert beats[1] - beats[0] == pytest.approx(25 * PX_PER_MM, abs=1.5)
    assert beats[2] - beats[0] == pytest.approx(6 * 25 * PX_PER_MM, abs=1.5)


@needs_poppler
def test_twenty_mm_per_mv_doubles_the_pulse_height(tmp_path):
    rec = recording()
    image = render(ecg_pdf_bytes(rec, HEADING, gain_mm_mv=20.0), tmp_path)
    width, height = pulse_size(image, rec, Scale(25.0, 20.0))
    assert width == pytest.approx(5 * PX_PER_MM, abs=1.0)
    assert height == pytest.approx(20 * PX_PER_MM, abs=1.0)


@needs_poppler
def test_the_text_names_the_patient_the_scale_and_the_findings(tmp_path):
    source = tmp_path / "ecg.pdf"
    source.write_bytes(ecg_pdf_bytes(recording(seconds=30), HEADING))
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    for expected in ("ECG a 12 derivazioni", "Rossi Mario", "RSSMRA50C12F205X",
                     "nato/a il 12/03/1950", "Esaote P8000", "500 Hz",
                     "Frequenza cardiaca 60/min", "PR 160 ms", "QTc 380 ms",
                     "Assi P / QRS / T 50° / 40° / 35°", "Ritmo sinusale", "ECG nei limiti",
                     "Interpretazione dell'apparecchio, da confermare",
                     "25 mm/s · 10 mm/mV", "griglia 1 mm", "stampare al 100 %",
                     "* derivazione calcolata da I e II",
                     "striscia del ritmo: i primi 10 s di 30 s",
                     "III*", "aVR*", "V1", "V6"):
        assert expected in text, expected


def test_without_a_chart_patient_the_page_says_who_the_cart_named():
    from app.devices.results import PatientRef

    rec = make_recording({"I": np.zeros(100, np.int32), "II": np.zeros(100, np.int32)}, RATE,
                         "aecg", b"", patient=PatientRef("LAB-42", "ESPOSITO", "GENNARO"))
    text = PdfReader(io.BytesIO(ecg_pdf_bytes(rec))).pages[0].extract_text()
    assert "come inviato dall'apparecchio: ESPOSITO GENNARO · LAB-42" in text


def test_the_words_follow_the_ui_language(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    text = PdfReader(io.BytesIO(ecg_pdf_bytes(recording(), HEADING))).pages[0].extract_text()
    assert "12-lead ECG" in text and "print at 100 % (actual size)" in text


def test_the_file_is_private_and_whole(tmp_path):
    target = tmp_path / "ecg.pdf"
    write_ecg_pdf(target, recording(), HEADING)
    assert target.read_bytes().startswith(b"%PDF")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["ecg.pdf"]
    with pytest.raises(EcgPdfNotWritten) as raised:
        write_ecg_pdf(tmp_path / "missing" / "ecg.pdf", recording(), HEADING)
    assert "cartella" in raised.value.user_message("it")
