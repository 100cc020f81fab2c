"""The agenda of a 20-GP center: opening a day, moving an appointment, until painted.

Both use the real ``AgendaPage`` (the main window's own when it has one, else one made
here with the same session) and the real threaded executor. The day view's
``paintEvent`` is wrapped on the instance (``PaintProbe``): each paint is noted when it
has finished, with the day it showed and where the watched appointment was. So:
- **day view**: ``page.show_day(day)`` of the fully booked day (after another day was
  shown, so nothing is cached in the page) until the day view has painted that day's
  appointments: the read (``LoadDay``: clinicians, timetables, closures, appointments),
  the layout and the paint;
- **move**: the appointment just before a free slot selected, then Ctrl+Down (or Ctrl+Up
  back) typed on the day view: ``GridKeys.move_selected`` emits ``move_requested``
  as a drag does, the page runs ``MoveAppointment`` (a write: audit, change log, anchor),
  reads the day again and paints. Two figures: until a paint shows the appointment at
  its new time (the page may draw it there before the record answers), and until the
  record's answer (the day read again after the write) is painted.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.desk_center import DeskCenter
from benchmarks.desk_qt import Paint, PaintProbe, median_parts, series_of
from benchmarks.desk_window import DeskSession

PAGE_SIZE = (1600, 900)  # a desk's full-HD screen, less the task bar and the frame


def agenda_page(desk: DeskSession) -> tuple[Any, str]:
    """The main window's agenda page brought into view (F3), else a page made here."""
    from PySide6.QtTest import QTest  # TODO(lead): qt.py

    from app.ui.agenda.page import AgendaPage
    from app.ui.qt import Qt

    window: Any = getattr(desk.shell, "window", None)
    page = window.findChild(AgendaPage) if window is not None else None
    if page is not None:
        window.resize(*PAGE_SIZE)
        window.activateWindow()  # its shortcuts are the active window's
        QTest.keyClick(window, Qt.Key.Key_F3)
        desk.app.processEvents()
        if page.isVisible():
            return page, "main window"
    session = next(d.result for d in reversed(desk.executor.deliveries) if d.op == "Login")
    if window is not None:
        window.hide()  # not closed: closing the main window logs out
    page = AgendaPage(desk.executor, session)
    page.resize(*PAGE_SIZE)
    page.show()
    return page, "standalone"


def _show(desk: DeskSession, page: Any, probe: PaintProbe, day: Any,
          booked: bool) -> tuple[float, dict[str, float]]:
    """show_day until painted: total ms, and its parts (read, callback, paint)."""
    start = time.perf_counter_ns()
    page.show_day(day)
    desk.waiter.until(lambda: probe.first_since(start, day, booked=booked) is not None,
                      f"day view of {day}")
    painted = probe.first_since(start, day, booked=booked)
    assert painted is not None
    return (painted.ended_ns - start) / 1e6, _parts(desk, start, painted, ("LoadDay",))


def _parts(desk: DeskSession, start: int, painted: Paint, ops: tuple[str, ...]) -> dict[
        str, float]:
    """Where one timed step went: each operation up to its callback, then the paint.

    ``<op>``: from the end of the previous part to the start of the op's callback (queue,
    worker, signal back); ``<op> callback``: the callback on the GUI thread (for a load:
    the layout of the grid); ``paint``: from the last callback to the end of the paint.
    """
    parts: dict[str, float] = {}
    mark = start
    for op in ops:
        delivery = next((d for d in desk.executor.after(op, mark)), None)
        if delivery is None:
            return parts
        parts[op] = (delivery.started_ns - mark) / 1e6
        parts[f"{op} callback"] = (delivery.ended_ns - delivery.started_ns) / 1e6
        mark = delivery.ended_ns
    parts["paint"] = (painted.ended_ns - mark) / 1e6
    return parts


def day_view_series(desk: DeskSession, center: DeskCenter, page: Any,
                    probe: PaintProbe, runs: int) -> dict[str, Any]:
    """show_day of the booked day until painted (each after the other day was shown)."""
    samples, parts = [], []
    for i in range(runs + 1):
        _show(desk, page, probe, center.other_day, booked=False)
        ms, where = _show(desk, page, probe, center.day, booked=True)
        if i:  # the first opening (cold page, cold caches) is not counted
            samples.append(ms)
            parts.append(where)
    view = page.day_view
    return {**series_of(samples), "parts_p50_ms": median_parts(parts),
            "columns": len(view.columns), "blocks": len(view.blocks)}


def _movable(view: Any, center: DeskCenter) -> tuple[Any, int, int]:
    """An appointment that ends where a free slot begins: (block, start, free start)."""
    from app.records.agenda_time import to_local

    for number, column in enumerate(view.columns):
        slot = center.free_slot.get(column.clinician_id)
        if slot is None:
            continue
        local = to_local(slot.starts_at)
        free = local.hour * 60 + local.minute
        for block in view.blocks:
            if block.column == number and block.end == free:
                return block, block.start, free
    raise RuntimeError("no appointment next to a free slot in the day view")


def _confirmed(desk: DeskSession, probe: PaintProbe, center: DeskCenter, start: int,
               target: int) -> Paint | None:
    """The paint of the record's answer: after the move's callback and the reload after it."""
    moves = desk.executor.after("MoveAppointment", start)
    if not moves:
        return None
    loads = desk.executor.after("LoadDay", moves[0].ended_ns)
    if not loads or desk.executor.outstanding:
        return None
    return probe.first_since(loads[0].ended_ns, center.day, target)


def _move_once(desk: DeskSession, probe: PaintProbe, center: DeskCenter, key: Any,
               target: int) -> tuple[float, float, dict[str, float]]:
    """One Ctrl+Up/Down: ms until a paint shows the new time, ms until the record's
    answer is painted (the write, the day read again), and the parts of the latter."""
    from PySide6.QtTest import QTest  # TODO(lead): qt.py

    from app.ui.qt import Qt

    start = time.perf_counter_ns()
    QTest.keyClick(probe.view, key, Qt.KeyboardModifier.ControlModifier)

    def shown() -> bool:
        return probe.first_since(start, center.day, target) is not None

    def confirmed() -> bool:
        return _confirmed(desk, probe, center, start, target) is not None

    desk.waiter.until(shown, "the moved appointment painted at its new time")
    desk.waiter.until(confirmed, "the move confirmed by the record and painted")
    first = probe.first_since(start, center.day, target)
    answer = _confirmed(desk, probe, center, start, target)
    assert first is not None and answer is not None
    return ((first.ended_ns - start) / 1e6, (answer.ended_ns - start) / 1e6,
            _parts(desk, start, answer, ("MoveAppointment", "LoadDay")))


def move_series(desk: DeskSession, center: DeskCenter, page: Any, probe: PaintProbe,
                runs: int) -> dict[str, Any]:
    """Ctrl+Down into the free slot, Ctrl+Up back, alternately; ms until repainted.

    The page may paint the appointment at its new time before the record answers (a
    pending move): then the first figure is that paint, the second the record's answer
    painted. Each move waits for that answer (nothing left in flight) before the next.
    """
    from app.ui.qt import Qt

    view = page.day_view
    _show(desk, page, probe, center.day, booked=True)
    block, before, after = _movable(view, center)
    probe.watched = block.appointment.id
    shown, answered, parts = [], [], []
    for i in range(runs + 1):
        down = i % 2 == 0
        if not view.select_appointment(block.appointment.id):
            raise RuntimeError("the moved appointment is no longer in the day view")
        view.setFocus()
        key = Qt.Key.Key_Down if down else Qt.Key.Key_Up
        first, answer, where = _move_once(desk, probe, center, key, after if down else before)
        if i:  # the first move (first write of the session) is not counted
            shown.append(first)
            answered.append(answer)
            parts.append(where)
    moves = [d for d in desk.executor.deliveries if d.op == "MoveAppointment"]
    failed = [d for d in moves if d.failed]
    if failed:
        raise RuntimeError(f"a move was refused: {failed[0].result!r}")
    if len(moves) != runs + 1:
        raise RuntimeError(f"{runs + 1} moves typed, {len(moves)} written")
    return {**series_of(shown), "confirmed": {**series_of(answered),
                                              "parts_p50_ms": median_parts(parts)},
            "moves": len(moves)}
