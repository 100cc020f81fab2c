"""The ECG on screen: the standard paper at true size, zoom and pan, and a calliper.

At zoom 100 % one millimetre of paper is ``dpi / 25.4`` pixels, the DPI coming from
``calibration.screen_dpi`` (the screen's report, or a ruler's), so 25 mm/s and
10 mm/mV hold on the glass. A left drag measures (the calliper: ms and mV, on the
tracing); a right or middle drag pans; Ctrl+wheel or +/- zooms, 0 is true size; the
wheel scrolls, along the strip when the paper is no taller than the view.
"""

from __future__ import annotations

import logging
import time

from app.core.formats import format_decimal
from app.devices.ecg.model import EcgRecording
from app.reports.ecg_paper import (
    MM_PER_INCH,
    CalliperReading,
    Paper,
    Scale,
    calliper,
    layout,
)
from app.ui.ecg.drawing import (
    GridTiles,
    TracePaths,
    parts,
    pulse_path,
    trace_offsets,
    trace_pen,
)
from app.ui.ecg.marks import paint_calliper, paint_labels
from app.ui.qt import (
    QAbstractScrollArea,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPointF,
    QRectF,
    QResizeEvent,
    Qt,
    QWheelEvent,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)
ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
MARGIN_PX = 8
DESK = QColor("#d9d9d9")
SLOW_PAINT_MS = 100.0
Point = tuple[float, int, float]  # seconds, row, mV above that row's 0 mV line


class EcgView(QAbstractScrollArea):
    """The paper of one recording; ``calliper_changed`` carries a reading or None."""

    calliper_changed = Signal(object)  # CalliperReading | None
    scale_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, dpi: float = 96.0) -> None:
        super().__init__(parent)
        self.setObjectName("ecgView")
        self.recording: EcgRecording | None = None
        self.paper: Paper | None = None
        self.scale = Scale()
        self.zoom = 1.0
        self.dpi = dpi
        self.grid = GridTiles()
        self.paths: TracePaths | None = None
        self.calliper: tuple[Point, Point] | None = None
        self._dragging = ""  # "", "calliper" or "pan"
        self._pan_from = QPointF()
        self._pan_scroll = (0, 0)
        self.last_paint_ms = 0.0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    # -- state -----------------------------------------------------------------------
    def set_recording(self, recording: EcgRecording) -> None:
        """Show ``recording`` from its start."""
        self.recording = recording
        self.paths = TracePaths(recording)
        self.calliper = None
        self._relayout()
        self.horizontalScrollBar().setValue(0)
        self.verticalScrollBar().setValue(0)

    def set_scale(self, speed_mm_s: float | None = None, gain_mm_mv: float | None = None) -> None:
        """Switch paper speed and/or gain (the calliper stays on the same beats)."""
        self.scale = Scale(speed_mm_s or self.scale.speed_mm_s,
                           gain_mm_mv or self.scale.gain_mm_mv)
        self._relayout()

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (1.0: true size) keeping the paper under ``anchor`` in place."""
        zoom = min(max(zoom, ZOOMS[0]), ZOOMS[-1])
        at = anchor or QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        before = self.to_paper(at)
        self.zoom = zoom
        self._relayout()
        if self.paper is not None:
            after = self.to_view(*before)
            self._scroll_by(after.x() - at.x(), after.y() - at.y())

    def step_zoom(self, steps: int, anchor: QPointF | None = None) -> None:
        """The next zoom level in or out (``steps`` > 0: in)."""
        index = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self.zoom))
        self.set_zoom(ZOOMS[min(max(index + steps, 0), len(ZOOMS) - 1)], anchor)

    def set_dpi(self, dpi: float) -> None:
        """The screen's true DPI (from the calibration)."""
        self.dpi = dpi
        self._relayout()

    def px_per_mm(self) -> float:
        """Logical pixels per millimetre of paper at the zoom in force."""
        return self.dpi / MM_PER_INCH * self.zoom

    def _relayout(self) -> None:
        rec = self.recording
        if rec is not None:
            lengths = {name: len(data) for name, data in rec.leads.items()}
            self.paper = layout(lengths, rec.sampling_rate, scale=self.scale,
                                starts=rec.start_samples, derived=rec.derived)
        self._update_scrollbars()
        self.viewport().update()
        self.scale_changed.emit()
        self._emit_calliper()

    def _update_scrollbars(self) -> None:
        width, height = self.paper_size_px()
        for bar, full, shown in ((self.horizontalScrollBar(), width, self.viewport().width()),
                                 (self.verticalScrollBar(), height, self.viewport().height())):
            bar.setRange(0, max(0, full - shown))
            bar.setPageStep(shown)
            bar.setSingleStep(max(1, round(5 * self.px_per_mm())))

    def paper_size_px(self) -> tuple[int, int]:
        """The paper and its margins in pixels (0, 0 without a recording)."""
        if self.paper is None:
            return 0, 0
        per_mm = self.px_per_mm()
        return (round(self.paper.width_mm * per_mm) + 2 * MARGIN_PX,
                round(self.paper.height_mm * per_mm) + 2 * MARGIN_PX)

    # -- coordinates ---------------------------------------------------------------------
    def origin(self) -> QPointF:
        """Where the paper's top-left corner is in the viewport."""
        return QPointF(MARGIN_PX - self.horizontalScrollBar().value(),
                       MARGIN_PX - self.verticalScrollBar().value())

    def to_view(self, x_mm: float, y_mm: float) -> QPointF:
        """A point of the paper (mm) in viewport pixels."""
        origin, per_mm = self.origin(), self.px_per_mm()
        return QPointF(origin.x() + x_mm * per_mm, origin.y() + y_mm * per_mm)

    def to_paper(self, point: QPointF) -> tuple[float, float]:
        """A viewport point in paper millimetres."""
        origin, per_mm = self.origin(), self.px_per_mm()
        return (point.x() - origin.x()) / per_mm, (point.y() - origin.y()) / per_mm

    def _scroll_by(self, dx: float, dy: float) -> None:
        for bar, delta in ((self.horizontalScrollBar(), dx), (self.verticalScrollBar(), dy)):
            bar.setValue(bar.value() + round(delta))

    def scroll_to_time(self, seconds: float) -> None:
        """Bring ``seconds`` of the rhythm strip to the left edge of the view."""
        if self.paper is not None:
            x = (self.paper.trace_x_mm + seconds * self.scale.speed_mm_s) * self.px_per_mm()
            self.horizontalScrollBar().setValue(round(x))

    # -- the calliper ------------------------------------------------------------------
    def _point(self, x_mm: float, y_mm: float) -> Point:
        assert self.paper is not None
        paper = self.paper
        row = min(range(len(paper.baselines)), key=lambda r: abs(paper.baselines[r] - y_mm))
        return (paper.time_at(x_mm), row,
                (paper.baselines[row] - y_mm) / self.scale.gain_mm_mv)

    def point_mm(self, point: Point) -> tuple[float, float]:
        """A calliper point on the paper as it is laid out now."""
        assert self.paper is not None
        seconds, row, millivolts = point
        return (self.paper.trace_x_mm + seconds * self.scale.speed_mm_s,
                self.paper.baselines[row] - millivolts * self.scale.gain_mm_mv)

    def reading(self) -> CalliperReading | None:
        """What the calliper measures now (None when it is not in use)."""
        if self.calliper is None or self.paper is None:
            return None
        start, end = self.calliper
        return calliper(self.point_mm(start), self.point_mm(end), self.scale)

    def _emit_calliper(self) -> None:
        self.calliper_changed.emit(self.reading())

    def clear_calliper(self) -> None:
        """Put the calliper away."""
        if self.calliper is not None:
            self.calliper = None
            self.viewport().update()
            self._emit_calliper()

    # -- events ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Left: start measuring; right or middle: start panning."""
        if self.paper is None:
            return
        if event.button() == Qt.MouseButton.LeftButton:
            start = self._point(*self.to_paper(event.position()))
            self.calliper = (start, start)
            self._dragging = "calliper"
        elif event.button() in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            self._dragging = "pan"
            self._pan_from = event.position()
            self._pan_scroll = (self.horizontalScrollBar().value(),
                                self.verticalScrollBar().value())
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Stretch the calliper or move the paper."""
        if self._dragging == "calliper" and self.calliper is not None:
            self.calliper = (self.calliper[0], self._point(*self.to_paper(event.position())))
            self.viewport().update()
            self._emit_calliper()
        elif self._dragging == "pan":
            delta = event.position() - self._pan_from
            self.horizontalScrollBar().setValue(self._pan_scroll[0] - round(delta.x()))
            self.verticalScrollBar().setValue(self._pan_scroll[1] - round(delta.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """End the drag; a click without a drag puts the calliper away."""
        if self._dragging == "calliper" and self.calliper is not None:
            self.calliper = (self.calliper[0], self._point(*self.to_paper(event.position())))
            start, end = (self.to_view(*self.point_mm(p)) for p in self.calliper)
            if (end - start).manhattanLength() < 3:
                self.calliper = None
            self.viewport().update()
            self._emit_calliper()
        self._dragging = ""
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        """Ctrl+wheel zooms where the pointer is; the wheel scrolls (along a flat strip)."""
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if steps:
                self.step_zoom(1 if steps > 0 else -1, event.position())
            return
        flat = self.verticalScrollBar().maximum() == 0
        if flat or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - round(steps * 3 * bar.singleStep()))
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """+ and - zoom, 0 is true size, Esc puts the calliper away, arrows scroll."""
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.step_zoom(1)
        elif key == Qt.Key.Key_Minus:
            self.step_zoom(-1)
        elif key == Qt.Key.Key_0:
            self.set_zoom(1.0)
        elif key == Qt.Key.Key_Escape and self.calliper is not None:
            self.clear_calliper()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Scroll ranges follow the view's size."""
        super().resizeEvent(event)
        self._update_scrollbars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802, ARG002 - Qt's name
        """The whole view is repainted from the caches (cheaper than it sounds)."""
        self.viewport().update()

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """Desk, grid, pulses, traces, labels, calliper: only what ``event`` exposes."""
        started = time.perf_counter()
        painter = QPainter(self.viewport())
        exposed = QRectF(event.rect())
        painter.fillRect(exposed, DESK)
        if self.paper is not None and self.paths is not None:
            self._paint_paper(painter, exposed)
        painter.end()
        self.last_paint_ms = (time.perf_counter() - started) * 1000
        if self.last_paint_ms > SLOW_PAINT_MS:
            log.warning("ECG view painted in %.0f ms", self.last_paint_ms)

    def _paint_paper(self, painter: QPainter, exposed: QRectF) -> None:
        assert self.paper is not None and self.paths is not None
        paper, per_mm, origin = self.paper, self.px_per_mm(), self.origin()
        ratio = self.viewport().devicePixelRatioF()
        sheet = QRectF(0, 0, paper.width_mm, paper.height_mm)
        self.grid.paint(painter, exposed, per_mm=per_mm, ratio=ratio, paper_mm=sheet,
                        origin=origin)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(trace_pen())
        shifts = trace_offsets(per_mm, ratio)
        for baseline in paper.baselines:
            pulse = pulse_path(paper.pulse_x_mm + 1.0, baseline, self.scale, per_mm)
            self._stroke(painter, pulse, origin, shifts)
        left_mm, _top = self.to_paper(exposed.topLeft())
        right_mm, _bottom = self.to_paper(exposed.bottomRight())
        segments = [*paper.segments, *([paper.rhythm] if paper.rhythm else [])]
        for segment in segments:
            if segment.end_mm(self.scale) < left_mm or segment.x_mm > right_mm:
                continue
            for part in parts(segment):
                x_mm = part.x_mm(self.scale)
                span = (part.end_s - part.start_s) * self.scale.speed_mm_s
                if x_mm + span < left_mm - 1 or x_mm > right_mm + 1:
                    continue
                path = self.paths.path(part, self.scale, per_mm)
                self._stroke(painter, path, self.to_view(x_mm, segment.baseline_mm), shifts)
        paint_labels(self, painter, segments, (left_mm, right_mm))
        paint_calliper(self, painter)

    @staticmethod
    def _stroke(painter: QPainter, path: QPainterPath, at: QPointF,
                shifts: list[float]) -> None:
        for shift in shifts:
            painter.translate(at.x() + shift, at.y() + shift)
            painter.drawPath(path)
            painter.resetTransform()

    def scale_text(self) -> str:
        """"25 mm/s · 10 mm/mV" (also printed on the paper)."""
        return (f"{format_decimal(self.scale.speed_mm_s)} mm/s · "
                f"{format_decimal(self.scale.gain_mm_mv)} mm/mV")
