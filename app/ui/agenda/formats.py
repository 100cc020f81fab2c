"""How the agenda writes days, times and statuses: Italian formats, translated names.

Dates are dd/mm/yyyy and times 24-hour in both languages (the center is Italian); the
weekday and status names follow the UI language.
"""

from __future__ import annotations

from datetime import date, datetime

from app.core import formats
from app.core.i18n import _

STATUSES = ("booked", "arrived", "in-visit", "seen", "no-show", "cancelled")
# Fill and border of an appointment block per status (the legend shows the same).
STATUS_COLOURS = {
    "booked": ("#d6e9fb", "#4a90d9"),
    "arrived": ("#fff1c2", "#d9a400"),
    "in-visit": ("#d3f2d7", "#2e9d45"),
    "seen": ("#e3e6e8", "#7d8a93"),
    "no-show": ("#f9d4d2", "#c7453b"),
    "cancelled": ("#f2f2f2", "#b0b0b0"),
}


def weekday_name(day: date) -> str:
    """Monday ... Sunday (Lunedì ... Domenica), capitalised as a heading."""
    return formats.first_upper(formats.weekday_name(day))


def short_weekday(day: date) -> str:
    """Mon ... Sun (Lun ... Dom)."""
    return formats.first_upper(formats.weekday_name(day, short=True))


def date_text(day: date) -> str:
    """12/05/2026."""
    return formats.format_date(day)


def long_day(day: date) -> str:
    """Tuesday 12/05/2026 (Martedì 12/05/2026)."""
    return f"{weekday_name(day)} {date_text(day)}"


def day_in_text(day: date) -> str:
    """lunedì 12/05/2026, as written inside a sentence ("Monday 12/05/2026" in English)."""
    return f"{formats.weekday_name(day)} {date_text(day)}"


def clock(minute: int) -> str:
    """A minute of the day as 09:30."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def time_text(at: datetime) -> str:
    """The local time of ``at`` as 09:30 (``at`` already in the center's time zone)."""
    return at.strftime("%H:%M")


def minutes_text(minutes: int) -> str:
    """A duration: 25 min, 1 h 10 min."""
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def status_label(status: str) -> str:
    """An appointment status as the front desk says it."""
    labels = {
        "booked": _("Booked"),
        "arrived": _("Arrived"),
        "in-visit": _("In visit"),
        "seen": _("Seen"),
        "no-show": _("No-show"),
        "cancelled": _("Cancelled"),
    }
    return labels.get(status, status)


def role_name(role: str) -> str:
    """A clinician's role as the center calls it."""
    return formats.role_label(role)
