"""Numbers, units, dates, ages and roles as people write them, in Italian and in English."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import i18n
from app.core.errors import AccessDenied
from app.core.formats import (
    InvalidNumber,
    age_in_years,
    born_on,
    completed_months,
    display_unit,
    drop_context,
    first_upper,
    format_date,
    format_datetime,
    format_decimal,
    format_quantity,
    format_time,
    long_date,
    month_name,
    parse_decimal,
    patient_age,
    role_label,
    role_msgid,
    weekday_name,
)


@pytest.fixture
def italian(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(i18n, "_current", "it")
    yield


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(i18n, "_current", "en")
    yield


# -- numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "decimals", "italian_text", "english_text"), [
    (12.5, None, "12,5", "12.5"),
    (0.72, None, "0,72", "0.72"),
    (80.0, None, "80", "80"),
    (80, None, "80", "80"),
    (1234.5, None, "1.234,5", "1,234.5"),
    (1234567, None, "1.234.567", "1,234,567"),
    (0.1 + 0.2, None, "0,3", "0.3"),  # float noise never reaches the screen
    (1e-7, None, "0,0000001", "0.0000001"),  # never scientific notation
    (1e16, None, "10.000.000.000.000.000", "10,000,000,000,000,000"),
    (Decimal("80.0"), None, "80", "80"),
    (-3.25, None, "-3,25", "-3.25"),
    (12.5, 2, "12,50", "12.50"),
    (2.675, 2, "2,68", "2.68"),  # half up on the written value, not on the binary float
    (0.5, 0, "1", "1"),
    (-5.5, 0, "-6", "-6"),
    (-0.0001, 2, "0,00", "0.00"),  # never "-0,00"
    (-0.0, None, "0", "0"),
])
def test_format_decimal(value, decimals, italian_text, english_text):
    assert format_decimal(value, decimals, lang="it") == italian_text
    assert format_decimal(value, decimals, lang="en") == english_text


def test_format_decimal_follows_the_ui_language(italian):
    assert format_decimal(12.5) == "12,5"
    i18n.set_language("en")
    assert format_decimal(12.5) == "12.5"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Decimal("NaN")])
def test_non_finite_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="finite"):
        format_decimal(bad)


@pytest.mark.parametrize("bad", [True, "12", None])
def test_non_numbers_are_refused(bad):
    with pytest.raises(TypeError):
        format_decimal(bad)


def test_negative_decimals_are_refused():
    with pytest.raises(ValueError, match="decimals"):
        format_decimal(1.5, -1)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("12,5", "it", Decimal("12.5")),
    ("1.234,5", "it", Decimal("1234.5")),
    (" -0,72 ", "it", Decimal("-0.72")),
    (",5", "it", Decimal("0.5")),
    ("1\u00a0234,5", "it", Decimal("1234.5")),
    ("12.5", "en", Decimal("12.5")),
    ("1,234.5", "en", Decimal("1234.5")),
    ("80", "en", Decimal("80")),
])
def test_parse_decimal(text, lang, expected):
    assert parse_decimal(text, lang=lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("12.5", "it"),  # a dot is the thousands separator in Italian: refused, not read as 125
    ("1.23,4", "it"),
    ("1,2,3", "it"),
    ("12,5", "en"),
    ("", "it"),
    ("-", "it"),
    (",", "it"),
    ("1e5", "en"),
    ("dodici", "it"),
])
def test_parse_decimal_refuses_what_is_not_a_number_of_that_language(text, lang):
    with pytest.raises(InvalidNumber):
        parse_decimal(text, lang=lang)


def test_a_refused_number_says_so_in_italian():
    with pytest.raises(InvalidNumber) as caught:
        parse_decimal("12.5", lang="it")
    assert caught.value.user_message("it") == "Non è un numero: 12.5"


LANGS = st.sampled_from(["it", "en"])
MEASURED = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=-10**12, max_value=10**12), LANGS)
def test_decimals_read_back_exactly(value, lang):
    assert parse_decimal(format_decimal(value, lang=lang), lang=lang) == value


@given(st.integers(min_value=-10**30, max_value=10**30), LANGS)
def test_integers_keep_every_digit(value, lang):
    assert parse_decimal(format_decimal(value, lang=lang), lang=lang) == value


@given(MEASURED, LANGS)
def test_floats_read_back_to_ten_significant_digits(value, lang):
    back = float(parse_decimal(format_decimal(value, lang=lang), lang=lang))
    assert math.isclose(back, value, rel_tol=1e-9, abs_tol=1e-300)


@given(MEASURED, st.integers(min_value=0, max_value=4), LANGS)
def test_fixed_decimals_round_to_the_nearest(value, decimals, lang):
    text = format_decimal(value, decimals, lang=lang)
    back = parse_decimal(text, lang=lang)
    assert back.as_tuple().exponent == -decimals
    assert abs(back - Decimal(repr(value))) <= Decimal(1).scaleb(-decimals) / 2


@given(MEASURED)
def test_the_two_languages_differ_only_by_their_separators(value):
    italian_text = format_decimal(value, lang="it")
    swapped = italian_text.translate(str.maketrans({",": ".", ".": ","}))
    assert swapped == format_decimal(value, lang="en")
    if abs(value) < 1000:
        assert "." not in italian_text  # no thousands: a dot would be read as a decimal


# -- units --------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "unit", "code", "expected"), [
    (0.72, "mg/dL", None, "0,72 mg/dL"),
    (135.0, "mm[Hg]", "8480-6", "135 mmHg"),
    (7.2, "%", None, "7,2%"),
    (36.8, "Cel", None, "36,8 °C"),
    (72.0, "/min", "8867-4", "72 bpm"),
    (16.0, "/min", "9279-1", "16 atti/min"),
    (24.5, "kg/m2", None, "24,5 kg/m²"),
    (53.0, "mmol/mol", None, "53 mmol/mol"),
    (62.0, "mL/min/{1.73_m2}", None, "62 mL/min/1,73 m²"),
    (62.0, "mL/min/1.73m2", None, "62 mL/min/1,73 m²"),  # as the synthetic catalogue stores it
    (1.2, "[iU]/L", None, "1,2 UI/L"),
    (7.4, "10*9/L", None, "7,4 10⁹/L"),
    (80.0, "kg", None, "80 kg"),
    (1.5, "furlong", None, "1,5 furlong"),  # unknown units are shown as stored
    (1.5, None, None, "1,5"),
    (2.5, "{ratio}", None, "2,5"),
])
def test_format_quantity_in_italian(italian, value, unit, code, expected):
    assert format_quantity(value, unit, code=code) == expected


def test_format_quantity_in_english(english):
    assert format_quantity(62.0, "mL/min/{1.73_m2}") == "62 mL/min/1.73 m²"
    assert format_quantity(1234.5, "mg/dL") == "1,234.5 mg/dL"
    assert format_quantity(16.0, "/min", code="9279-1") == "16 breaths/min"
    assert format_quantity(1.2, "[iU]/L") == "1.2 IU/L"
    assert format_quantity(12.5, "mg", 1) == "12.5 mg"


def test_display_unit_of_nothing_is_empty():
    assert display_unit(None) == display_unit("") == ""


# -- dates and times ----------------------------------------------------------------------
def test_dates_are_day_month_year_in_both_languages(italian):
    assert format_date(date(2026, 12, 4)) == "04/12/2026"
    assert format_date(None) == ""
    i18n.set_language("en")
    assert format_date(date(2026, 12, 4)) == "04/12/2026"
    assert format_date(date(7, 1, 2)) == "02/01/0007"


def test_times_are_on_the_centers_clock():
    winter = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # Rome is UTC+1: already the 4th
    assert format_date(winter) == "04/12/2026"
    assert format_time(winter) == "00:30"
    assert format_datetime(winter) == "04/12/2026 00:30"
    summer = datetime(2026, 7, 1, 7, 5, tzinfo=UTC)  # UTC+2
    assert format_datetime(summer) == "01/07/2026 09:05"
    assert format_datetime(datetime(2026, 7, 1, 9, 5)) == "01/07/2026 09:05"  # naive: local
    assert format_time(time(9, 30)) == "09:30"
    assert format_datetime(None) == ""


def test_day_and_month_names(italian):
    thursday = date(2026, 12, 3)
    assert weekday_name(thursday) == "giovedì"
    assert weekday_name(thursday, short=True) == "gio"
    assert month_name(12) == "dicembre"
    assert long_date(thursday) == "giovedì 3 dicembre 2026"
    assert first_upper(long_date(thursday)) == "Giovedì 3 dicembre 2026"
    assert long_date(datetime(2026, 12, 3, 23, 30, tzinfo=UTC)) == "venerdì 4 dicembre 2026"
    i18n.set_language("en")
    assert weekday_name(thursday) == "Thursday"
    assert weekday_name(thursday, short=True) == "Thu"
    assert long_date(thursday) == "Thursday 3 December 2026"


def test_every_day_and_month_has_a_name(italian):
    monday = date(2026, 11, 30)
    days = {weekday_name(monday + timedelta(days=n)) for n in range(7)}
    assert days == {"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
                    "domenica"}
    assert [month_name(m) for m in (1, 6)] == ["gennaio", "giugno"]
    for bad in (0, 13):
        with pytest.raises(ValueError, match="month"):
            month_name(bad)


# -- patients -----------------------------------------------------------------------------
def test_born_on_follows_the_patients_sex(italian):
    birth = date(1950, 3, 12)
    assert born_on("M", birth) == "nato il 12/03/1950"
    assert born_on("F", birth) == "nata il 12/03/1950"
    assert born_on("X", birth) == "nato/a il 12/03/1950"
    i18n.set_language("en")
    assert {born_on(sex, birth) for sex in "MFX"} == {"born on 12/03/1950"}


def test_drop_context():
    assert drop_context("female|born on {date}") == "born on {date}"
    assert drop_context("nata il {date}") == "nata il {date}"


@pytest.mark.parametrize(("birth", "on", "italian_text", "english_text"), [
    (date(1950, 3, 12), date(2026, 3, 11), "75 anni", "75 years"),
    (date(1950, 3, 12), date(2026, 3, 12), "76 anni", "76 years"),
    (date(2025, 1, 15), date(2026, 1, 15), "1 anno", "1 year"),
    (date(2025, 3, 20), date(2025, 11, 25), "8 mesi", "8 months"),
    (date(2025, 3, 20), date(2025, 4, 20), "1 mese", "1 month"),
    (date(2025, 3, 20), date(2025, 4, 19), "30 giorni", "30 days"),
    (date(2025, 3, 20), date(2025, 3, 21), "1 giorno", "1 day"),
    (date(2025, 3, 20), date(2025, 3, 20), "0 giorni", "0 days"),
    (date(2024, 2, 29), date(2025, 2, 28), "11 mesi", "11 months"),
    (date(2024, 2, 29), date(2025, 3, 1), "1 anno", "1 year"),
])
def test_patient_age(italian, birth, on, italian_text, english_text):
    assert patient_age(birth, on) == italian_text
    i18n.set_language("en")
    assert patient_age(birth, on) == english_text


def test_an_age_before_birth_is_refused():
    with pytest.raises(ValueError, match="before"):
        patient_age(date(2026, 1, 2), date(2026, 1, 1))


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(DAYS, DAYS)
def test_years_and_months_agree(first, second):
    birth, on = min(first, second), max(first, second)
    assert age_in_years(birth, on) == completed_months(birth, on) // 12
    assert completed_months(birth, on) >= 0


# -- staff --------------------------------------------------------------------------------
def test_role_labels(italian):
    assert [role_label(r) for r in ("gp", "nurse", "secretary", "admin")] == [
        "Medico", "Infermiere", "Segreteria", "Amministratore del centro"]
    assert role_label("auditor") == "auditor"  # an unknown role is shown, never hidden
    i18n.set_language("en")
    assert [role_label(r) for r in ("gp", "nurse", "secretary", "admin")] == [
        "GP", "Nurse", "Secretary", "Center administrator"]


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("role", ["gp", "nurse", "secretary", "admin"])
def test_a_role_msgid_translates_to_its_label(monkeypatch, role, lang):
    monkeypatch.setattr(i18n, "_current", lang)
    assert i18n.translate(role_msgid(role)) == role_label(role)


def test_a_refusal_names_the_role_in_the_readers_language():
    """AccessDenied carries the role's msgid, translated when shown (never "gp")."""
    refused = AccessDenied(role=role_msgid("gp"), action="read the chart")
    assert refused.user_message("en").startswith("Your role (GP) does not allow this")
    assert "(Medico)" in refused.user_message("it")
