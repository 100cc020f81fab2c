"""What the ECG view writes and measures on the paper: labels, time marks, the calliper."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.formats import format_decimal
from app.reports.ecg_paper import BOTTOM_MM, CalliperReading, Segment
from app.ui.qt import QColor, QFont, QPainter, QPen, QPointF, QRectF, Qt

if TYPE_CHECKING:
    from app.ui.ecg.view import EcgView

CALLIPER = QColor("#0050b0")


def _mark_text(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def label_font(view: EcgView, per_mm: float) -> QFont:
    """Bold, about 3 mm high (between 9 and 28 px)."""
    font = QFont(view.font())
    font.setBold(True)
    font.setPixelSize(max(9, min(28, round(3.2 * per_mm))))
    return font


def paint_labels(view: EcgView, painter: QPainter, segments: list[Segment],
                 shown_mm: tuple[float, float]) -> None:
    """Lead names (``*`` when derived), the bars between leads, the scale, the strip's
    time marks every 5 s and, along a long strip, its name where the view starts."""
    left_mm, right_mm = shown_mm
    assert view.paper is not None
    paper, per_mm = view.paper, view.px_per_mm()
    painter.setFont(label_font(view, per_mm))
    painter.setPen(QPen(QColor("#202020")))
    for segment in segments:
        at = view.to_view(segment.x_mm + 1.0, segment.baseline_mm - paper.row_mm * 0.42)
        painter.drawText(at, segment.lead + ("*" if segment.derived else ""))
        if segment.start_s > 0 and segment.row < len(paper.baselines) - 1:
            painter.drawLine(view.to_view(segment.x_mm, segment.baseline_mm - 2.5),
                             view.to_view(segment.x_mm, segment.baseline_mm + 2.5))
    painter.drawText(view.to_view(paper.pulse_x_mm, 4.5), view.scale_text())
    rhythm = paper.rhythm
    if rhythm is None:
        return
    font = QFont(view.font())
    font.setPixelSize(max(8, min(20, round(2.4 * per_mm))))
    painter.setFont(font)
    y_mm = paper.height_mm - BOTTOM_MM / 2 + 1.0
    first = max(0, int(paper.time_at(left_mm)) // 5 * 5)
    last = min(rhythm.duration_s, paper.time_at(right_mm) + 5)
    for second in range(first, int(last) + 1, 5):
        painter.drawText(view.to_view(paper.trace_x_mm + second * view.scale.speed_mm_s,
                                      y_mm), _mark_text(second))
    if paper.time_at(left_mm) > 1.0:  # the strip's name stays in view along it
        painter.setFont(label_font(view, per_mm))
        at = view.to_view(left_mm + 2.0, rhythm.baseline_mm - paper.row_mm * 0.42)
        painter.drawText(at, f"{rhythm.lead} · {_mark_text(paper.time_at(left_mm))}")


def paint_calliper(view: EcgView, painter: QPainter) -> None:
    """The calliper's two sides, its span and its reading in a box beside it."""
    reading = view.reading()
    if reading is None or view.calliper is None:
        return
    start, end = (view.to_view(*view.point_mm(p)) for p in view.calliper)
    tick = 4 * view.px_per_mm()
    pen = QPen(CALLIPER, 1.5)
    painter.setPen(pen)
    for x in (start.x(), end.x()):
        painter.drawLine(QPointF(x, min(start.y(), end.y()) - tick),
                         QPointF(x, max(start.y(), end.y()) + tick))
    painter.drawLine(QPointF(start.x(), start.y()), QPointF(end.x(), start.y()))
    painter.drawLine(QPointF(end.x() - tick / 2, end.y()),
                     QPointF(end.x() + tick / 2, end.y()))
    painter.drawLine(QPointF(start.x() - tick / 2, start.y()),
                     QPointF(start.x() + tick / 2, start.y()))
    text = calliper_text(reading)
    painter.setFont(label_font(view, view.px_per_mm()))
    metrics = painter.fontMetrics()
    box = QRectF(metrics.boundingRect(text)).adjusted(-4, -2, 4, 2)
    box.moveTopLeft(QPointF(max(start.x(), end.x()) + 6, min(start.y(), end.y()) - tick
                            - box.height()))
    painter.fillRect(box, QColor(255, 255, 255, 230))
    painter.drawRect(box)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def calliper_text(reading: CalliperReading) -> str:
    """"800 ms (75/min) · 1,05 mV": the interval, its rate, the amplitude."""
    parts = [f"{format_decimal(round(reading.ms))} ms"]
    rate = reading.rate_per_min
    if rate is not None and reading.ms >= 200:
        parts[0] += f" ({format_decimal(round(rate))}/min)"
    parts.append(f"{format_decimal(round(reading.mv, 2))} mV")
    return " · ".join(parts)
