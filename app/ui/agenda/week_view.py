"""The week view: one clinician from Monday to Saturday, a column per day."""

from __future__ import annotations

from app.ui.agenda.day_view import spans
from app.ui.agenda.formats import clock, date_text, weekday_name
from app.ui.agenda.grid import AgendaGrid
from app.ui.agenda.layout import Column
from app.ui.agenda_ops import AgendaData, ColumnData
from app.ui.qt import QWidget


def _hours(column: ColumnData) -> str:
    if column.closure:
        return column.closure
    shown = spans(column)
    return ", ".join(f"{clock(s.start)}-{clock(s.end)}" for s in shown) or "-"


def week_columns(data: AgendaData) -> list[Column]:
    """A column per day: the weekday and date, then the working hours (or the closure)."""
    return [
        Column(c.clinician.id, c.day, f"{weekday_name(c.day)} {date_text(c.day)}",
               _hours(c), spans(c), c.closure)
        for c in data.columns
    ]


class WeekView(AgendaGrid):
    """One clinician's week."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("agendaWeek", parent)
