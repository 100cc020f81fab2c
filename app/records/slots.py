"""Slot arithmetic for the agenda: timetables cut into slots, minus what is taken.

Pure functions on aware UTC intervals, no database: the schedule service reads a range's
appointments and closures once and does the rest here, so a free-slot search over two
months costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from app.records.agenda_time import local_to_utc
from app.records.services.agenda_views import ScheduleSpan

Interval = tuple[datetime, datetime]


def day_slots(spans: Iterable[ScheduleSpan], day: date) -> list[Interval]:
    """The timetable's slots on a local day, in order (a span's last partial slot dropped)."""
    slots: list[Interval] = []
    for span in spans:
        if not span.applies_on(day):
            continue
        start, end = local_to_utc(day, span.starts), local_to_utc(day, span.ends)
        step = timedelta(minutes=span.slot_minutes)
        while start + step <= end:
            slots.append((start, start + step))
            start += step
    slots.sort()
    return slots


def merged(busy: Iterable[Interval]) -> list[Interval]:
    """Intervals as a sorted list of disjoint ones (overlapping or touching ones joined)."""
    out: list[Interval] = []
    for start, end in sorted(busy):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def free(slots: Sequence[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """The slots (sorted, not overlapping) that overlap no busy interval."""
    taken = merged(busy)
    out: list[Interval] = []
    index = 0
    for start, end in slots:
        while index < len(taken) and taken[index][1] <= start:
            index += 1
        if index < len(taken) and taken[index][0] < end:
            continue
        out.append((start, end))
    return out


def runs(slots: Sequence[Interval]) -> Iterator[list[Interval]]:
    """Sorted slots grouped into runs of contiguous ones (each ends where the next starts)."""
    current: list[Interval] = []
    for slot in slots:
        if current and slot[0] != current[-1][1]:
            yield current
            current = []
        current.append(slot)
    if current:
        yield current


def fitting(free_slots: Sequence[Interval], minutes: int) -> list[Interval]:
    """Where a booking of ``minutes`` can start (on a free slot's start) and end."""
    length = timedelta(minutes=minutes)
    out: list[Interval] = []
    for run in runs(free_slots):
        run_end = run[-1][1]
        out.extend((start, start + length) for start, _end in run if start + length <= run_end)
    return out
