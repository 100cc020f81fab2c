"""The center's clock: the agenda's days and timetables are Europe/Rome local time.

The record stores aware UTC datetimes; a timetable's "08:30" and an agenda's day are
local. These helpers convert between the two, across the summer-time changes (a local
day lasts 23 or 25 hours on the last Sundays of March and October).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CENTER_TZ = ZoneInfo("Europe/Rome")


def local_to_utc(day: date, at: time) -> datetime:
    """The local wall-clock time ``at`` on ``day`` as aware UTC."""
    return datetime.combine(day, at, tzinfo=CENTER_TZ).astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Aware UTC [start, end) of the local day ``day`` (23 or 25 hours on DST days)."""
    return local_to_utc(day, time(0)), local_to_utc(day + timedelta(days=1), time(0))


def to_local(at: datetime) -> datetime:
    """An aware datetime as local aware time."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: the record's times are aware UTC")
    return at.astimezone(CENTER_TZ)


def local_day(at: datetime) -> date:
    """The local day an aware datetime falls on."""
    return to_local(at).date()


def local_today() -> date:
    """Today in the center's time zone."""
    return datetime.now(CENTER_TZ).date()


def parse_clock(text: str) -> time:
    """A timetable's "HH:MM" as a time."""
    hours, _sep, minutes = text.partition(":")
    return time(int(hours), int(minutes))


def format_clock(at: time) -> str:
    """A time as a timetable's "HH:MM"."""
    return f"{at.hour:02d}:{at.minute:02d}"


def easter_sunday(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def italian_holidays(year: int) -> dict[date, str]:
    """Italy's national public holidays of a year, with their Italian names.

    Local patron saints' days (Sant'Ambrogio in Milan) are the center's own closures.
    """
    easter = easter_sunday(year)
    fixed = {
        (1, 1): "Capodanno", (1, 6): "Epifania", (4, 25): "Festa della Liberazione",
        (5, 1): "Festa del Lavoro", (6, 2): "Festa della Repubblica", (8, 15): "Ferragosto",
        (11, 1): "Ognissanti", (12, 8): "Immacolata Concezione", (12, 25): "Natale",
        (12, 26): "Santo Stefano",
    }
    holidays = {date(year, month, day): name for (month, day), name in fixed.items()}
    holidays[easter] = "Pasqua"
    holidays[easter + timedelta(days=1)] = "Lunedì dell'Angelo"
    return dict(sorted(holidays.items()))
