"""What the agenda's services hand out: plain frozen dataclasses that cross threads.

``AppointmentView`` stays in ``views.py`` with the other records views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class VisitTypeView:
    """A kind of appointment (``code`` is the appointment's ``kind``) and its usual length.

    A built-in type not yet stored by the center has the id ``"builtin-<code>"``.
    """

    id: str
    code: str
    label: str
    minutes: int
    role: str | None  # "gp", "nurse" or None: any clinician
    active: bool


@dataclass(frozen=True)
class ScheduleSpan:
    """One span of a clinician's weekly timetable, in local (Europe/Rome) time."""

    weekday: int  # 0 Monday ... 6 Sunday
    starts: time
    ends: time
    slot_minutes: int
    valid_from: date | None = None  # inclusive; None: always
    valid_to: date | None = None  # inclusive; None: open-ended

    def applies_on(self, day: date) -> bool:
        """Whether this span is part of the timetable on ``day``."""
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


@dataclass(frozen=True)
class ClosureView:
    """Days nobody (``clinician_id`` None) or one clinician can be booked."""

    id: str
    clinician_id: str | None
    starts_on: date
    ends_on: date  # inclusive
    description: str

    def covers(self, day: date, clinician_id: str) -> bool:
        """Whether this closure stops ``clinician_id`` from being booked on ``day``."""
        return self.clinician_id in (None, clinician_id) and self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Slot:
    """A bookable time of one clinician (aware UTC)."""

    clinician_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ClinicianView:
    """A member of staff who sees patients (GP or nurse)."""

    id: str
    username: str
    full_name: str
    role: str
