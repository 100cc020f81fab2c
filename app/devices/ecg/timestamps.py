"""Acquisition times: HL7/DICOM timestamps and SCP date/time fields, made timezone-aware.

A cart that does not state its UTC offset recorded local time; we read it in the
studio's zone (``local_tz``, by default the zone of this computer).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

_TS = re.compile(
    r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6})\d*)?)?)?)?"
    r"\s*(?:([+-])(\d{2})(\d{2}))?"
)


def aware(naive: datetime, local_tz: tzinfo | None) -> datetime | None:
    """``naive`` (a wall-clock time) in ``local_tz``, or in this computer's zone."""
    if local_tz is not None:
        return naive.replace(tzinfo=local_tz)
    try:
        return naive.astimezone()
    except (OverflowError, OSError, ValueError):  # years the C library cannot convert
        return None


def offset_zone(minutes: int) -> timezone | None:
    """A fixed zone ``minutes`` east of UTC, or None when out of the real range."""
    if abs(minutes) > 18 * 60:
        return None
    return timezone(timedelta(minutes=minutes))


def parse_timestamp(text: str, local_tz: tzinfo | None = None) -> datetime | None:
    """An HL7 TS or DICOM DT value ("20240131103000.000+0100") as an aware datetime.

    Returns None when the text is not a valid date and time (times are metadata: a bad
    one must not cost the trace).
    """
    match = _TS.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, sign, tz_h, tz_m = match.groups()
    try:
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0").ljust(6, "0")),
        )  # fmt: skip
    except ValueError:
        return None
    if sign is None:
        return aware(naive, local_tz)
    minutes = int(tz_h) * 60 + int(tz_m)
    zone = offset_zone(-minutes if sign == "-" else minutes)
    return naive.replace(tzinfo=zone) if zone is not None else None


def from_fields(
    date: tuple[int, int, int] | None,
    time: tuple[int, int, int] | None,
    offset_minutes: int | None,
    local_tz: tzinfo | None = None,
) -> datetime | None:
    """A date and time given as separate numbers (SCP-ECG section 1), made aware."""
    if date is None:
        return None
    hour, minute, second = time or (0, 0, 0)
    try:
        naive = datetime(date[0], date[1], date[2], hour, minute, second)
    except ValueError:
        return None
    if offset_minutes is not None:
        zone = offset_zone(offset_minutes)
        if zone is not None:
            return naive.replace(tzinfo=zone)
    return aware(naive, local_tz)


def format_timestamp(moment: datetime) -> str:
    """An aware datetime as an HL7 TS with milliseconds and UTC offset."""
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    stamp = moment.strftime("%Y%m%d%H%M%S")
    return f"{stamp}.{moment.microsecond // 1000:03d}{sign}{hours:02d}{mins:02d}"
