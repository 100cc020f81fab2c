"""A trend plot: values over the years, reference bands and lines, zoom, pan, date ranges.

Time runs along x in seconds of the center's wall clock (``observations.timeline``); the
date axis writes dd/mm/yyyy (mm/yyyy, yyyy when zoomed out) and the value axis a decimal
comma in Italian. The wheel zooms and a drag pans the dates; the values axis follows the
points on screen, stretched to the nearest reference line above and below so a target
is always in sight. Buttons show everything, the last year or the last five years.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg

from app.core.formats import drop_context, format_decimal
from app.core.i18n import _
from app.ui.chart.observations import Band, Tone
from app.ui.qt import (
    QApplication,
    QButtonGroup,
    QFontMetrics,
    QHBoxLayout,
    QLabel,
    QPointF,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)

DAY = 86400.0
YEAR = 365.25 * DAY
MONTH = YEAR / 12
MIN_SPAN = 14 * DAY  # the closest zoom: two weeks
EDGE = 0.03  # room left and right of the points, as a share of the range shown
TONES: dict[Tone, tuple[int, int, int, int]] = {
    "good": (46, 160, 67, 28),
    "warn": (230, 150, 20, 30),
    "bad": (210, 50, 40, 30),
    "worse": (160, 20, 20, 45),
    "systolic": (179, 38, 30, 22),  # a series' own range, in its colour
    "diastolic": (31, 95, 168, 22),
}
GUIDE_COLOR = "#6b6b6b"
HOVER_PX = 8  # a point's tooltip shows within this many pixels of it
DOTS_EVERY_PX = 6  # fewer pixels per point than this: lines without dots
RANGES: tuple[float | None, ...] = (None, 1.0, 5.0)  # all, one year, five years


@dataclass(frozen=True)
class PlotSeries:
    """One line of points: ``x`` on the time axis (``timeline``), ``y`` in the plot's unit."""

    label: str
    x: np.ndarray
    y: np.ndarray
    color: str = "#0b5394"
    tip: Callable[[int], str] | None = None  # the tooltip of point i


@dataclass(frozen=True)
class Guide:
    """A labelled reference line across the plot (a target, a threshold)."""

    value: float
    label: str
    color: str = GUIDE_COLOR


@dataclass(frozen=True)
class Span:
    """Vertical bars joining two values of one moment (a diastolic to its systolic)."""

    x: np.ndarray
    low: np.ndarray
    high: np.ndarray


# -- axes --------------------------------------------------------------------------------
_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1), ("day", 2), ("day", 7), ("day", 14), ("month", 1), ("month", 2),
    ("month", 3), ("month", 6), ("year", 1), ("year", 2), ("year", 5), ("year", 10),
    ("year", 20), ("year", 50),
)
_LENGTH = {"day": DAY, "month": MONTH, "year": YEAR}
_EXAMPLE = {"day": "00/00/0000", "month": "00/0000", "year": "0000"}


def calendar_ticks(unit: str, step: int, low: float, high: float) -> list[float]:
    """Tick positions on calendar boundaries (a day, the first of a month, 1 January)."""
    if unit == "day":
        first = math.ceil(low / (step * DAY)) * step * DAY
        return list(np.arange(first, high + 1, step * DAY, dtype=np.float64))
    start = datetime.fromtimestamp(max(low, -2e10), UTC)
    ticks: list[float] = []
    if unit == "year":
        year = math.ceil(start.year / step) * step
        while (at := datetime(year, 1, 1, tzinfo=UTC).timestamp()) <= high:
            if at >= low:
                ticks.append(at)
            year += step
        return ticks
    month = start.year * 12 + start.month - 1
    month = math.ceil(month / step) * step
    while (at := datetime(month // 12, month % 12 + 1, 1, tzinfo=UTC).timestamp()) <= high:
        if at >= low:
            ticks.append(at)
        month += step
    return ticks


class DateAxis(pg.AxisItem):  # type: ignore[misc]
    """Dates the Italian way: dd/mm/yyyy, mm/yyyy or yyyy as the zoom allows."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.enableAutoSIPrefix(False)
        metrics = QFontMetrics(QApplication.font())
        self._widths = {u: metrics.horizontalAdvance(t) + 24 for u, t in _EXAMPLE.items()}

    def tickValues(self, minVal: float, maxVal: float, size: float  # noqa: N802
                   ) -> list[tuple[float, list[float]]]:
        """One level of ticks on calendar boundaries, as dense as the labels allow."""
        if size <= 0 or maxVal <= minVal:
            return []
        per_pixel = (maxVal - minVal) / size
        for unit, step in _STEPS:
            if step * _LENGTH[unit] / per_pixel >= self._widths[unit]:
                return [(step * _LENGTH[unit], calendar_ticks(unit, step, minVal, maxVal))]
        return [(YEAR * 100, calendar_ticks("year", 100, minVal, maxVal))]

    def tickStrings(self, values: list[float], scale: float,  # noqa: N802 - pyqtgraph's name
                    spacing: float) -> list[str]:
        """dd/mm/yyyy for days, mm/yyyy for months, yyyy for years."""
        del scale
        shown = []
        for value in values:
            at = datetime.fromtimestamp(value, UTC)
            if spacing < MONTH * 0.9:
                shown.append(f"{at.day:02d}/{at.month:02d}/{at.year:04d}")
            elif spacing < YEAR * 0.9:
                shown.append(f"{at.month:02d}/{at.year:04d}")
            else:
                shown.append(f"{at.year:04d}")
        return shown


class DecimalAxis(pg.AxisItem):  # type: ignore[misc]
    """Values with the language's decimal separator ("6,5" in Italian)."""

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float,  # noqa: N802 - pyqtgraph's name
                    spacing: float) -> list[str]:
        """As many decimals as the tick spacing needs."""
        places = max(0, math.ceil(-math.log10(spacing * scale))) if spacing > 0 else 0
        return [format_decimal(v * scale, places) for v in values]


def visible_y(series: Sequence[PlotSeries], low: float, high: float) -> tuple[float, float] | None:
    """The lowest and highest value plotted between two times (None when nothing is)."""
    found: list[float] = []
    for line in series:
        if not len(line.x):
            continue
        start, end = np.searchsorted(line.x, [low, high])
        # One point beyond each edge: the line leaving the screen stays in the range.
        part = line.y[max(0, start - 1):min(len(line.y), end + 1)]
        part = part[np.isfinite(part)]
        if len(part):
            found += [float(part.min()), float(part.max())]
    return (min(found), max(found)) if found else None


def stretch_to_guides(low: float, high: float, guides: Sequence[float]) -> tuple[float, float]:
    """The range widened to the nearest guide below and above it."""
    below = [g for g in guides if g < low]
    above = [g for g in guides if g > high]
    return (max(below) if below else low), (min(above) if above else high)


class TrendPlot(QWidget):
    """Lines of values over time with bands, guides, zoom, pan and date-range buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendPlot")
        self.series: list[PlotSeries] = []
        self.guides: list[float] = []
        self.curves: list[pg.PlotDataItem] = []
        self.spans: pg.PlotDataItem | None = None
        self.chosen_range: float | None = None  # the range button pressed; None: all
        self._x_limits = (0.0, 0.0)
        self._dense: bool | None = None
        self._fitting = False

        self.plot = self._make_plot()
        self.view = self.plot.getPlotItem().getViewBox()
        self.view.sigXRangeChanged.connect(self._fit_y)
        self.view.sigRangeChangedManually.connect(self._zoomed_by_hand)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        self.legend = self.plot.addLegend(offset=(-10, 8), labelTextSize="9pt",
                                          labelTextColor="#222222")
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.legend.setPen(pg.mkPen("#cccccc"))

        self.empty = QLabel()
        self.empty.setObjectName("trendPlotEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._make_buttons())
        layout.addWidget(self.stack, 1)
        self.show_empty("")

    @staticmethod
    def _make_plot() -> pg.PlotWidget:
        plot = pg.PlotWidget(background="w", enableMenu=False,
                             axisItems={"bottom": DateAxis(), "left": DecimalAxis()})
        plot.setObjectName("trendPlotArea")
        # pyqtgraph's own "Export..." (English, a dialog of its own) is not ours to offer.
        scene = plot.scene()
        for action in scene.contextMenu:
            action.setParent(None)
        scene.contextMenu = []
        plot.hideButtons()
        plot.setMouseEnabled(x=True, y=False)  # the values axis follows the dates shown
        plot.showGrid(x=True, y=True, alpha=0.12)
        plot.setMinimumSize(360, 220)
        plot.getPlotItem().getViewBox().disableAutoRange()
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTextPen("#333333")
            axis.setPen("#999999")
        return plot

    def _make_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("trendTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        row.addWidget(self.title, 1)
        hint = QLabel(_("Wheel: zoom · drag: move"))
        hint.setObjectName("trendHint")
        hint.setStyleSheet("color: #666666;")
        row.addWidget(hint)
        self.range_buttons: list[QPushButton] = []
        self.range_group = QButtonGroup(self)
        texts = (drop_context(_("date range|All")), _("1 year"), _("{n} years").format(n=5))
        for years, text in zip(RANGES, texts, strict=True):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setObjectName(f"range{'All' if years is None else int(years)}")
            button.clicked.connect(lambda _checked=False, y=years: self.show_range(y))
            self.range_group.addButton(button)
            self.range_buttons.append(button)
            row.addWidget(button)
        return row

    # -- what the caller tells the plot ------------------------------------------------------
    def set_series(self, series: Sequence[PlotSeries], *, title: str = "", unit: str = "",
                   bands: Sequence[Band] = (), guides: Sequence[Guide] = (),
                   spans: Span | None = None, years: float | None = None) -> None:
        """Draw ``series`` (x ascending) with bands and labelled guides, over ``years``."""
        self._clear_items()
        self.series = [s for s in series if len(s.x)]
        self.guides = [guide.value for guide in guides]
        self.title.setText(title)
        if not self.series:
            self.show_empty(_("No values to plot."))
            return
        self.stack.setCurrentWidget(self.plot)
        for button in self.range_buttons:
            button.setEnabled(True)
        self.plot.setLabel("left", unit, color="#444444")
        for band in bands:
            self._add_band(band)
        for guide in guides:
            self._add_guide(guide)
        if spans is not None and len(spans.x):
            self._add_spans(spans)
        for line in self.series:
            self._add_series(line)
        if len(self.series) < 2:
            self.legend.hide()
        else:
            self.legend.show()
        first = min(float(s.x[0]) for s in self.series)
        last = max(float(s.x[-1]) for s in self.series)
        margin = max((last - first) * EDGE, 20 * DAY)
        self._x_limits = (first - margin, last + margin)
        self.view.setLimits(xMin=first - margin, xMax=last + margin, minXRange=MIN_SPAN)
        self.show_range(years)

    def show_empty(self, message: str) -> None:
        """No plot: ``message`` in its place."""
        self._clear_items()
        self.series = []
        self.guides = []
        self.empty.setText(message)
        self.stack.setCurrentWidget(self.empty)
        for button in self.range_buttons:
            button.setEnabled(False)

    def show_range(self, years: float | None) -> None:
        """Everything (None), or the last ``years`` of values up to the newest one."""
        self.chosen_range = years
        self._check(RANGES.index(years) if years in RANGES else -1)
        if not self.series:
            return
        low, high = self._x_limits
        last = max(float(s.x[-1]) for s in self.series)
        if years is not None:
            start = last - years * YEAR
            margin = years * YEAR * EDGE
            low, high = max(low, start - margin), last + margin
        self._set_x(low, high)

    def visible_range(self) -> tuple[float, float]:
        """The time span on screen (``timeline`` seconds)."""
        low, high = self.view.viewRange()[0]
        return float(low), float(high)

    # -- drawing -------------------------------------------------------------------------------
    def _clear_items(self) -> None:
        self.plot.clear()  # items and legend entries
        self.legend.clear()
        self.curves = []
        self.spans = None
        self._dense = None

    def _add_band(self, band: Band) -> None:
        region = pg.LinearRegionItem((band.low, band.high), orientation="horizontal",
                                     movable=False, brush=pg.mkBrush(*TONES[band.tone]),
                                     pen=pg.mkPen(None))
        region.setZValue(-20)
        self.plot.addItem(region, ignoreBounds=True)

    def _add_guide(self, guide: Guide) -> None:
        line = pg.InfiniteLine(pos=guide.value, angle=0, movable=False,
                               pen=pg.mkPen(guide.color, width=1, style=Qt.PenStyle.DashLine),
                               label=guide.label,
                               labelOpts={"position": 0.005, "color": guide.color,
                                          "fill": (255, 255, 255, 190),
                                          "anchors": [(0, 1), (0, 1)]})
        line.setZValue(-10)
        self.plot.addItem(line, ignoreBounds=True)

    def _add_spans(self, spans: Span) -> None:
        x = np.repeat(spans.x, 2)
        y = np.column_stack((spans.low, spans.high)).ravel()
        bars = pg.PlotDataItem(x, y, connect="pairs", pen=pg.mkPen("#b8b8b8", width=1))
        bars.setZValue(-5)
        self.plot.addItem(bars)
        self.spans = bars

    def _add_series(self, line: PlotSeries) -> None:
        # Dots are set by _adapt_density once the range is known (none when too dense).
        curve = pg.PlotDataItem(line.x, line.y, name=line.label,
                                pen=pg.mkPen(line.color, width=2), symbol=None, symbolSize=5,
                                symbolPen=pg.mkPen(line.color), symbolBrush=pg.mkBrush(line.color))
        self.plot.addItem(curve)
        self.curves.append(curve)

    def _hovered(self, position: QPointF) -> None:
        """The tooltip of the point under the mouse (within a few pixels), else none."""
        text = ""
        if self.series and self.view.sceneBoundingRect().contains(position):
            text = self.point_tip(self.view.mapSceneToView(position), HOVER_PX)
        self.plot.setToolTip(text)

    def point_tip(self, at: QPointF, pixels: float) -> str:
        """The tooltip of the point nearest ``at`` (view coordinates) within ``pixels``."""
        per_x, per_y = self.view.viewPixelSize()
        best: tuple[float, str] | None = None
        for line in self.series:
            if line.tip is None:
                continue
            i = int(np.searchsorted(line.x, at.x()))
            for j in (i - 1, i):
                if 0 <= j < len(line.x):
                    distance = math.hypot((line.x[j] - at.x()) / per_x,
                                          (line.y[j] - at.y()) / per_y)
                    if distance <= pixels and (best is None or distance < best[0]):
                        best = (distance, line.tip(j))
        return best[1] if best else ""

    # -- ranges --------------------------------------------------------------------------------
    def _set_x(self, low: float, high: float) -> None:
        self.view.setXRange(low, high, padding=0)
        self._fit_y()

    def _fit_y(self, *_args: object) -> None:
        if self._fitting or not self.series:
            return
        low, high = self.visible_range()
        self._adapt_density(low, high)
        span = visible_y(self.series, low, high)
        if span is None:
            return
        bottom, top = stretch_to_guides(*span, self.guides)
        pad = max((top - bottom) * 0.08, abs(top) * 0.02, 0.5)
        self._fitting = True
        try:
            self.view.setYRange(bottom - pad, top + pad, padding=0)
        finally:
            self._fitting = False

    def _adapt_density(self, low: float, high: float) -> None:
        """Many points on screen: plain lines, no dots or bars (they would be a wall)."""
        start, end = np.searchsorted(self.series[0].x, [low, high])
        dense = bool(end - start > max(self.view.width(), 300) / DOTS_EVERY_PX)
        if dense == self._dense:
            return
        self._dense = dense
        for curve, line in zip(self.curves, self.series, strict=True):
            curve.setPen(pg.mkPen(line.color, width=1.5 if dense else 2))
            curve.setSymbol(None if dense else "o")
        if self.spans is not None:
            self.spans.setVisible(not dense)

    def _zoomed_by_hand(self, *_args: object) -> None:
        self.chosen_range = None
        self._check(-1)  # no button says what is on screen any more

    def _check(self, index: int) -> None:
        self.range_group.setExclusive(False)  # an exclusive group keeps one button checked
        for i, button in enumerate(self.range_buttons):
            button.setChecked(i == index)
        self.range_group.setExclusive(True)
