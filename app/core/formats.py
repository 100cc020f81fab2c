"""How Medirete writes numbers, quantities, dates, ages and roles for people (no Qt).

Italian first: a decimal comma and dot thousands (``12,5 mg``, ``1.234,5``); English the
other way round. Dates are dd/mm/yyyy and times 24-hour in both languages, in the
center's time zone (docs/decisions/0014-translations.md). The CLI, the records layer
and the UI all write through these functions, so a value reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from app.core.errors import InvalidInput
from app.core.i18n import _, language

CENTER_ZONE = ZoneInfo("Europe/Rome")  # the center's clock: what a GP reads as "09:30"
SIGNIFICANT_DIGITS = 10  # enough for any measured value, few enough to hide float noise

Number = int | float | Decimal


class InvalidNumber(InvalidInput):
    message = "Not a number: {text}"


# -- numbers ------------------------------------------------------------------------------
def _separators(lang: str) -> tuple[str, str]:
    """(decimal, thousands) separators of a language."""
    return (",", ".") if lang == "it" else (".", ",")


def _exact(value: Number) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    # repr() is the shortest text that reads back as the same float: 0.1, not 0.1000...0555.
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _rounded(value: Number, decimals: int | None) -> Decimal:
    number = _exact(value)
    # Room for every integer digit: quantize fails when the result exceeds the precision.
    room = max(28, number.adjusted() + (decimals or 0) + 3)
    context = Context(prec=room, rounding=ROUND_HALF_UP)
    if decimals is None:
        if isinstance(value, float):  # 0.1 + 0.2 is shown 0,3; no integer digit is lost
            digits = max(SIGNIFICANT_DIGITS, number.adjusted() + 1)
            number = Context(prec=digits, rounding=ROUND_HALF_UP).plus(number)
        return number.normalize(context)  # 80.0 -> 80, 0.720 -> 0.72
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    return number.quantize(Decimal(1).scaleb(-decimals), context=context)


def format_decimal(value: Number, decimals: int | None = None, *,
                   lang: str | None = None) -> str:
    """12.5 as "12,5" in Italian, "12.5" in English; thousands grouped (1.234,5).

    ``decimals=None`` shows what the value holds (0.72 -> "0,72", 80.0 -> "80"); a number
    of decimals rounds half up and keeps the zeros ("12,50").
    """
    number = _rounded(value, decimals)
    if number.is_zero():
        number = abs(number)  # never "-0"
    text = format(number, ",f")  # "1,234.5": then the language's own separators
    point, group = _separators(lang or language())
    return text.translate(str.maketrans(",.", group + point))


def parse_decimal(text: str, *, lang: str | None = None) -> Decimal:
    """The number a person wrote ("12,5", "1.234,5" in Italian); InvalidNumber otherwise.

    Thousands separators are accepted only in groups of three, so "12.5" is refused in
    Italian rather than read as 125.
    """
    point, group = _separators(lang or language())
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "")
    p, g = re.escape(point), re.escape(group)
    pattern = rf"[+-]?(\d{{1,3}}({g}\d{{3}})+|\d+)?({p}\d+)?"
    if not re.fullmatch(pattern, cleaned) or not any(c.isdigit() for c in cleaned):
        raise InvalidNumber(text=text)
    try:
        return Decimal(cleaned.replace(group, "").replace(point, "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidNumber(text=text) from None


# -- units --------------------------------------------------------------------------------
PULSE_UNITS = ("/min", "{beats}/min", "1/min")
RESPIRATORY_RATE_LOINC = "9279-1"
EGFR_UNITS = ("mL/min/{1.73_m2}", "mL/min/1.73m2", "mL/min/1.73 m2", "mL/min/{1.73m2}")

# UCUM codes (what devices and labs send, what the record stores) as people write them;
# a unit not listed is shown as stored.
DISPLAY_UNITS = {
    "mm[Hg]": "mmHg",
    "kg/m2": "kg/m²",
    "m2": "m²",
    "Cel": "°C",
    "ug": "µg",
    "ug/L": "µg/L",
    "ug/dL": "µg/dL",
    "umol/L": "µmol/L",
    "uL": "µL",
    "uV": "µV",
    "10*3/uL": "10³/µL",
    "10*6/uL": "10⁶/µL",
    "10*9/L": "10⁹/L",
    "10*12/L": "10¹²/L",
    "{ratio}": "",
    "1": "",
}
# Units written straight after the number, with no space (as in "7,2%").
UNSPACED_UNITS = frozenset({"%"})


def display_unit(unit: str | None, code: str | None = None) -> str:
    """A stored unit as people write it: "mm[Hg]" -> "mmHg", "/min" -> "bpm" for a pulse.

    ``code`` is the observation's LOINC code, for the one unit whose words depend on
    what was counted (a respiratory rate is breaths per minute, not beats).
    """
    if not unit:
        return ""
    if unit in PULSE_UNITS:
        return _("breaths/min") if code == RESPIRATORY_RATE_LOINC else _("bpm")
    if unit in EGFR_UNITS:
        return f"mL/min/{format_decimal(1.73)} m²"
    if unit in ("[iU]/L", "[IU]/L"):
        return _("IU/L")
    if unit in ("[iU]", "[IU]"):
        return _("IU")
    return DISPLAY_UNITS.get(unit, unit)


def format_quantity(value: Number, unit: str | None, decimals: int | None = None, *,
                    code: str | None = None) -> str:
    """A measured value with its unit: "0,72 mg/dL", "135 mmHg", "7,2%", "36,8 °C"."""
    number = format_decimal(value, decimals)
    shown = display_unit(unit, code)
    if not shown:
        return number
    return f"{number}{shown}" if shown in UNSPACED_UNITS else f"{number} {shown}"


# -- dates and times ----------------------------------------------------------------------
_WEEKDAYS = {
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_SHORT_WEEKDAYS = {
    "it": ("lun", "mar", "mer", "gio", "ven", "sab", "dom"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def local_time(at: datetime) -> datetime:
    """An aware time on the center's clock (Europe/Rome); a naive one is taken as local."""
    return at.astimezone(CENTER_ZONE) if at.tzinfo is not None else at


def _local_date(value: date | datetime) -> date:
    return local_time(value).date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None) -> str:
    """04/12/2026 in both languages (a datetime is first put on the center's clock)."""
    if value is None:
        return ""
    day = _local_date(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_time(value: time | datetime) -> str:
    """09:30, 24-hour, on the center's clock."""
    shown = local_time(value) if isinstance(value, datetime) else value
    return f"{shown.hour:02d}:{shown.minute:02d}"


def format_datetime(value: datetime | None) -> str:
    """04/12/2026 09:30 on the center's clock."""
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


def weekday_name(day: date, *, short: bool = False) -> str:
    """"giovedì" / "Thursday" ("gio" / "Thu" when short), as written mid-sentence."""
    names = (_SHORT_WEEKDAYS if short else _WEEKDAYS)[_names_language()]
    return names[day.weekday()]


def month_name(month: int) -> str:
    """"dicembre" / "December" (1 is January)."""
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    return _MONTHS[_names_language()][month - 1]


def long_date(day: date | datetime) -> str:
    """"giovedì 3 dicembre 2026" / "Thursday 3 December 2026"."""
    local = _local_date(day)
    return f"{weekday_name(local)} {local.day} {month_name(local.month)} {local.year}"


def first_upper(text: str) -> str:
    """The first letter in capitals, the rest untouched ("Giovedì 3 dicembre")."""
    return text[:1].upper() + text[1:]


def _names_language() -> str:
    # Names of days and months are locale data kept here, not catalogue messages: a
    # second copy of "Monday" in another area's .ts could only disagree with this one.
    return "it" if language() == "it" else "en"


# -- patients -----------------------------------------------------------------------------
def drop_context(text: str) -> str:
    """A translated text without its "context|" (left in English by ``_``).

    A msgid that English writes alike but Italian does not ("born on" is "nato il" or
    "nata il") carries a context: ``_("female|born on {date}")``.
    """
    return text.split("|", 1)[-1]


def born_on(sex: str, birth: date) -> str:
    """"nato il 12/03/1950" / "nata il 12/03/1950" / "born on 12/03/1950"."""
    if sex == "M":
        text = _("male|born on {date}")
    elif sex == "F":
        text = _("female|born on {date}")
    else:
        text = _("born on {date}")
    return drop_context(text).format(date=format_date(birth))


def completed_months(birth: date, on: date) -> int:
    """Whole months from ``birth`` to ``on``."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - (on.day < birth.day)


def age_in_years(birth: date, on: date) -> int:
    """Completed years on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def patient_age(birth: date, on: date) -> str:
    """"75 anni", "1 anno"; an infant in months ("8 mesi") or days ("12 giorni")."""
    if on < birth:
        raise ValueError("the day is before the birth")
    years = age_in_years(birth, on)
    if years >= 1:
        return _("1 year") if years == 1 else _("{n} years").format(n=years)
    months = completed_months(birth, on)
    if months >= 1:
        return _("1 month") if months == 1 else _("{n} months").format(n=months)
    days = (on - birth).days
    return _("1 day") if days == 1 else _("{n} days").format(n=days)


def sex_label(sex: str) -> str:
    """M / F as the patient list writes them."""
    return {"M": _("M"), "F": _("F")}.get(sex, sex)


# -- staff --------------------------------------------------------------------------------
# English msgids of the roles: an error carries the msgid, translated when it is shown.
ROLE_MSGIDS = {
    "gp": "GP",
    "nurse": "Nurse",
    "secretary": "Secretary",
    "admin": "Center administrator",
}


def role_msgid(role: str) -> str:
    """The untranslated name of a role ("GP"), for messages translated later."""
    return ROLE_MSGIDS.get(role, role)


def role_label(role: str) -> str:
    """A role as the people in a center call it: "Medico", "Segreteria"..."""
    labels = {
        "gp": _("GP"),
        "nurse": _("Nurse"),
        "secretary": _("Secretary"),
        "admin": _("Center administrator"),
    }
    return labels.get(role, role)
