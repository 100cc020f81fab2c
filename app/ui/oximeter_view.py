"""Live view of the Contec CMS50D+ oximeter: pleth wave, SpO2, pulse, link status.

The reader thread keeps the latest samples (``DeviceRunner.latest_samples``); a timer on
the GUI thread polls them and redraws only when new ones arrived, so a still or
unplugged oximeter costs next to nothing. The wave is one path item in a pyqtgraph plot,
its path rebuilt from numpy arrays (no items created after start-up), with fixed axes:
no autorange work per frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import pyqtgraph as pg

from app.core.i18n import _
from app.devices.cms50 import SAMPLE_RATE_HZ, Sample
from app.ui.qt import (
    QFont,
    QGraphicsPathItem,
    QHBoxLayout,
    QHideEvent,
    QKeySequence,
    QLabel,
    QPainterPath,
    QPushButton,
    QShowEvent,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)

WINDOW_S = 5.0  # seconds of wave on screen
# Redraws per second: each takes every sample that arrived meanwhile. Measured with
# benchmarks/oximeter_cpu.py (a 60 samples/s oximeter): about 11 % of a core at 60 Hz,
# 5.5 % at 30 Hz, under 5 % at 25 Hz, where the wave still moves smoothly.
REFRESH_HZ = 25
QUIET_S = 1.5  # no new sample for this long: the oximeter is silent
PLETH_MAX = 100  # the pleth byte is 0-127, 0-100 in practice
NO_VALUE = "--"


class SampleSource(Protocol):
    """Where the samples come from (``app.devices.runtime.DeviceRunner`` in the program)."""

    def latest_samples(self, seconds: float) -> list[Sample]:
        """The samples of the last ``seconds``, oldest first."""
        ...


def status_text(samples: Sequence[Sample], quiet: bool, link: str, error: str) -> str:
    """The status line: error, silence, finger out, searching, or connected."""
    if link == "error":
        return _("error: {detail}").format(detail=error or _("the oximeter does not answer"))
    if not samples or quiet:
        return _("waiting for the oximeter")
    last = samples[-1]
    if last.probe_off:
        return _("finger out")
    if not last.valid:
        return _("searching for the signal")
    return _("connected")


def _big_number(caption: str, name: str) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    number = QLabel(NO_VALUE)
    number.setObjectName(name)
    font = QFont()
    font.setPointSize(40)
    font.setBold(True)
    number.setFont(font)
    number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    number.setMinimumWidth(number.fontMetrics().horizontalAdvance("888"))
    layout.addWidget(number)
    layout.addWidget(QLabel(caption), 0, Qt.AlignmentFlag.AlignRight)
    return box, number


class OximeterView(QWidget):
    """Pleth wave of the last seconds, SpO2 and pulse in big digits, a "Save reading" button."""

    def __init__(self, source: SampleSource, on_spot_check: Callable[[], None],
                 parent: QWidget | None = None, refresh_hz: float = REFRESH_HZ) -> None:
        super().__init__(parent)
        self.setObjectName("oximeterView")
        self._source = source
        self._on_spot_check = on_spot_check
        self._link = ""
        self._error = ""
        self._last: Sample | None = None  # the newest sample drawn
        self._drawn = False  # a wave is on screen
        self._new_at = time.monotonic()  # when a new sample was last seen
        points = round(WINDOW_S * SAMPLE_RATE_HZ)
        self._x = (np.arange(points, dtype=np.float64) - (points - 1)) / SAMPLE_RATE_HZ
        self.frames = 0  # redraws done (the CPU benchmark reports it)
        empty = np.zeros(0, dtype=np.float64)
        self.wave: tuple[np.ndarray, np.ndarray] = (empty, empty)  # the (x, y) on screen

        self.plot = self._make_plot()
        # The wave is a path item painted by Qt itself: a PlotDataItem costs about 40 % more
        # per frame in pyqtgraph's Python paint and bounds code (benchmarks/oximeter_cpu.py).
        self.curve = QGraphicsPathItem()
        self.curve.setPen(pg.mkPen("#0b5394", width=2))
        self.plot.addItem(self.curve)
        spo2_box, self.spo2 = _big_number(_("SpO2 %"), "spo2Value")
        pulse_box, self.pulse = _big_number(_("pulse /min"), "pulseValue")
        self.status = QLabel()
        self.status.setObjectName("oximeterStatus")
        self.spot_button = QPushButton(_("Save reading (Alt+S)"))
        self.spot_button.setObjectName("spotCheck")
        self.spot_button.setShortcut(QKeySequence("Alt+S"))
        self.spot_button.setAutoDefault(False)
        self.spot_button.setEnabled(False)
        self.spot_button.clicked.connect(self._spot_check)

        numbers = QVBoxLayout()
        numbers.addWidget(spo2_box)
        numbers.addWidget(pulse_box)
        numbers.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.plot, 1)
        top.addLayout(numbers)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.spot_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(round(1000 / refresh_hz))
        self.timer.timeout.connect(self.refresh)
        self._show_status(())

    @staticmethod
    def _make_plot() -> pg.PlotWidget:
        plot = pg.PlotWidget(background="w", enableMenu=False)
        plot.setObjectName("plethPlot")
        # pyqtgraph's own "Export..." (English, a dialog of its own) is not ours to offer.
        scene = plot.scene()
        for action in scene.contextMenu:
            action.setParent(None)
        scene.contextMenu = []
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setXRange(-WINDOW_S, 0, padding=0)  # fixed ranges: no autorange per frame
        plot.setYRange(0, PLETH_MAX, padding=0.02)
        plot.setMinimumSize(360, 160)
        return plot

    # -- what the caller tells the view ---------------------------------------------------------
    def set_link_state(self, state: str, error: str = "") -> None:
        """The device runner's state ("error" shows ``error``); from its status signal."""
        self._link, self._error = state, error
        quiet = time.monotonic() - self._new_at > QUIET_S
        self._show_status(self._source.latest_samples(WINDOW_S), quiet)

    # -- the timer ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Poll only while on screen."""
        self.timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        """A hidden view costs nothing."""
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        """Redraw when a new sample arrived; clear a wave gone silent; update the labels."""
        samples = self._source.latest_samples(WINDOW_S)
        now = time.monotonic()
        last = samples[-1] if samples else None
        if last is not self._last:
            self._last, self._new_at = last, now
            self._draw(samples)
        quiet = now - self._new_at > QUIET_S
        if quiet and self._drawn:
            self._draw(())  # a still wave would look live: a silent oximeter shows none
        self._show_status(samples, quiet)

    def _draw(self, samples: Sequence[Sample]) -> None:
        self.frames += 1
        points = len(self._x)
        shown = samples[-points:]
        count = len(shown)
        self._drawn = count > 0
        y = np.fromiter((s.pleth for s in shown), dtype=np.float64, count=count)
        self.wave = (self._x[points - count:], y)
        self.curve.setPath(pg.arrayToQPath(*self.wave) if count else QPainterPath())

    def _show_status(self, samples: Sequence[Sample], quiet: bool = False) -> None:
        last = samples[-1] if samples and not quiet else None
        valid = last is not None and last.valid and self._link != "error"
        _set_text(self.spo2, str(last.spo2) if valid and last is not None else NO_VALUE)
        _set_text(self.pulse, str(last.pulse_rate) if valid and last is not None else NO_VALUE)
        _set_text(self.status, status_text(samples, quiet, self._link, self._error))
        if self.spot_button.isEnabled() != valid:
            self.spot_button.setEnabled(valid)

    def _spot_check(self) -> None:
        self._on_spot_check()


def _set_text(label: QLabel, text: str) -> None:
    """Change a label only when its text changes (setText relayouts the window)."""
    if label.text() != text:
        label.setText(text)
