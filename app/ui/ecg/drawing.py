"""What the ECG view paints, prepared once per scale: grid tiles and trace paths.

The grid is one square pixmap tile, a whole number of 5 mm squares, drawn again at
every multiple of its size: each tile is placed at its own rounded position (never one
tile after another), so a rounding error never adds up along a 5-minute strip. A trace
is one ``QPainterPath`` per lead segment (the rhythm strip in 2.5 s chunks), built the
first time it is seen at a given scale and kept until the scale changes; columns of
more than two samples keep only their lowest and highest (``ecg_paper.trace_xy``).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

import pyqtgraph as pg

from app.devices.ecg.model import EcgRecording
from app.reports.ecg_paper import Scale, Segment, pulse_points, segment_samples, trace_xy
from app.ui.qt import QColor, QPainter, QPainterPath, QPen, QPixmap, QPointF, QRectF

PAPER = QColor("#fffafa")
FINE = QColor("#f5c9c9")
BOLD = QColor("#e39a9a")
INK = QColor("#101010")
TILE_PX = 480  # about this wide and high: small to build, few to draw
CHUNK_S = 2.5  # the rhythm strip's paths, as long as one 12-lead column
MAX_PATHS = 512


def px(value_mm: float, per_mm: float) -> int:
    """Millimetres to whole device pixels, rounding half up (never banker's rounding)."""
    return math.floor(value_mm * per_mm + 0.5)


class GridTiles:
    """The millimetre grid: one cached tile, drawn where the paper is exposed."""

    def __init__(self) -> None:
        self._key: tuple[float, float] | None = None
        self._tile = QPixmap()
        self.tile_mm = 5

    def tile(self, per_mm: float, ratio: float) -> QPixmap:
        """The tile for ``per_mm`` logical pixels per mm on a screen of pixel ratio ``ratio``."""
        if self._key == (per_mm, ratio):
            return self._tile
        device = per_mm * ratio
        self.tile_mm = 5 * max(1, int(TILE_PX / (5 * device)))
        side = px(self.tile_mm, device) + 1
        tile = QPixmap(side, side)
        tile.fill(PAPER)
        painter = QPainter(tile)
        # 5 mm lines two pixels wide once a millimetre is 8 pixels: from the exact pixel
        # of their millimetre rightwards and downwards (a 2 px pen would straddle it).
        widths = {False: (0,), True: (0, 1) if device >= 8 else (0,)}
        for colour, bold in ((FINE, False), (BOLD, True)):
            painter.setPen(QPen(colour, 1))
            for mm in range(self.tile_mm):
                if (mm % 5 == 0) != bold:
                    continue
                for extra in widths[bold]:
                    at = px(mm, device) + extra
                    painter.drawLine(at, 0, at, side)
                    painter.drawLine(0, at, side, at)
        painter.end()
        tile.setDevicePixelRatio(ratio)
        self._tile, self._key = tile, (per_mm, ratio)
        return tile

    def paint(self, painter: QPainter, exposed: QRectF, *, per_mm: float, ratio: float,
              paper_mm: QRectF, origin: QPointF) -> None:
        """Tile ``paper_mm`` (its top-left at ``origin`` in view pixels) over ``exposed``."""
        tile = self.tile(per_mm, ratio)
        step = self.tile_mm
        device = per_mm * ratio
        area = QRectF(origin.x(), origin.y(), paper_mm.width() * per_mm,
                      paper_mm.height() * per_mm).intersected(exposed)
        if area.isEmpty():
            return
        painter.save()
        painter.setClipRect(area)
        first_x = max(int((area.left() - origin.x()) / (step * per_mm)), 0)
        first_y = max(int((area.top() - origin.y()) / (step * per_mm)), 0)
        for ty in _range(first_y, area.bottom() - origin.y(), step * per_mm):
            y = origin.y() + px(ty * step, device) / ratio
            for tx in _range(first_x, area.right() - origin.x(), step * per_mm):
                painter.drawPixmap(QPointF(origin.x() + px(tx * step, device) / ratio, y), tile)
        painter.restore()


def _range(first: int, end_px: float, step_px: float) -> range:
    return range(first, int(end_px / step_px) + 1)


@dataclass(frozen=True)
class Part:
    """A piece of a segment with its own path: ``start_s`` to ``end_s`` of the recording."""

    segment: Segment
    start_s: float
    end_s: float

    def x_mm(self, scale: Scale) -> float:
        """Where the part starts on the paper."""
        return self.segment.x_mm + (self.start_s - self.segment.start_s) * scale.speed_mm_s


def parts(segment: Segment, chunk_s: float = CHUNK_S) -> Iterator[Part]:
    """A segment in chunks of ``chunk_s`` seconds (one part when it is no longer)."""
    end = segment.start_s + segment.duration_s
    start = segment.start_s
    while start < end - 1e-9:
        stop = min(start + chunk_s, end)
        yield Part(segment, start, stop)
        start = stop


class TracePaths:
    """The paths of one recording at one scale, built on first use (a bounded cache)."""

    def __init__(self, recording: EcgRecording) -> None:
        self.recording = recording
        self._key: tuple[Scale, float] | None = None
        self._paths: OrderedDict[tuple[str, float, float], QPainterPath] = OrderedDict()
        self.built = 0  # paths built since the recording was set (tests, benchmarks)

    def path(self, part: Part, scale: Scale, per_mm: float) -> QPainterPath:
        """``part`` in logical pixels, from its start on the 0 mV line (y down)."""
        if self._key != (scale, per_mm):
            self._paths.clear()
            self._key = (scale, per_mm)
        key = (part.segment.lead, part.start_s, part.end_s)
        found = self._paths.get(key)
        if found is not None:
            self._paths.move_to_end(key)
            return found
        rec = self.recording
        # One sample before and after: the chunks of a strip join without a gap.
        rate = rec.sampling_rate
        samples, offset = segment_samples(
            part.segment, rec.leads[part.segment.lead], rate,
            rec.start_samples.get(part.segment.lead, 0),
            start_s=max(part.start_s - 1 / rate, 0.0), end_s=part.end_s + 1 / rate)
        offset -= part.start_s - max(part.start_s - 1 / rate, 0.0)
        path = QPainterPath()
        if len(samples) >= 2:
            x, y = trace_xy(samples, offset, rate, scale, units_per_mm=per_mm)
            path = pg.arrayToQPath(x, y, connect="all")
        self._paths[key] = path
        self.built += 1
        if len(self._paths) > MAX_PATHS:
            self._paths.popitem(last=False)
        return path


def pulse_path(x_mm: float, baseline_mm: float, scale: Scale, per_mm: float) -> QPainterPath:
    """The calibration pulse of one row, in logical pixels of the paper."""
    points = pulse_points(x_mm, baseline_mm, scale)
    path = QPainterPath(QPointF(points[0][0] * per_mm, points[0][1] * per_mm))
    for x, y in points[1:]:
        path.lineTo(x * per_mm, y * per_mm)
    return path


def trace_pen() -> QPen:
    """The trace's pen: one device pixel, antialiased (see ``trace_offsets``)."""
    pen = QPen(INK, 1.0)
    pen.setCosmetic(True)
    return pen


def trace_offsets(per_mm: float, ratio: float) -> list[float]:
    """Diagonal shifts (logical px) at which the 1 px trace is drawn to be ~0.3 mm wide.

    Qt's raster engine strokes a wide antialiased pen over a dense trace (two points a
    pixel) some 25 times slower than a 1 px one (40 ms against 1.6 ms for the 12-lead
    view here), so a wide trace is drawn as up to three 1 px passes side by side.
    """
    passes = min(3, max(1, round(0.3 * per_mm * ratio)))
    step = 0.7 / ratio
    return [(i - (passes - 1) / 2) * step for i in range(passes)]

