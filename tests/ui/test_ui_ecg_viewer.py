"""The ECG viewer: the standard paper at a known DPI, switches, calliper, Italian text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.data import get_testdata_file

from app.devices.ecg import EcgRecording, read_ecg
from app.devices.ecg.leads import STANDARD_12
from app.devices.ecg.model import make_recording
from app.reports.ecg_paper import MM_PER_INCH, ROWS
from app.reports.ecg_pdf import EcgHeading
from app.ui.ecg import EcgDialog, EcgView
from app.ui.ecg.drawing import BOLD, FINE
from app.ui.language import QtTranslations
from app.ui.qt import (
    QApplication,
    QColor,
    QImage,
    QLabel,
    QPoint,
    QPointF,
    QSettings,
    Qt,
    QToolButton,
)
from tests.ui.visible_text import problems_in

RATE = 500


@pytest.fixture(scope="module")
def pydicom_ecg() -> EcgRecording:
    path = Path(str(get_testdata_file("waveform_ecg.dcm")))
    return read_ecg(path.read_bytes(), path.name)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def qt_italian(qapp: QApplication) -> Iterator[None]:
    translations = QtTranslations()
    translations.apply("it")
    yield
    translations.apply("en")


def beats(seconds: float = 10.0, at: tuple[float, ...] = (1.0, 1.8, 2.6)) -> EcgRecording:
    """Eight leads at 0 µV but for 1 mV square beats 40 ms wide in II at ``at`` seconds."""
    count = int(seconds * RATE)
    leads = {name: np.zeros(count, dtype=np.int32)
             for name in ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")}
    for second in at:
        start = int(second * RATE)
        leads["II"][start:start + 20] = 1000
    return make_recording(leads, RATE, "scp-ecg", b"")


def shown_view(qtbot, recording: EcgRecording, dpi: float, size=(1200, 700)) -> EcgView:
    view = EcgView(dpi=dpi)
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_recording(recording)
    view.show()
    qtbot.waitExposed(view)
    return view


def painted(view: EcgView) -> QImage:
    return view.viewport().grab().toImage()


def _is(image: QImage, x: int, y: int, colour: QColor) -> bool:
    return image.pixelColor(x, y).rgb() == colour.rgb()


def _bluish(image: QImage, x: int, y: int) -> bool:
    """A pixel of the calliper's blue (antialiased: not the exact colour)."""
    colour = image.pixelColor(x, y)
    return colour.blue() > colour.red() + 60


def _runs(xs: list[int]) -> list[int]:
    """The first position of each run of consecutive positions (a 2 px line is one line)."""
    return [x for i, x in enumerate(xs) if i == 0 or xs[i - 1] != x - 1]


def vertical_lines(image: QImage, y: int, x_from: int, x_to: int) -> tuple[list[int], list[int]]:
    """x of the 1 mm and of the 5 mm grid lines crossing the row ``y``."""
    fine = [x for x in range(x_from, x_to) if _is(image, x, y, FINE)]
    bold = [x for x in range(x_from, x_to) if _is(image, x, y, BOLD)]
    return _runs(fine), _runs(bold)


# -- the pydicom example ------------------------------------------------------------------
def test_the_pydicom_example_opens_with_its_twelve_leads(qtbot, executor, pydicom_ecg,
                                                         settings, qt_italian):
    dialog = EcgDialog(executor, pydicom_ecg, "waveform_ecg.dcm", settings=settings,
                       heading=EcgHeading("Rossi Mario", "RSSMRA50C12F205X"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    paper = dialog.view.paper
    assert paper is not None
    grid = [[s.lead for s in paper.segments if s.row == row] for row in range(3)]
    assert grid == [list(r) for r in ROWS]
    assert sorted(s.lead for s in paper.segments) == sorted(STANDARD_12)
    assert all(s.duration_s == 2.5 for s in paper.segments)
    assert [s.start_s for s in paper.segments if s.row == 0] == [0.0, 2.5, 5.0, 7.5]
    assert paper.rhythm is not None and paper.rhythm.lead == "II"
    assert paper.rhythm.duration_s == pytest.approx(10.0)
    painted(dialog.view)
    assert 0 < dialog.view.last_paint_ms < 1000
    panel = dialog.panel
    measured = [label.text() for label in panel.measurements.findChildren(QLabel)]
    assert "61/min" in measured and "370 ms" in measured
    assert "RITMO SINUSALE" in panel.findChild(QLabel, "ecgStatements").text()
    assert "1.000 Hz" in panel.findChild(QLabel, "ecgRecording").text()
    assert dialog.windowTitle() == "Tracciato ECG - waveform_ecg.dcm"
    assert problems_in([dialog]) == []


def test_the_traces_are_drawn_where_the_paper_puts_them(qtbot, pydicom_ecg):
    view = shown_view(qtbot, pydicom_ecg, dpi=254)  # 10 px per mm
    image = painted(view)
    paper = view.paper
    # Lead I's first column: ink somewhere within 10 mm of its 0 mV line.
    segment = paper.segments[0]
    top = view.to_view(segment.x_mm, segment.baseline_mm - 10)
    bottom = view.to_view(segment.x_mm + 20, segment.baseline_mm + 10)
    ink = [(x, y) for x in range(int(top.x()), int(bottom.x()))
           for y in range(int(top.y()), int(bottom.y()), 2)
           if image.pixelColor(x, y).lightness() < 90]
    assert len(ink) > 50


# -- true size ----------------------------------------------------------------------------
@pytest.mark.parametrize("dpi", [254.0, 96.0, 120.0])
def test_the_millimetre_grid_is_dpi_over_25_4_pixels(qtbot, dpi):
    view = shown_view(qtbot, beats(), dpi=dpi)
    image = painted(view)
    per_mm = dpi / MM_PER_INCH
    y = round(view.to_view(0, 2.5).y())  # between the 2 mm and 3 mm lines, above the traces
    left = round(view.to_view(60, 0).x())  # right of the scale written on the paper
    fine, bold = vertical_lines(image, y, left, view.viewport().width() - 20)
    every = sorted(fine + bold)
    assert len(bold) >= 8
    # Each line within a pixel of where its millimetre falls: the spacing never drifts.
    origin = view.origin().x()
    first_mm = round((every[0] - origin) / per_mm)
    for n, x in enumerate(every):
        assert abs(x - (origin + (first_mm + n) * per_mm)) <= 1.0
        assert (x in bold) == ((first_mm + n) % 5 == 0)
    assert (bold[-1] - bold[0]) / (len(bold) - 1) == pytest.approx(5 * per_mm, abs=0.15)
    assert (every[-1] - every[0]) / (len(every) - 1) == pytest.approx(per_mm, abs=0.05)
    if dpi == 254.0:
        assert set(np.diff(every)) == {10}


def test_the_dpi_follows_the_zoom(qtbot):
    view = shown_view(qtbot, beats(), dpi=254)
    view.set_zoom(2.0)  # about the view's centre: the paper's corner scrolled away
    assert view.px_per_mm() == pytest.approx(20.0)
    assert view.horizontalScrollBar().value() > 0
    view.horizontalScrollBar().setValue(0)
    view.verticalScrollBar().setValue(0)
    image = painted(view)
    y = round(view.to_view(0, 2.5).y())
    fine, bold = vertical_lines(image, y, round(view.to_view(25, 0).x()),
                                view.viewport().width() - 20)
    assert len(bold) >= 5
    assert set(np.diff(sorted(fine + bold))) == {20}
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.zoom == 1.0


def _ink_columns(view: EcgView, image: QImage) -> list[int]:
    """Columns of the rhythm strip's row holding trace ink, right of the pulse (the grid's
    lightest-to-darkest pinks are all lighter than an antialiased trace)."""
    rhythm = view.paper.rhythm
    top = round(view.to_view(0, rhythm.baseline_mm - 12).y())
    bottom = round(view.to_view(0, rhythm.baseline_mm + 3).y())
    start = max(0, round(view.to_view(view.paper.trace_x_mm, 0).x()))
    return [x for x in range(start, view.viewport().width())
            if any(image.pixelColor(x, y).lightness() < 150 for y in range(top, bottom))]


def test_fifty_mm_per_second_doubles_the_trace(qtbot, executor, settings):
    dialog = EcgDialog(executor, beats(), "beats.scp", settings=settings)
    qtbot.addWidget(dialog)
    dialog.resize(1500, 700)
    view = dialog.view
    view.set_dpi(50.8)  # 2 px per mm: 10 s at 50 mm/s fits the view
    dialog.show()
    qtbot.waitExposed(dialog)
    slow = _ink_columns(view, painted(view))
    qtbot.mouseClick(dialog.findChild(QToolButton, "ecgSpeed50"), Qt.MouseButton.LeftButton)
    assert view.scale.speed_mm_s == 50.0
    fast = _ink_columns(view, painted(view))
    assert slow[-1] - slow[0] == pytest.approx(10 * 25 * 2, abs=3)
    assert fast[-1] - fast[0] == pytest.approx(10 * 50 * 2, abs=3)
    assert view.paper.rhythm.end_mm(view.scale) - view.paper.trace_x_mm == 500.0
    assert "50 mm/s" in dialog.scale_label.text()


# -- the calliper ---------------------------------------------------------------------------
def _drag(qtbot, view: EcgView, start: QPointF, end: QPointF) -> None:
    target = view.viewport()
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(target, pos=((start + end) / 2).toPoint())
    qtbot.mouseMove(target, pos=end.toPoint())
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=end.toPoint())


def test_the_calliper_measures_an_interval_and_an_amplitude(qtbot, executor, settings,
                                                           qt_italian):
    dialog = EcgDialog(executor, beats(), "beats.scp", settings=settings)
    qtbot.addWidget(dialog)
    view = dialog.view
    view.set_dpi(254)  # 1 px = 0.1 mm = 4 ms = 0.01 mV
    dialog.resize(1300, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    rhythm = view.paper.rhythm
    x_of = view.paper.trace_x_mm
    view.scroll_to_time(0.5)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())  # the strip
    readings = []
    view.calliper_changed.connect(readings.append)
    # From the 0 mV line before the beat at 1.0 s to the top of the beat at 1.8 s.
    start = view.to_view(x_of + 1.0 * 25, rhythm.baseline_mm)
    end = view.to_view(x_of + 1.8 * 25, rhythm.baseline_mm - 10.0)
    assert 0 < start.x() < end.x() < view.viewport().width()
    assert 0 < end.y() < start.y() < view.viewport().height()
    _drag(qtbot, view, start, end)
    reading = readings[-1]
    assert reading.ms == pytest.approx(800, abs=4)
    assert reading.mv == pytest.approx(1.0, abs=0.01)
    assert reading.rate_per_min == pytest.approx(75, abs=0.5)
    assert dialog.panel.calliper.text() == "800 ms (75/min) · 1 mV"
    image = painted(view)
    assert any(_bluish(image, x, y) for x in range(round(start.x()) - 2, round(start.x()) + 3)
               for y in range(round(end.y()), round(start.y())))
    # At 50 mm/s the calliper stays on the same beats: the same reading.
    view.set_scale(speed_mm_s=50.0)
    assert view.reading().ms == pytest.approx(800, abs=4)
    assert problems_in([dialog]) == []
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.reading() is None and readings[-1] is None


def test_a_click_without_a_drag_puts_the_calliper_away(qtbot):
    view = shown_view(qtbot, beats(), dpi=96)
    point = QPoint(300, 300)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.calliper is None


def test_a_right_drag_pans_and_ctrl_wheel_zooms(qtbot):
    view = shown_view(qtbot, beats(seconds=60), dpi=96, size=(800, 500))
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton, pos=QPoint(600, 200))
    qtbot.mouseMove(view.viewport(), pos=QPoint(400, 200))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.RightButton, pos=QPoint(400, 200))
    assert bar.value() == 200
    assert view.calliper is None
    view.step_zoom(1)
    assert view.zoom == 1.5


# -- derived leads, long strips ----------------------------------------------------------------
def test_derived_leads_are_marked(qtbot, executor, settings, qt_italian):
    recording = beats()
    assert recording.derived == {"III", "aVR", "aVL", "aVF"}
    dialog = EcgDialog(executor, recording, "otto.scp", settings=settings)
    qtbot.addWidget(dialog)
    derived = {s.lead for s in dialog.view.paper.segments if s.derived}
    assert derived == {"III", "aVR", "aVL", "aVF"}
    leads = dialog.panel.findChild(QLabel, "ecgLeads").text()
    assert leads == "12 derivazioni - III, aVR, aVL, aVF calcolate da I e II (segnate *)"


def test_a_five_minute_strip_builds_only_what_is_in_view(qtbot):
    view = shown_view(qtbot, beats(seconds=300, at=tuple(np.arange(0.5, 300, 0.8))), dpi=96)
    assert view.paper.rhythm.duration_s == pytest.approx(300)
    painted(view)
    first = view.paths.built
    assert first <= 12 + 8  # the 12-lead block and the strip's first chunks
    view.scroll_to_time(150)
    image = painted(view)
    assert view.paths.built - first <= 8
    assert _ink_columns(view, image)  # the strip is drawn there too
