"""Painting the agenda grid: working hours, closures, appointment blocks, selection.

One paint pass draws only the columns inside the damaged rectangle; the header (the
columns' names) and the ruler (the hours) are drawn last, fixed while the body scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.i18n import _
from app.ui.agenda.formats import STATUS_COLOURS, clock
from app.ui.agenda.layout import (
    BASE_STEP,
    HEADER_HEIGHT,
    PX_PER_MINUTE,
    RULER_WIDTH,
    Block,
    Column,
    Cursor,
    Geometry,
)
from app.ui.qt import QBrush, QColor, QFont, QPainter, QPen, QRect, QRectF, Qt

OFF_HOURS = QColor("#e9edf0")
WORKING = QColor("#ffffff")
CLOSED = QColor("#f3e5e5")
HOUR_LINE = QColor("#b8c3ca")
SLOT_LINE = QColor("#e3e8eb")
HEADER_BG = QColor("#f4f6f8")
HEADER_TODAY = QColor("#e3effb")
TEXT = QColor("#1d2730")
MUTED = QColor("#5d6b75")
SELECTION = QColor("#1565c0")
NOW_LINE = QColor("#d32f2f")
TEXT_PADDING = 4


@dataclass(frozen=True)
class Scene:
    """What one paint pass needs from the grid."""

    geometry: Geometry
    columns: list[Column]
    blocks: dict[int, list[Block]]  # by column number
    cursor: Cursor | None
    selected_id: str | None
    ghost: tuple[int, int, int] | None  # column, start, end of a dragged appointment
    labels: dict[str, str]  # visit type code -> label
    today: date
    now_minute: int
    dx: int  # horizontal scroll
    dy: int  # vertical scroll


def _column_range(scene: Scene, left: int, right: int) -> range:
    width = scene.geometry.column_width
    first = max(0, int((left - RULER_WIDTH + scene.dx) // width))
    last = min(len(scene.columns), int((right - RULER_WIDTH + scene.dx) // width) + 1)
    return range(first, last)


def _body_rect(scene: Scene, column: int, start: int, end: int) -> QRectF:
    geo = scene.geometry
    x = RULER_WIDTH + geo.x_of(column) - scene.dx
    y = HEADER_HEIGHT + geo.y_of(start) - scene.dy
    return QRectF(x, y, geo.column_width, (end - start) * PX_PER_MINUTE)


def paint(painter: QPainter, scene: Scene, clip: QRect, width: int, height: int) -> None:
    """Paint the whole grid area inside ``clip``."""
    painter.fillRect(clip, OFF_HOURS)
    columns = _column_range(scene, clip.left(), clip.right())
    painter.save()
    painter.setClipRect(QRect(RULER_WIDTH, HEADER_HEIGHT, width - RULER_WIDTH,
                              height - HEADER_HEIGHT).intersected(clip))
    for number in columns:
        _paint_column(painter, scene, number)
    for number in columns:
        for block in scene.blocks.get(number, ()):
            _paint_block(painter, scene, block)
    _paint_cursor(painter, scene)
    _paint_ghost(painter, scene)
    painter.restore()
    _paint_header(painter, scene, columns, width)
    _paint_ruler(painter, scene, height)


def _paint_column(painter: QPainter, scene: Scene, number: int) -> None:
    column = scene.columns[number]
    geo = scene.geometry
    whole = _body_rect(scene, number, geo.first, geo.last)
    if column.closed is not None:
        painter.fillRect(whole, CLOSED)
        painter.fillRect(whole, QBrush(QColor("#e0c4c4"), Qt.BrushStyle.BDiagPattern))
        painter.setPen(MUTED)
        painter.drawText(whole.adjusted(6, 12, -6, 0),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, column.closed)
    else:
        for span in column.spans:
            painter.fillRect(_body_rect(scene, number, span.start, span.end), WORKING)
            painter.setPen(QPen(SLOT_LINE, 1))
            for minute in range(span.start, span.end, span.slot):
                y = _body_rect(scene, number, minute, minute).top()
                painter.drawLine(int(whole.left()), int(y), int(whole.right()), int(y))
    for minute in range(geo.first, geo.last + 1, 60):
        y = int(_body_rect(scene, number, minute, minute).top())
        painter.setPen(QPen(HOUR_LINE, 1))
        painter.drawLine(int(whole.left()), y, int(whole.right()), y)
    painter.setPen(QPen(HOUR_LINE, 1))
    painter.drawLine(int(whole.right()), int(whole.top()), int(whole.right()),
                     int(whole.bottom()))
    if column.day == scene.today and geo.first <= scene.now_minute < geo.last:
        y = int(_body_rect(scene, number, scene.now_minute, scene.now_minute).top())
        painter.setPen(QPen(NOW_LINE, 2))
        painter.drawLine(int(whole.left()), y, int(whole.right()), y)


def block_rect(scene: Scene, block: Block) -> QRectF:
    """Where an appointment block is drawn (lanes share the column's width)."""
    rect = _body_rect(scene, block.column, block.start, block.end)
    lane_width = (rect.width() - 6) / block.lanes
    return QRectF(rect.left() + 3 + block.lane * lane_width, rect.top() + 1,
                  lane_width - 2, max(4.0, rect.height() - 2))


def _paint_block(painter: QPainter, scene: Scene, block: Block) -> None:
    appointment = block.appointment
    fill, border = STATUS_COLOURS.get(appointment.status, STATUS_COLOURS["booked"])
    rect = block_rect(scene, block)
    painter.fillRect(rect, QColor(fill))
    painter.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), QColor(border))
    painter.setPen(QPen(QColor(border), 1))
    painter.drawRect(rect)
    cancelled = appointment.status == "cancelled"
    base = QFont(painter.font())
    font = QFont(base)
    font.setStrikeOut(cancelled)
    font.setBold(True)
    if rect.height() < painter.fontMetrics().height() + 2:  # a 5-minute prescription
        font.setPixelSize(max(7, int(rect.height()) - 1))
    painter.setFont(font)
    painter.setPen(MUTED if cancelled else TEXT)
    metrics = painter.fontMetrics()
    inner = rect.adjusted(4 + TEXT_PADDING, 0, -TEXT_PADDING, 0)
    name = appointment.patient_name or _("(no patient)")
    first = metrics.elidedText(f"{clock(block.start)} {name}", Qt.TextElideMode.ElideRight,
                               int(inner.width()))
    painter.save()
    painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, first)
    if inner.height() >= 2 * metrics.height():
        font.setBold(False)
        painter.setFont(font)
        details = scene.labels.get(appointment.kind, appointment.kind)
        if appointment.note:
            details = f"{details} - {appointment.note}"
        second = painter.fontMetrics().elidedText(details, Qt.TextElideMode.ElideRight,
                                                  int(inner.width()))
        painter.drawText(inner.adjusted(0, metrics.height(), 0, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, second)
    painter.restore()
    painter.setFont(base)
    if appointment.id == scene.selected_id:
        painter.setPen(QPen(SELECTION, 3))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))


def _paint_cursor(painter: QPainter, scene: Scene) -> None:
    cursor = scene.cursor
    if cursor is None or scene.selected_id is not None or cursor.column >= len(scene.columns):
        return
    rect = _body_rect(scene, cursor.column, cursor.start, cursor.start + cursor.minutes)
    rect = rect.adjusted(2, 1, -2, -1)
    fill = QColor(SELECTION)
    fill.setAlpha(40)
    painter.fillRect(rect, fill)
    painter.setPen(QPen(SELECTION, 2))
    painter.drawRect(rect)


def _paint_ghost(painter: QPainter, scene: Scene) -> None:
    if scene.ghost is None:
        return
    column, start, end = scene.ghost
    rect = _body_rect(scene, column, start, end).adjusted(3, 1, -3, -1)
    fill = QColor(SELECTION)
    fill.setAlpha(60)
    painter.fillRect(rect, fill)
    painter.setPen(QPen(SELECTION, 2, Qt.PenStyle.DashLine))
    painter.drawRect(rect)
    painter.setPen(TEXT)
    painter.drawText(rect.adjusted(6, 2, -4, -2), Qt.AlignmentFlag.AlignLeft
                     | Qt.AlignmentFlag.AlignTop, f"{clock(start)}-{clock(end)}")


def _paint_header(painter: QPainter, scene: Scene, columns: range, width: int) -> None:
    painter.fillRect(QRect(0, 0, width, HEADER_HEIGHT), HEADER_BG)
    painter.save()
    painter.setClipRect(QRect(RULER_WIDTH, 0, width - RULER_WIDTH, HEADER_HEIGHT))
    for number in columns:
        column = scene.columns[number]
        x = RULER_WIDTH + scene.geometry.x_of(number) - scene.dx
        cell = QRectF(x, 0, scene.geometry.column_width, HEADER_HEIGHT)
        if column.day == scene.today and scene.columns[0].day != scene.columns[-1].day:
            painter.fillRect(cell, HEADER_TODAY)  # the week view: today stands out
        inner = cell.adjusted(TEXT_PADDING + 2, 3, -TEXT_PADDING, -3)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(TEXT)
        metrics = painter.fontMetrics()
        title = metrics.elidedText(column.title, Qt.TextElideMode.ElideRight,
                                   int(inner.width()))
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(MUTED)
        subtitle = painter.fontMetrics().elidedText(column.subtitle, Qt.TextElideMode.ElideRight,
                                                    int(inner.width()))
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         subtitle)
        painter.setPen(QPen(HOUR_LINE, 1))
        painter.drawLine(int(cell.right()), 0, int(cell.right()), HEADER_HEIGHT)
    painter.restore()
    painter.setPen(QPen(HOUR_LINE, 1))
    painter.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)


def _paint_ruler(painter: QPainter, scene: Scene, height: int) -> None:
    painter.fillRect(QRect(0, HEADER_HEIGHT, RULER_WIDTH, height - HEADER_HEIGHT), HEADER_BG)
    painter.fillRect(QRect(0, 0, RULER_WIDTH, HEADER_HEIGHT), HEADER_BG)
    painter.save()
    painter.setClipRect(QRect(0, HEADER_HEIGHT, RULER_WIDTH, height - HEADER_HEIGHT))
    geo = scene.geometry
    metrics = painter.fontMetrics()
    for minute in range(geo.first, geo.last, BASE_STEP):
        y = HEADER_HEIGHT + geo.y_of(minute) - scene.dy
        if minute % 60 == 0:
            font = QFont(painter.font())
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, y + 1, RULER_WIDTH - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight, clock(minute))
            font.setBold(False)
            painter.setFont(font)
        elif minute % 30 == 0 and 30 * PX_PER_MINUTE >= 2 * metrics.height():
            painter.setPen(MUTED)
            painter.drawText(QRectF(0, y + 1, RULER_WIDTH - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight, clock(minute))
    painter.restore()
    painter.setPen(QPen(HOUR_LINE, 1))
    painter.drawLine(RULER_WIDTH - 1, 0, RULER_WIDTH - 1, height)
