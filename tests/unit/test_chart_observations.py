"""Observations as the Results tab reads them: measures, BP pairs, BMI, trends, tables.

Pure (app/ui/chart/observations.py imports no Qt): entries are built as the chart
service returns them (``EntryView`` of kind "observation").
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core import i18n
from app.records.services.views import EntryView
from app.ui.chart.observations import (
    BloodPressure,
    Reading,
    bmi_readings,
    bmi_value,
    flowsheet,
    format_guide,
    format_pressure,
    format_reading,
    gather,
    height_at,
    out_of_range,
    pressure_high,
    timeline,
    trend_direction,
    weight_bands,
)


def entry(code: str, value: float | None, unit: str | None, at: datetime, *,
          source: str = "manual", text: str | None = None, display: str = "",
          status: str = "signed") -> EntryView:
    """An observation as ``records.chart.open(...)`` returns it."""
    fields = {"code": code, "code_system": "LOINC", "display": display, "value_num": value,
              "value_text": text, "unit": unit, "effective_at": at, "source": source}
    return EntryView("observation", f"id-{code}-{at.isoformat()}", "l", 1, status, "a", at,
                     fields)


def day(year: int, month: int, date: int, hour: int = 9) -> datetime:
    return datetime(year, month, date, hour, 30, tzinfo=UTC)


def reading(at: datetime, value: float | None, source: str = "manual") -> Reading:
    return Reading(at, value, value, "kg", None, source, "29463-7")


@pytest.fixture(autouse=True)
def italian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "it")


# -- grouping ----------------------------------------------------------------------------
def test_observations_are_grouped_by_measure_whatever_their_code():
    results = gather([
        entry("4548-4", 7.2, "%", day(2024, 5, 2), source="lab"),
        entry("59261-8", 53.0, "mmol/mol", day(2024, 1, 10), source="lab"),  # same measure
        entry("2345-7", 112.0, "mg/dL", day(2024, 5, 2), source="lab"),
        entry("2345-7", 148.0, "mg/dL", day(2024, 5, 3)),  # a finger-prick at the desk
        entry("33914-3", 48.0, "mL/min/1.73m2", day(2024, 5, 2), source="lab"),
        entry("99999-9", 3.0, "U/L", day(2024, 5, 2), source="lab", display="Esame raro"),
    ])
    hba1c = results.of("hba1c")
    assert [r.at for r in hba1c] == [day(2024, 1, 10), day(2024, 5, 2)]  # oldest first
    assert hba1c[0].value == pytest.approx(7.0, abs=0.01)  # 53 mmol/mol plotted in %
    assert hba1c[0].stored == 53.0  # and shown as it came
    assert [r.value for r in results.of("glucose")] == [112.0]
    assert [r.value for r in results.of("capillary_glucose")] == [148.0]
    assert results.of("egfr")[0].value == 48.0  # "1.73m2" is the plotted unit too
    assert results.keys("labs") == ["hba1c", "glucose", "egfr", "LOINC:99999-9:U/L"]
    assert results.keys("vitals") == ["capillary_glucose"]
    assert results.measures["LOINC:99999-9:U/L"].display == "Esame raro"


def test_a_value_in_a_unit_that_cannot_be_converted_is_listed_but_not_plotted():
    results = gather([entry("4548-4", 7.2, "g/L", day(2024, 5, 2), source="lab")])
    only = results.of("hba1c")[0]
    assert only.value is None and only.stored == 7.2


def test_entries_without_a_time_are_left_out_and_nothing_is_empty():
    assert gather([]).empty
    broken = entry("8480-6", 120.0, "mm[Hg]", day(2024, 1, 1))
    broken.fields["effective_at"] = None
    assert gather([broken]).empty


# -- blood pressure ----------------------------------------------------------------------
def test_systolic_and_diastolic_of_the_same_moment_are_one_pair():
    results = gather([
        entry("8480-6", 135.0, "mm[Hg]", day(2024, 3, 1)),
        entry("8462-4", 85.0, "mm[Hg]", day(2024, 3, 1)),
        entry("8480-6", 150.0, "mm[Hg]", day(2024, 6, 1)),
        entry("8462-4", 92.0, "mm[Hg]", day(2024, 6, 1, hour=10)),  # another moment
    ])
    pairs = results.blood_pressure
    assert [(p.systolic, p.diastolic) for p in pairs] == [(135, 85), (150, None), (None, 92)]
    assert [format_pressure(p) for p in pairs] == ["135/85 mmHg", "150/– mmHg", "–/92 mmHg"]
    assert [r.value for r in results.of("bp")] == [135, 150, None]  # one reading per pair


def test_pressure_at_or_over_140_90_is_flagged():
    at = day(2024, 1, 1)
    assert pressure_high(BloodPressure(at, 140, 80, "manual"))
    assert pressure_high(BloodPressure(at, 130, 90, "manual"))
    assert not pressure_high(BloodPressure(at, 139, 89, "manual"))


# -- BMI ---------------------------------------------------------------------------------
def test_bmi_is_computed_from_each_weight_and_the_height_of_that_time():
    assert bmi_value(80.0, 175.0) == pytest.approx(26.12, abs=0.01)
    results = gather([
        entry("29463-7", 80.0, "kg", day(2023, 1, 10)),
        entry("8302-2", 175.0, "cm", day(2023, 6, 1)),  # measured after the first weight
        entry("29463-7", 85.5, "kg", day(2024, 1, 10)),
        entry("39156-5", 27.0, "kg/m2", day(2024, 3, 1)),  # recorded: kept as it is
        entry("29463-7", 90.0, "kg", day(2024, 3, 1)),
    ])
    bmi = results.of("bmi")
    assert [(r.at, r.value, r.source) for r in bmi] == [
        (day(2023, 1, 10), 26.1, "computed"),  # an adult's later height serves
        (day(2024, 1, 10), 27.9, "computed"),
        (day(2024, 3, 1), 27.0, "manual"),  # not computed again for that weight
    ]
    assert format_reading(results.measures["bmi"], bmi[0]) == "26,1 kg/m²"


def test_no_height_no_bmi():
    assert bmi_readings([reading(day(2024, 1, 1), 80.0)], []) == ()
    assert height_at([], day(2024, 1, 1)) is None


def test_the_height_is_the_last_one_measured_before():
    heights = [reading(day(2010, 1, 1), 170.0), reading(day(2020, 1, 1), 168.0)]
    assert height_at(heights, day(2015, 1, 1)) == 170.0
    assert height_at(heights, day(2024, 1, 1)) == 168.0
    assert height_at(heights, day(2000, 1, 1)) == 170.0


def test_weight_bands_are_the_bmi_bands_for_that_height():
    bands = weight_bands(180.0)
    assert [(round(b.low, 1), round(b.high, 1), b.tone) for b in bands[:2]] == [
        (59.9, 81.0, "good"), (81.0, 97.2, "warn")]
    assert weight_bands(None) == ()


# -- what a GP reads ---------------------------------------------------------------------
def test_values_are_written_the_italian_way_with_units_as_people_write_them():
    results = gather([
        entry("4548-4", 7.2, "%", day(2024, 5, 2), source="lab"),
        entry("59261-8", 53.0, "mmol/mol", day(2024, 1, 10), source="lab"),
        entry("2160-0", 0.72, "mg/dL", day(2024, 5, 2), source="lab"),
        entry("33914-3", 48.0, "mL/min/1.73m2", day(2024, 5, 2), source="lab"),
        entry("8310-5", 36.8, "Cel", day(2024, 5, 2)),
        entry("8867-4", 72.0, "/min", day(2024, 5, 2)),
        entry("29463-7", 80.0, "kg", day(2024, 5, 2)),
        entry("600-7", None, None, day(2024, 5, 2), source="lab", text="negativo"),
    ])

    def shown(key: str, index: int = -1) -> str:
        return format_reading(results.measures[key], results.of(key)[index])

    assert shown("hba1c") == "7,2%"
    assert shown("hba1c", 0) == "53 mmol/mol (7,0%)"
    assert shown("creatinine") == "0,72 mg/dL"
    assert shown("egfr") == "48 mL/min/1,73 m²"
    assert shown("temperature") == "36,8 °C"
    assert shown("heart_rate") == "72 bpm"
    assert shown("weight") == "80,0 kg"  # one decimal, as the scale shows it
    assert shown("LOINC:600-7:") == "negativo"


def test_english_keeps_the_decimal_point(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    results = gather([entry("2160-0", 0.72, "mg/dL", day(2024, 5, 2), source="lab")])
    assert format_reading(results.measures["creatinine"], results.of("creatinine")[0]) == (
        "0.72 mg/dL")


def test_reference_lines_are_labelled_in_both_units_for_hba1c():
    results = gather([])
    assert format_guide(results.measures["hba1c"], 7) == "7% (53 mmol/mol)"
    assert format_guide(results.measures["egfr"], 60) == "60"


def test_out_of_range_follows_the_good_band():
    results = gather([
        entry("4548-4", 7.4, "%", day(2024, 5, 2), source="lab"),
        entry("4548-4", 6.6, "%", day(2024, 8, 2), source="lab"),
        entry("13457-7", 160.0, "mg/dL", day(2024, 8, 2), source="lab"),
    ])
    hba1c = results.measures["hba1c"]
    assert [out_of_range(hba1c, r) for r in results.of("hba1c")] == [True, False]
    # LDL has no band: its target depends on the patient's risk
    assert not out_of_range(results.measures["ldl"], results.of("ldl")[0])


def test_trend_direction_compares_the_last_two_values_with_a_meaningful_change():
    def values(*numbers: float | None) -> list[Reading]:
        return [reading(day(2024, 1, i + 1), n) for i, n in enumerate(numbers)]

    assert trend_direction(values(80, 82), 1.0) == "up"
    assert trend_direction(values(82, 80), 1.0) == "down"
    assert trend_direction(values(80, 80.5), 1.0) == "steady"
    assert trend_direction(values(80, 82, None), 1.0) == "up"  # a text value is skipped
    assert trend_direction(values(80), 1.0) is None


def test_the_time_axis_counts_the_centers_wall_clock():
    # 10:00 UTC is 12:00 in Rome in summer, 11:00 in winter: ticks fall on local midnight.
    summer = timeline(datetime(2024, 7, 1, 10, 0, tzinfo=UTC))
    winter = timeline(datetime(2024, 1, 15, 10, 0, tzinfo=UTC))
    assert summer == datetime(2024, 7, 1, 12, 0, tzinfo=UTC).timestamp()
    assert winter == datetime(2024, 1, 15, 11, 0, tzinfo=UTC).timestamp()


def test_a_flowsheet_has_a_row_per_moment_newest_first():
    results = gather([
        entry("8480-6", 135.0, "mm[Hg]", day(2024, 3, 1)),
        entry("8462-4", 85.0, "mm[Hg]", day(2024, 3, 1)),
        entry("29463-7", 80.0, "kg", day(2024, 3, 1)),
        entry("29463-7", 81.0, "kg", day(2024, 6, 1)),
        entry("4548-4", 7.2, "%", day(2024, 6, 1), source="lab"),
    ])
    sheet = flowsheet(results, "vitals")
    assert sheet.columns == ("bp", "weight")
    assert [at for at, _cells in sheet.rows] == [day(2024, 6, 1), day(2024, 3, 1)]
    assert set(sheet.rows[0][1]) == {"weight"}
    assert isinstance(sheet.rows[1][1]["bp"], BloodPressure)
    assert flowsheet(results, "labs").columns == ("hba1c",)


def test_other_units_are_converted_for_the_plot():
    results = gather([
        entry("8302-2", 1.72, "m", day(2024, 1, 1)),
        entry("29463-7", 176.0, "[lb_av]", day(2024, 1, 1)),
        entry("8310-5", 98.6, "[degF]", day(2024, 1, 1)),
    ])
    assert results.of("height")[0].value == pytest.approx(172.0)
    assert results.of("weight")[0].value == pytest.approx(79.83, abs=0.01)
    assert results.of("temperature")[0].value == pytest.approx(37.0)
    assert results.of("bmi")[0].value == 27.0  # from the converted weight and height


def test_spirometry_keeps_the_decimal_that_decides_obstruction():
    results = gather([
        entry("19926-5", 69.5, "%", day(2026, 12, 5), source="device"),
        entry("19935-6", 4.25, "L/s", day(2026, 12, 5), source="device"),
        entry("20150-9", 1.37, "L", day(2026, 12, 5), source="device"),
    ])

    def shown(key: str) -> str:
        return format_reading(results.measures[key], results.of(key)[-1])

    assert shown("fev1_fvc") == "69,5%"  # under 70: rounding it to "70%" would hide it
    assert shown("pef") == "4,25 L/s"
    assert shown("fev1") == "1,37 L"
