"""The agenda grid's mouse: click to select, double click to book, drag to move or resize.

A press on an appointment becomes a drag once the pointer travels Qt's drag distance;
the ghost snaps to the target column's slots (a move) or to 5 minutes (a resize), and
the drop only asks for the change: the page runs it and the record decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.ui.agenda.layout import HEADER_HEIGHT, PX_PER_MINUTE, RULER_WIDTH, Block, slot_at
from app.ui.qt import QApplication, QMouseEvent, QPoint, Qt

if TYPE_CHECKING:
    from app.ui.agenda.grid import AgendaGrid

MIN_MINUTES = 5
MOVABLE = ("booked", "arrived")
AUTOSCROLL_MARGIN = 24


@dataclass
class Drag:
    """A press on an appointment that may become a move or a resize."""

    block: Block
    mode: str  # "move" or "resize"
    pressed_at: QPoint
    grab: int  # minutes between the appointment's start and the pointer
    active: bool = False
    target: tuple[int, int, int] | None = None  # column, start, end


class GridMouse:
    """What the mouse does on the grid."""

    def __init__(self, grid: AgendaGrid) -> None:
        self.grid = grid

    def may_drag(self, block: Block) -> bool:
        """Whether this appointment may be moved or resized from here."""
        return self.grid.can_write and block.appointment.status in MOVABLE

    def press(self, event: QMouseEvent) -> None:
        """Select what was pressed; remember a press on an appointment (a drag, maybe)."""
        grid = self.grid
        grid.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        hit = grid.hit(pos)
        if hit is None:
            return
        if hit.block is None:
            grid.select_at(hit.column, hit.minute)
            return
        grid.select_appointment(hit.block.appointment.id)
        if event.button() == Qt.MouseButton.LeftButton and self.may_drag(hit.block):
            mode = "resize" if hit.on_bottom_edge else "move"
            grid.drag = Drag(hit.block, mode, pos, hit.minute - hit.block.start)

    def move(self, event: QMouseEvent) -> None:
        """Move the ghost of a dragged appointment; otherwise show what a press would do."""
        grid = self.grid
        pos = event.position().toPoint()
        drag = grid.drag
        if drag is None:
            self.hover(pos)
            return
        if not drag.active:
            if (pos - drag.pressed_at).manhattanLength() < QApplication.startDragDistance():
                return
            drag.active = True
        drag.target = self.target(drag, pos)
        self.autoscroll(pos)
        grid.viewport().update()

    def target(self, drag: Drag, pos: QPoint) -> tuple[int, int, int]:
        """Column, start and end where the dragged appointment would land."""
        grid = self.grid
        geo = grid.geometry_
        block = drag.block
        x = pos.x() - RULER_WIDTH + grid.horizontalScrollBar().value()
        y = pos.y() - HEADER_HEIGHT + grid.verticalScrollBar().value()
        minute = geo.first + round(y / PX_PER_MINUTE)
        if drag.mode == "resize":
            end = max(block.start + MIN_MINUTES, round(minute / MIN_MINUTES) * MIN_MINUTES)
            return block.column, block.start, min(end, geo.last)
        found = geo.column_at(max(0.0, min(x, geo.body_width - 1.0)))
        column = block.column if found is None else found
        length = block.end - block.start
        wanted = minute - drag.grab
        start, step = slot_at(grid.columns[column], wanted)
        if wanted - start > step / 2:  # nearer the next slot
            start = slot_at(grid.columns[column], start + step)[0]
        start = max(geo.first, min(start, geo.last - length))
        return column, start, start + length

    def autoscroll(self, pos: QPoint) -> None:
        """Near an edge, a drag scrolls the grid."""
        grid = self.grid
        vbar, hbar = grid.verticalScrollBar(), grid.horizontalScrollBar()
        if pos.y() < HEADER_HEIGHT + AUTOSCROLL_MARGIN:
            vbar.setValue(vbar.value() - vbar.singleStep())
        elif pos.y() > grid.viewport().height() - AUTOSCROLL_MARGIN:
            vbar.setValue(vbar.value() + vbar.singleStep())
        if pos.x() < RULER_WIDTH + AUTOSCROLL_MARGIN:
            hbar.setValue(hbar.value() - hbar.singleStep())
        elif pos.x() > grid.viewport().width() - AUTOSCROLL_MARGIN:
            hbar.setValue(hbar.value() + hbar.singleStep())

    def release(self) -> None:
        """Drop: ask for the move or the resize."""
        grid = self.grid
        drag, grid.drag = grid.drag, None
        if drag is None or not drag.active or drag.target is None:
            return
        grid.viewport().update()
        column, start, end = drag.target
        block = drag.block
        if drag.mode == "resize":
            if end - start != block.end - block.start:
                grid.resize_requested.emit(block.appointment, end - start)
        elif (column, start) != (block.column, block.start):
            grid.move_requested.emit(block.appointment, column, start)

    def double_click(self, event: QMouseEvent) -> None:
        """Book a free slot; open an appointment's patient."""
        grid = self.grid
        hit = grid.hit(event.position().toPoint())
        if hit is None:
            return
        if hit.block is not None:
            if hit.block.appointment.patient_id:
                grid.patient_requested.emit(hit.block.appointment.patient_id)
            return
        grid.select_at(hit.column, hit.minute)
        if grid.can_write and grid.current is not None:
            grid.book_requested.emit(grid.current)

    def hover(self, pos: QPoint) -> None:
        """The resize cursor over a bottom edge; the appointment's details as a tooltip."""
        grid = self.grid
        hit = grid.hit(pos)
        viewport = grid.viewport()
        block = hit.block if hit is not None else None
        if hit is not None and block is not None and hit.on_bottom_edge and self.may_drag(block):
            viewport.setCursor(Qt.CursorShape.SizeVerCursor)
        else:
            viewport.unsetCursor()
        tip = grid.keys.tooltip(block)
        if viewport.toolTip() != tip:
            viewport.setToolTip(tip)
