"""The agenda grid's keys and context menu: the same actions, the same rules.

Which status changes are offered follows the appointment's status; "in visit" and
"seen" are the clinician's acts and never offered to the front desk. The records
layer checks every transition again: this only keeps useless entries out of sight.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from app.core.i18n import _
from app.records.agenda_time import to_local
from app.records.services.views import AppointmentView
from app.ui.agenda.formats import status_label, time_text
from app.ui.agenda.layout import Block, step_at
from app.ui.qt import QAction, QKeyEvent, QKeySequence, QMenu, Qt

if TYPE_CHECKING:
    from app.ui.agenda.grid import AgendaGrid

# status -> the statuses it may come from
TRANSITIONS = {
    "arrived": ("booked",),
    "in-visit": ("arrived",),
    "seen": ("arrived", "in-visit"),
    "no-show": ("booked",),
    "booked": ("arrived", "no-show"),  # a check-in or a no-show undone
}
CLINICAL_STATUSES = ("in-visit", "seen")
CANCELLABLE = ("booked", "arrived")
STATUS_KEYS = {
    Qt.Key.Key_A: "arrived",
    Qt.Key.Key_V: "in-visit",
    Qt.Key.Key_S: "seen",
    Qt.Key.Key_N: "no-show",
    Qt.Key.Key_B: "booked",
}
KEY_TEXT = {"arrived": "A", "in-visit": "V", "seen": "S", "no-show": "N", "booked": "B"}


def status_allowed(grid: AgendaGrid, appointment: AppointmentView, status: str) -> bool:
    """Whether the grid offers this status change for this appointment."""
    if not grid.can_write or (status in CLINICAL_STATUSES and not grid.clinical):
        return False
    return appointment.status in TRANSITIONS.get(status, ())


def cancel_allowed(grid: AgendaGrid, appointment: AppointmentView) -> bool:
    """Whether the appointment may be cancelled from here."""
    return grid.can_write and appointment.status in CANCELLABLE


def _action(menu: QMenu, text: str, keys: str, slot: Callable[[], None],
            enabled: bool = True) -> QAction:
    action = QAction(text, menu)
    if keys:
        action.setShortcut(QKeySequence(keys))
        # Shown in the menu; the grid handles the keys itself (see GridKeys).
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.setEnabled(enabled)
    action.triggered.connect(lambda _checked=False: slot())  # drop Qt's "checked"
    return action


def _separator(menu: QMenu) -> QAction:
    action = QAction(menu)
    action.setSeparator(True)
    return action


def appointment_actions(grid: AgendaGrid, menu: QMenu) -> list[QAction]:
    """The context menu's actions for the grid's selection."""
    appointment = grid.selected_appointment()
    if appointment is None:
        if grid.current is None:
            return []
        cursor = grid.current
        return [_action(menu, _("Book..."), "Return",
                        lambda: grid.book_requested.emit(cursor), grid.can_write)]
    actions: list[QAction] = []
    if appointment.patient_id:
        patient_id = appointment.patient_id
        actions.append(_action(menu, _("Open patient"), "Ctrl+Return",
                               lambda: grid.patient_requested.emit(patient_id)))
        actions.append(_separator(menu))
    for status in TRANSITIONS:
        if status in CLINICAL_STATUSES and not grid.clinical:
            continue  # the front desk never sees the clinician's acts
        label = _("Back to booked") if status == "booked" else status_label(status)
        actions.append(_action(menu, label, KEY_TEXT[status],
                               partial(grid.status_requested.emit, appointment, status),
                               status_allowed(grid, appointment, status)))
    actions.append(_separator(menu))
    movable = grid.can_write and appointment.status in ("booked", "arrived")
    actions.append(_action(menu, _("Move up one slot"), "Ctrl+Up",
                           lambda: grid.keys.move_selected(-1), movable))
    actions.append(_action(menu, _("Move down one slot"), "Ctrl+Down",
                           lambda: grid.keys.move_selected(1), movable))
    actions.append(_separator(menu))
    actions.append(_action(menu, _("Cancel appointment..."), "Del",
                           lambda: grid.cancel_requested.emit(appointment),
                           cancel_allowed(grid, appointment)))
    return actions


class GridKeys:
    """What each key does on the grid."""

    def __init__(self, grid: AgendaGrid) -> None:
        self.grid = grid

    def handle(self, event: QKeyEvent) -> bool:
        """Act on a key press; False when the key is not the grid's."""
        key = Qt.Key(event.key())
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            if ctrl:
                self.move_selected(step)
            else:
                self.step_time(step)
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not ctrl:
            self.step_column(-1 if key == Qt.Key.Key_Left else 1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate(ctrl)
            return True
        return self._other(key, event)

    def _other(self, key: Qt.Key, event: QKeyEvent) -> bool:
        grid = self.grid
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier)
        appointment = grid.selected_appointment()
        if key == Qt.Key.Key_Delete:
            if appointment is not None and cancel_allowed(grid, appointment):
                grid.cancel_requested.emit(appointment)
            return True
        if key in STATUS_KEYS and plain:
            status = STATUS_KEYS[key]
            if appointment is not None and status_allowed(grid, appointment, status):
                grid.status_requested.emit(appointment, status)
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and grid.current is not None:
            geo = grid.geometry_
            minute = geo.first if key == Qt.Key.Key_Home else geo.last - 1
            grid.select_at(grid.current.column, minute)
            return True
        pages = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1}
        if key in pages:
            grid.page_requested.emit(pages[key])
            return True
        if key == Qt.Key.Key_F5:
            grid.refresh_requested.emit()
            return True
        return False

    def _start(self) -> bool:
        """Put the cursor on the first slot when nothing is selected yet."""
        grid = self.grid
        if grid.current is None and grid.columns:
            first = min((s.start for s in grid.columns[0].spans), default=grid.geometry_.first)
            grid.select_at(0, first)
            return True
        return grid.current is None

    def step_time(self, step: int) -> None:
        """Up/Down: the slot (or appointment) above or below."""
        grid = self.grid
        if self._start() or grid.current is None:
            return
        cursor = grid.current
        minute = cursor.start - 1 if step < 0 else cursor.start + cursor.minutes
        if grid.geometry_.first <= minute < grid.geometry_.last:
            grid.select_at(cursor.column, minute)

    def step_column(self, step: int) -> None:
        """Left/Right: the same time in the next clinician's (or day's) column."""
        grid = self.grid
        if self._start() or grid.current is None:
            return
        column = grid.current.column + step
        if 0 <= column < len(grid.columns):
            grid.select_at(column, grid.current.start)

    def activate(self, ctrl: bool) -> None:
        """Enter books a free slot, opens an appointment's menu; Ctrl+Enter opens the patient."""
        grid = self.grid
        if self._start():
            return
        appointment = grid.selected_appointment()
        if appointment is None:
            if grid.can_write and grid.current is not None and not ctrl:
                grid.book_requested.emit(grid.current)
        elif ctrl:
            if appointment.patient_id:
                grid.patient_requested.emit(appointment.patient_id)
        else:
            grid.show_menu()

    def move_selected(self, step: int) -> None:
        """Ctrl+Up/Down: move the selected appointment by one slot."""
        grid = self.grid
        block = grid.selected_block()
        if block is None or not grid.can_write or block.appointment.status not in CANCELLABLE:
            return
        column = grid.columns[block.column]
        if step < 0:
            start = block.start - step_at(column, block.start - 1)
        else:
            start = block.start + step_at(column, block.start)
        grid.move_requested.emit(block.appointment, block.column, start)

    def tooltip(self, block: Block | None) -> str:
        """The hover text of an appointment (the clinical reason only for clinicians)."""
        if block is None:
            return ""
        a = block.appointment
        starts, ends = to_local(a.starts_at), to_local(a.ends_at)
        lines = [a.patient_name or _("(no patient)"),
                 f"{time_text(starts)}-{time_text(ends)} - "
                 f"{self.grid.labels.get(a.kind, a.kind)} - {status_label(a.status)}"]
        if a.note:
            lines.append(_("Desk note: {note}").format(note=a.note))
        if a.reason and self.grid.clinical:
            lines.append(_("Reason: {reason}").format(reason=a.reason))
        if a.cancel_reason:
            lines.append(_("Cancelled: {reason}").format(reason=a.cancel_reason))
        return "\n".join(lines)
