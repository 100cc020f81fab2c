"""The agenda grid: one painted widget for a day (a column per clinician) or a week.

Nothing here writes: the grid tracks the selection and the drags, and asks for
bookings, moves, resizes and status changes by signal; the page runs the operations
and hands the grid the record's answer (``set_data``). Hit-testing is arithmetic on
the layout, so twenty clinicians with full days cost one paint of what is in view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.records.agenda_time import local_today
from app.records.services.views import AppointmentView
from app.ui.agenda import grid_paint
from app.ui.agenda.grid_menu import GridKeys, appointment_actions
from app.ui.agenda.grid_mouse import Drag, GridMouse
from app.ui.agenda.layout import (
    HEADER_HEIGHT,
    PX_PER_MINUTE,
    RULER_WIDTH,
    Block,
    Column,
    Cursor,
    Geometry,
    fit_columns,
    hours_shown,
    place,
    slot_at,
)
from app.ui.qt import (
    QAbstractScrollArea,
    QContextMenuEvent,
    QFrame,
    QKeyEvent,
    QMenu,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPoint,
    QResizeEvent,
    Qt,
    QWidget,
    Signal,
)

RESIZE_HANDLE_PX = 5


@dataclass(frozen=True)
class Hit:
    """What is under a point of the viewport."""

    column: int
    minute: int
    block: Block | None
    on_bottom_edge: bool


class AgendaGrid(QAbstractScrollArea):
    """Columns of slots with their appointments; the keyboard and the mouse select and drag."""

    book_requested = Signal(object)  # Cursor: the free slot to book
    move_requested = Signal(object, int, int)  # AppointmentView, column, start minute
    resize_requested = Signal(object, int)  # AppointmentView, new length in minutes
    status_requested = Signal(object, str)  # AppointmentView, status
    cancel_requested = Signal(object)  # AppointmentView
    patient_requested = Signal(str)
    refresh_requested = Signal()
    page_requested = Signal(int)  # -1 previous, +1 next day or week
    selection_changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.columns: list[Column] = []
        self.blocks: list[Block] = []
        self._by_column: dict[int, list[Block]] = {}
        self._appointments: tuple[AppointmentView, ...] = ()
        self.labels: dict[str, str] = {}
        self.show_cancelled = False
        self.can_write = False
        self.clinical = False
        self.today = local_today()
        self.now_minute = -1
        self.current: Cursor | None = None
        self.selected_id: str | None = None
        self.drag: Drag | None = None
        self.menu: QMenu | None = None
        self.geometry_ = Geometry(8 * 60, 19 * 60, 150.0, 0)
        self.keys = GridKeys(self)
        self.mouse = GridMouse(self)

    # -- data -------------------------------------------------------------------------------
    def set_data(self, columns: list[Column], appointments: tuple[AppointmentView, ...]) -> None:
        """Show these columns and appointments, keeping the selection where it still fits."""
        same_columns = [(c.clinician_id, c.day) for c in columns] == \
            [(c.clinician_id, c.day) for c in self.columns]
        self.columns = columns
        self._appointments = appointments
        self._place()
        if not same_columns:
            self.current = None
            self.selected_id = None
        self._reselect()
        self.viewport().update()
        self.selection_changed.emit()

    def set_show_cancelled(self, show: bool) -> None:
        """Show or hide the cancelled appointments."""
        self.show_cancelled = show
        self._place()
        self._reselect()
        self.viewport().update()

    def show_pending(self, appointment_id: str, column: int, start: int, end: int) -> None:
        """Draw a dropped (or resized) appointment where it goes until the record answers.

        Only the picture changes: the next ``set_data`` shows what the record holds,
        including a refusal (the block goes back).
        """
        self.blocks = [replace(b, column=column, start=start, end=end, lane=0, lanes=1)
                       if b.appointment.id == appointment_id else b for b in self.blocks]
        self._by_column = {}
        for block in self.blocks:
            self._by_column.setdefault(block.column, []).append(block)
        if self.selected_id == appointment_id:
            self.current = Cursor(column, start, end - start)
        self.viewport().update()

    def _place(self) -> None:
        self.blocks = place(self._appointments, self.columns, self.show_cancelled)
        self._by_column = {}
        for block in self.blocks:
            self._by_column.setdefault(block.column, []).append(block)
        self._relayout()

    def _relayout(self) -> None:
        first, last = hours_shown(self.columns, self.blocks)
        available = self.viewport().width() - RULER_WIDTH
        width = fit_columns(len(self.columns), available)
        self.geometry_ = Geometry(first, last, width, len(self.columns))
        hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
        hbar.setRange(0, max(0, self.geometry_.body_width - available))
        hbar.setPageStep(max(1, available))
        hbar.setSingleStep(int(width / 3))
        body = self.viewport().height() - HEADER_HEIGHT
        vbar.setRange(0, max(0, self.geometry_.body_height - body))
        vbar.setPageStep(max(1, body))
        vbar.setSingleStep(int(15 * PX_PER_MINUTE))

    def _reselect(self) -> None:
        block = self.selected_block()
        if block is not None:
            self.current = Cursor(block.column, block.start, block.end - block.start)
        else:
            self.selected_id = None
            if self.current is not None and self.current.column >= len(self.columns):
                self.current = None

    # -- selection --------------------------------------------------------------------------
    def selected_block(self) -> Block | None:
        """The selected appointment's block (None when a free slot is selected)."""
        if self.selected_id is None:
            return None
        return next((b for b in self.blocks if b.appointment.id == self.selected_id), None)

    def selected_appointment(self) -> AppointmentView | None:
        """The selected appointment, if any."""
        block = self.selected_block()
        return block.appointment if block is not None else None

    def block_at(self, column: int, minute: int) -> Block | None:
        """The appointment shown at a minute of a column (a live one before a cancelled one)."""
        found = [b for b in self._by_column.get(column, ()) if b.start <= minute < b.end]
        found.sort(key=lambda b: (b.appointment.status == "cancelled", b.lane))
        return found[0] if found else None

    def select_at(self, column: int, minute: int) -> None:
        """Select what is at a minute of a column: its appointment or its slot."""
        if not self.columns:
            return
        column = max(0, min(column, len(self.columns) - 1))
        minute = max(self.geometry_.first, min(minute, self.geometry_.last - 1))
        block = self.block_at(column, minute)
        if block is not None:
            self.selected_id = block.appointment.id
            self.current = Cursor(column, block.start, block.end - block.start)
        else:
            self.selected_id = None
            start, minutes = slot_at(self.columns[column], minute)
            self.current = Cursor(column, start, minutes)
        self.ensure_visible()
        self.viewport().update()
        self.selection_changed.emit()

    def select_appointment(self, appointment_id: str) -> bool:
        """Select an appointment by id; False when it is not shown."""
        block = next((b for b in self.blocks if b.appointment.id == appointment_id), None)
        if block is None:
            return False
        self.select_at(block.column, block.start)
        return True

    def select_slot(self, column: int, start: int, minutes: int) -> None:
        """Select a free slot of a given length (the first free slot found)."""
        self.select_at(column, start)
        if self.selected_id is None:
            self.current = Cursor(column, start, minutes)
            self.viewport().update()

    def ensure_visible(self) -> None:
        """Scroll so that the selection is in view."""
        if self.current is not None:
            self.ensure_visible_minute(self.current.column, self.current.start,
                                       self.current.minutes)

    def ensure_visible_minute(self, column: int, minute: int, minutes: int = 1) -> None:
        """Scroll so that ``minutes`` from ``minute`` of ``column`` are in view."""
        geo = self.geometry_
        hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
        left = int(geo.x_of(column))
        right = int(left + geo.column_width)
        width = self.viewport().width() - RULER_WIDTH
        if left < hbar.value():
            hbar.setValue(left)
        elif right > hbar.value() + width:
            hbar.setValue(right - width)
        top = int(geo.y_of(minute))
        bottom = int(geo.y_of(minute + minutes))
        height = self.viewport().height() - HEADER_HEIGHT
        if top < vbar.value():
            vbar.setValue(top)
        elif bottom > vbar.value() + height:
            vbar.setValue(bottom - height)

    def scroll_to_minute(self, minute: int) -> None:
        """Show ``minute`` at the top of the view (e.g. the start of the working day)."""
        self.verticalScrollBar().setValue(int(self.geometry_.y_of(minute)))

    # -- painting ---------------------------------------------------------------------------
    def scene(self) -> grid_paint.Scene:
        """What the painter draws now."""
        ghost = self.drag.target if self.drag is not None and self.drag.active else None
        return grid_paint.Scene(
            self.geometry_, self.columns, self._by_column, self.current, self.selected_id,
            ghost, self.labels, self.today, self.now_minute,
            self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """Paint the part of the grid that needs it."""
        painter = QPainter(self.viewport())
        viewport = self.viewport()
        grid_paint.paint(painter, self.scene(), event.rect(), viewport.width(),
                         viewport.height())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Columns share the new width."""
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt's name
        """The body moved under the fixed header and ruler: repaint."""
        del dx, dy
        self.viewport().update()

    # -- hit-testing ------------------------------------------------------------------------
    def hit(self, pos: QPoint) -> Hit | None:
        """What is under a viewport point (None on the header, the ruler or past the columns)."""
        if pos.x() < RULER_WIDTH or pos.y() < HEADER_HEIGHT:
            return None
        x = pos.x() - RULER_WIDTH + self.horizontalScrollBar().value()
        y = pos.y() - HEADER_HEIGHT + self.verticalScrollBar().value()
        column = self.geometry_.column_at(x)
        if column is None or y >= self.geometry_.body_height:
            return None
        minute = self.geometry_.minute_at(y)
        block = self.block_at(column, minute)
        edge = False
        if block is not None:
            bottom = self.geometry_.y_of(block.end)
            edge = bottom - y <= RESIZE_HANDLE_PX
        else:  # a pointer just below an appointment still grabs its bottom edge
            above = self.block_at(column, minute - 1)
            if above is not None and y - self.geometry_.y_of(above.end) < RESIZE_HANDLE_PX:
                block, edge = above, True
        return Hit(column, minute, block, edge)

    def point_of(self, column: int, minute: int, *, x_fraction: float = 0.5) -> QPoint:
        """The viewport point over a minute of a column (tests and keyboard menus use it)."""
        geo = self.geometry_
        x = RULER_WIDTH + geo.x_of(column) + geo.column_width * x_fraction
        y = HEADER_HEIGHT + geo.y_of(minute) + PX_PER_MINUTE / 2
        return QPoint(int(x - self.horizontalScrollBar().value()),
                      int(y - self.verticalScrollBar().value()))

    # -- mouse (see GridMouse) ---------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Select what was clicked; a press on an appointment may start a drag."""
        self.mouse.press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Drag the pressed appointment, or show the resize cursor over a bottom edge."""
        self.mouse.move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Drop: ask for the move or the resize (the record decides)."""
        del event
        self.mouse.release()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Double click: book a free slot, open an appointment's patient."""
        self.mouse.double_click(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        """Right click: the actions on what is under the pointer."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self.show_menu()
            return
        hit = self.hit(event.pos())
        if hit is None:
            return
        if hit.block is not None:
            self.select_appointment(hit.block.appointment.id)
        else:
            self.select_at(hit.column, hit.minute)
        self.show_menu(event.globalPos())

    def context_menu(self) -> QMenu:
        """The context menu of the selection, not yet shown."""
        menu = QMenu(self)
        menu.setObjectName("agendaMenu")
        for action in appointment_actions(self, menu):
            menu.addAction(action)
        return menu

    def show_menu(self, global_pos: QPoint | None = None) -> QMenu:
        """Pop the context menu of the selection up (never blocking)."""
        if self.menu is not None:
            self.menu.deleteLater()
        menu = self.context_menu()
        if global_pos is None and self.current is not None:
            global_pos = self.viewport().mapToGlobal(
                self.point_of(self.current.column, self.current.start))
        self.menu = menu
        menu.popup(global_pos or QPoint(0, 0))
        return menu

    # -- keyboard ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Arrows, Enter, Del, Ctrl+Up/Down and the status keys (see GridKeys)."""
        if not self.keys.handle(event):
            super().keyPressEvent(event)
