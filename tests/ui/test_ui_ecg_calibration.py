"""The viewer's DPI: the screen's report when plausible, a ruler's measure when given;
and its Print / PDF menu writing a true-scale page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.devices.ecg import EcgRecording
from app.reports.ecg_pdf import EcgHeading
from app.ui.ecg import EcgDialog
from app.ui.ecg.calibration import (
    SCREEN_DPI_KEY,
    CalibrationDialog,
    ScreenDpi,
    corrected_dpi,
    screen_dpi,
)
from app.ui.ecg.print_pdf import print_pdf
from app.ui.qt import QPageLayout, QPageSize, QPrinter, QSettings
from tests.ui.test_ui_ecg_viewer import beats
from tests.ui.visible_text import problems_in
from tests.unit.reports.test_ecg_pdf import PX_PER_MM, needs_poppler, pulse_size, render

A4_LANDSCAPE_PT = (841.89, 595.28)


class FakeScreen:
    def __init__(self, physical: float, logical: float = 96.0) -> None:
        self.physical, self.logical = physical, logical

    def physicalDotsPerInch(self) -> float:  # noqa: N802 - Qt's name
        return self.physical

    def logicalDotsPerInch(self) -> float:  # noqa: N802
        return self.logical


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def recording() -> EcgRecording:
    return beats()


def test_the_screen_is_believed_when_plausible(settings):
    assert screen_dpi(FakeScreen(108.8), settings) == ScreenDpi(108.8, "screen")
    # A monitor reporting a size of 1 mm, or none at all: the logical DPI, said so.
    assert screen_dpi(FakeScreen(25400.0), settings) == ScreenDpi(96.0, "logical")
    assert screen_dpi(FakeScreen(0.0, 120.0), settings) == ScreenDpi(120.0, "logical")
    assert screen_dpi(None, None) == ScreenDpi(96.0, "logical")


def test_a_saved_measure_overrides_the_screen(settings):
    settings.setValue(SCREEN_DPI_KEY, "91.5")
    assert screen_dpi(FakeScreen(108.8), settings) == ScreenDpi(91.5, "setting")
    settings.setValue(SCREEN_DPI_KEY, "nonsense")
    assert screen_dpi(FakeScreen(108.8), settings).source == "screen"
    settings.setValue(SCREEN_DPI_KEY, "5")  # out of any sensible range: ignored
    assert screen_dpi(FakeScreen(108.8), settings).source == "screen"


def test_the_ruler_corrects_the_dpi():
    # A 100 mm bar drawn at 96 dpi that measures 90 mm: the screen has 106.67 dpi.
    assert corrected_dpi(96.0, 90.0) == pytest.approx(106.667, abs=0.001)
    assert corrected_dpi(96.0, 100.0) == 96.0


def test_calibrating_from_the_viewer_redraws_at_the_new_size_and_keeps_it(
        qtbot, executor, settings, recording):
    dialog = EcgDialog(executor, recording, "beats.scp", settings=settings)
    qtbot.addWidget(dialog)
    before = dialog.view.px_per_mm()
    dialog.calibrate()
    calibration = dialog.calibration
    assert isinstance(calibration, CalibrationDialog)
    assert not calibration.reset.isEnabled()  # nothing measured by hand yet
    assert problems_in([calibration]) == []
    calibration.length.setValue(110)
    calibration.accept()
    assert dialog.dpi.source == "setting"
    assert dialog.view.px_per_mm() == pytest.approx(before * 100 / 110, rel=1e-3)
    assert float(settings.value(SCREEN_DPI_KEY)) == pytest.approx(dialog.dpi.dpi, abs=0.01)
    assert "misurato a mano" in dialog.scale_label.text()
    # A new viewer on this workstation starts at the measured size.
    again = EcgDialog(executor, recording, "beats.scp", settings=settings)
    qtbot.addWidget(again)
    assert again.view.px_per_mm() == pytest.approx(dialog.view.px_per_mm(), rel=1e-3)
    # And the screen's own value can be taken back.
    again.calibrate()
    assert again.calibration.reset.isEnabled()
    again.calibration.reset.click()
    assert settings.value(SCREEN_DPI_KEY) is None
    assert again.dpi.source != "setting"


def test_save_as_pdf_writes_the_page_and_says_how_to_print_it(qtbot, executor, settings,
                                                              recording, tmp_path, errors):
    dialog = EcgDialog(executor, recording, "beats.scp", settings=settings,
                       heading=EcgHeading("Rossi Mario", "RSSMRA50C12F205X"))
    qtbot.addWidget(dialog)
    target = tmp_path / "ecg-rossi.pdf"
    dialog.save_pdf(target)
    assert errors.errors == []
    pages = PdfReader(io.BytesIO(target.read_bytes())).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=0.01)
    assert "Rossi Mario" in pages[0].extract_text()
    assert dialog.status.text().startswith("PDF salvato: ")
    assert "100 %" in dialog.status.text()


@needs_poppler
def test_printing_puts_the_page_on_the_whole_sheet(qtbot, executor, settings, recording,
                                                    tmp_path):
    dialog = EcgDialog(executor, recording, "beats.scp", settings=settings)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    dialog.print_to(printer)
    assert dialog.status.text() == "Inviato alla stampante."
    page = PdfReader(str(tmp_path / "printed.pdf")).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        A4_LANDSCAPE_PT, abs=1.0)
    # On the printed sheet the calibration pulse is still 0.2 s = 5 mm by 1 mV = 10 mm.
    image = render((tmp_path / "printed.pdf").read_bytes(), tmp_path)
    width, height = pulse_size(image, recording)
    assert width == pytest.approx(5 * PX_PER_MM, abs=2.0)
    assert height == pytest.approx(10 * PX_PER_MM, abs=2.0)
    assert not print_pdf(printer, b"not a pdf")


def test_the_viewer_follows_its_window_to_another_screen(qtbot, executor, settings,
                                                         recording, monkeypatch):
    dialog = EcgDialog(executor, recording, "beats.scp", settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowHandle() is not None and dialog._follows_screen
    # A second monitor reporting 140 dpi: what screenChanged would make the view read.
    monkeypatch.setattr(dialog, "screen", lambda: FakeScreen(140.0))
    dialog.refresh_dpi()
    assert dialog.dpi == ScreenDpi(140.0, "screen")
    assert dialog.view.px_per_mm() == pytest.approx(140.0 / 25.4)
