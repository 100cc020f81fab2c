"""The day view: one column per active GP and nurse, side by side, the hours fixed left."""

from __future__ import annotations

from app.records.services.agenda_views import ScheduleSpan
from app.ui.agenda.formats import role_name
from app.ui.agenda.grid import AgendaGrid
from app.ui.agenda.layout import Column, Span
from app.ui.agenda_ops import AgendaData, ColumnData
from app.ui.qt import QWidget


def spans(column: ColumnData) -> tuple[Span, ...]:
    """A timetable's spans of one day as minutes of the day."""
    return tuple(_span(s) for s in column.spans)


def _span(span: ScheduleSpan) -> Span:
    start = span.starts.hour * 60 + span.starts.minute
    end = span.ends.hour * 60 + span.ends.minute
    return Span(start, end, max(1, span.slot_minutes))


def day_columns(data: AgendaData) -> list[Column]:
    """A column per clinician: the name, then the role (or why the day is closed)."""
    return [
        Column(c.clinician.id, c.day, c.clinician.full_name,
               c.closure or role_name(c.clinician.role), spans(c), c.closure)
        for c in data.columns
    ]


class DayView(AgendaGrid):
    """Every clinician's day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("agendaDay", parent)
