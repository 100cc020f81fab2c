"""Where things go on the agenda grid: columns, slots, appointment blocks, pixels.

Pure arithmetic (no widgets): the grid paints and hit-tests with these, so that a day
of twenty clinicians is drawn by one widget and a click is found by division.
Minutes are minutes of the center's local day (Europe/Rome); 0 is midnight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.records.agenda_time import to_local
from app.records.services.views import AppointmentView

BASE_STEP = 15  # minutes: the grid's lines, and the slot outside a timetable
DEFAULT_FIRST = 8 * 60
DEFAULT_LAST = 19 * 60
PX_PER_MINUTE = 1.8
HEADER_HEIGHT = 44
RULER_WIDTH = 58
MIN_COLUMN_WIDTH = 150


@dataclass(frozen=True)
class Span:
    """Working hours of one column: [start, end) in minutes, cut into ``slot`` minutes."""

    start: int
    end: int
    slot: int


@dataclass(frozen=True)
class Column:
    """One column of the grid: a clinician on a day."""

    clinician_id: str
    day: date
    title: str
    subtitle: str = ""
    spans: tuple[Span, ...] = ()
    closed: str | None = None  # the closure's description: nobody is booked that day


@dataclass(frozen=True)
class Block:
    """An appointment placed in its column, side by side with any it overlaps."""

    appointment: AppointmentView
    column: int
    start: int
    end: int
    lane: int = 0
    lanes: int = 1


@dataclass(frozen=True)
class Cursor:
    """The selected place: a slot of a column (an appointment when one starts there)."""

    column: int
    start: int
    minutes: int


def local_minutes(appointment: AppointmentView) -> tuple[date, int, int]:
    """The local day of an appointment and its start and end minutes on that day."""
    starts = to_local(appointment.starts_at)
    ends = to_local(appointment.ends_at)
    start = starts.hour * 60 + starts.minute
    end = start + max(1, round((ends - starts).total_seconds() / 60))
    return starts.date(), start, end


def slot_at(column: Column, minute: int) -> tuple[int, int]:
    """The slot holding ``minute``: the timetable's slot, else a BASE_STEP one."""
    for span in column.spans:
        if span.start <= minute < span.end:
            start = span.start + (minute - span.start) // span.slot * span.slot
            return start, min(span.slot, span.end - start)
    start = minute // BASE_STEP * BASE_STEP
    return start, BASE_STEP


def step_at(column: Column, minute: int) -> int:
    """The slot length at ``minute`` (how far one arrow press moves)."""
    return slot_at(column, minute)[1]


def place(appointments: Iterable[AppointmentView], columns: Sequence[Column],
          show_cancelled: bool) -> list[Block]:
    """Blocks for the appointments shown in these columns, overlapping ones side by side."""
    index = {(c.clinician_id, c.day): n for n, c in enumerate(columns)}
    by_column: dict[int, list[tuple[int, int, AppointmentView]]] = {}
    for appointment in appointments:
        if appointment.status == "cancelled" and not show_cancelled:
            continue
        day, start, end = local_minutes(appointment)
        number = index.get((appointment.clinician_id, day))
        if number is not None:
            by_column.setdefault(number, []).append((start, end, appointment))
    blocks: list[Block] = []
    for number, items in by_column.items():
        blocks.extend(_lanes(number, sorted(items, key=lambda item: (item[0], item[1]))))
    return blocks


def _lanes(column: int, items: list[tuple[int, int, AppointmentView]]) -> list[Block]:
    """Greedy lanes per cluster of overlapping appointments (usually one lane)."""
    placed: list[Block] = []
    cluster: list[tuple[int, int, int, AppointmentView]] = []
    cluster_end = -1
    lane_ends: list[int] = []

    def flush() -> None:
        lanes = max(1, len(lane_ends))
        placed.extend(Block(a, column, s, e, lane, lanes) for s, e, lane, a in cluster)

    for start, end, appointment in items:
        if start >= cluster_end and cluster:
            flush()
            cluster, lane_ends = [], []
        lane = next((n for n, busy in enumerate(lane_ends) if busy <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        cluster.append((start, end, lane, appointment))
        cluster_end = max(cluster_end, end)
    if cluster:
        flush()
    return placed


def hours_shown(columns: Sequence[Column], blocks: Sequence[Block]) -> tuple[int, int]:
    """The first and last minute the grid shows: every timetable and appointment, whole hours."""
    starts = [s.start for c in columns for s in c.spans] + [b.start for b in blocks]
    ends = [s.end for c in columns for s in c.spans] + [b.end for b in blocks]
    first = min(starts, default=DEFAULT_FIRST) // 60 * 60
    last = max(ends, default=DEFAULT_LAST)
    last = min(24 * 60, -(-max(last, first + 60) // 60) * 60)
    return first, last


@dataclass(frozen=True)
class Geometry:
    """Pixels of the grid's body (without the fixed header and ruler)."""

    first: int
    last: int
    column_width: float
    columns: int

    @property
    def body_height(self) -> int:
        """Height of the whole day in pixels."""
        return round((self.last - self.first) * PX_PER_MINUTE)

    @property
    def body_width(self) -> int:
        """Width of every column together."""
        return round(self.column_width * self.columns)

    def y_of(self, minute: int) -> float:
        """Body y of a minute."""
        return (minute - self.first) * PX_PER_MINUTE

    def minute_at(self, y: float) -> int:
        """The minute at body y, inside the shown hours."""
        minute = self.first + int(y / PX_PER_MINUTE + 1e-9)
        return max(self.first, min(self.last - 1, minute))

    def x_of(self, column: int) -> float:
        """Body x of a column's left edge."""
        return column * self.column_width

    def column_at(self, x: float) -> int | None:
        """The column at body x, or None outside the columns."""
        if x < 0 or self.columns == 0:
            return None
        number = int(x // self.column_width)
        return number if number < self.columns else None


def fit_columns(count: int, available: float) -> float:
    """Column width: share the space, never narrower than MIN_COLUMN_WIDTH (then scroll)."""
    if count == 0:
        return float(MIN_COLUMN_WIDTH)
    return max(float(MIN_COLUMN_WIDTH), available / count)
