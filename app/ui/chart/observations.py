"""Observations as a GP reads them: measures, BP pairs, BMI, reference bands, trends (no Qt).

A *measure* is what a GP names one thing (blood pressure, HbA1c, eGFR), whatever LOINC
code or unit the value came with: its readings are gathered from every code it has and
converted to the unit plotted (an HbA1c in mmol/mol is plotted in %, shown as stored).
Blood pressure is read in pairs (systolic and diastolic taken at the same moment); BMI
is computed from each weight and the height of that time when it was not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from app.core.formats import CENTER_ZONE, display_unit, format_decimal, format_quantity
from app.core.i18n import _

Kind = Literal["vitals", "labs", "other"]
# "systolic" and "diastolic": the normal range of one of the two BP lines, in its colour.
Tone = Literal["good", "warn", "bad", "worse", "systolic", "diastolic"]
Direction = Literal["up", "down", "steady"]
KINDS: tuple[Kind, ...] = ("vitals", "labs", "other")

SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
BMI_UNIT = "kg/m2"
LAB_SOURCES = frozenset({"lab"})  # a glucose from the lab, not a finger-prick at the desk
COMPUTED = "computed"  # the source of a BMI worked out from weight and height


@dataclass(frozen=True)
class Band:
    """A shaded range of the plot: ``low`` to ``high`` in the measure's unit."""

    low: float
    high: float
    tone: Tone


@dataclass(frozen=True)
class Measure:
    """One thing a GP measures, with the codes it comes under and how it is plotted."""

    key: str
    kind: Kind
    unit: str  # the unit plotted, UCUM
    decimals: int | None
    codes: tuple[str, ...]
    # Other units converted into ``unit``: value * scale + offset.
    conversions: tuple[tuple[str, float, float], ...] = ()
    bands: tuple[Band, ...] = ()
    guides: tuple[float, ...] = ()  # reference lines (targets, thresholds)
    change: float = 0.0  # the smallest change between readings that counts as a trend
    display: str = ""  # the stored name of a measure this module does not know

    def convert(self, value: float, unit: str | None) -> float | None:
        """``value`` in the plotted unit, or None when its unit cannot be converted."""
        if same_unit(unit, self.unit):
            return value
        for other, scale, offset in self.conversions:
            if same_unit(unit, other):
                return value * scale + offset
        return None


@cache
def _unit_key(unit: str | None) -> str:
    text = (unit or "").lower().replace(" ", "").replace("{", "").replace("}", "")
    return text.replace("_", "")


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two stored units are one ("mg/dL" and "mg/dl", "mL/min/1.73m2" variants)."""
    return a == b or _unit_key(a) == _unit_key(b)


_GOOD_BP = (Band(90, 140, "systolic"), Band(60, 90, "diastolic"))
EGFR_UNIT = "mL/min/{1.73_m2}"
MEASURES: tuple[Measure, ...] = (
    # vital signs
    Measure("bp", "vitals", "mm[Hg]", 0, (SYSTOLIC, DIASTOLIC),
            conversions=(("mmHg", 1.0, 0.0),), bands=_GOOD_BP, guides=(140, 90), change=5),
    Measure("heart_rate", "vitals", "/min", 0, ("8867-4", "8889-8"),
            bands=(Band(60, 100, "good"),), change=5),
    Measure("weight", "vitals", "kg", 1, ("29463-7", "3141-9"),
            conversions=(("g", 0.001, 0.0), ("[lb_av]", 0.45359237, 0.0)), change=1),
    Measure("bmi", "vitals", BMI_UNIT, 1, ("39156-5",),
            bands=(Band(18.5, 25, "good"), Band(25, 30, "warn"), Band(30, 70, "bad")),
            change=0.5),
    Measure("height", "vitals", "cm", 0, ("8302-2", "8306-3", "3137-7"),
            conversions=(("m", 100.0, 0.0), ("[in_i]", 2.54, 0.0)), change=1),
    Measure("spo2", "vitals", "%", 0, ("59408-5", "2708-6", "20564-1"),
            bands=(Band(95, 100, "good"),), guides=(90,), change=2),
    Measure("temperature", "vitals", "Cel", 1, ("8310-5", "8331-1", "8328-7", "8332-9"),
            conversions=(("[degF]", 5 / 9, -160 / 9),), bands=(Band(36, 37.5, "good"),),
            change=0.5),
    Measure("respiratory_rate", "vitals", "/min", 0, ("9279-1",),
            bands=(Band(12, 20, "good"),), change=3),
    Measure("capillary_glucose", "vitals", "mg/dL", 0, ("41653-7", "2339-0"),
            conversions=(("mmol/L", 18.016, 0.0),), bands=(Band(70, 130, "good"),), change=15),
    # laboratory
    Measure("hba1c", "labs", "%", 1, ("4548-4", "17856-6", "59261-8"),
            conversions=(("mmol/mol", 0.09148, 2.152),), bands=(Band(4, 7, "good"),),
            guides=(7,), change=0.3),
    Measure("glucose", "labs", "mg/dL", 0, ("2345-7", "1558-6", "14749-6"),
            conversions=(("mmol/L", 18.016, 0.0),), bands=(Band(70, 100, "good"),), change=10),
    Measure("creatinine", "labs", "mg/dL", 2, ("2160-0", "38483-4", "14682-9"),
            conversions=(("umol/L", 1 / 88.42, 0.0),), change=0.1),
    Measure("egfr", "labs", EGFR_UNIT, 0,
            ("33914-3", "62238-1", "48642-3", "48643-1", "50044-7", "50210-4", "77147-7",
             "98979-8", "69405-9"),
            bands=(Band(60, 200, "good"), Band(30, 60, "warn"), Band(15, 30, "bad"),
                   Band(0, 15, "worse")),
            guides=(60, 30, 15), change=5),
    Measure("cholesterol", "labs", "mg/dL", 0, ("2093-3", "14647-2"),
            conversions=(("mmol/L", 38.67, 0.0),), bands=(Band(0, 190, "good"),),
            guides=(190,), change=10),
    Measure("hdl", "labs", "mg/dL", 0, ("2085-9", "14646-4"),
            conversions=(("mmol/L", 38.67, 0.0),), change=5),
    Measure("ldl", "labs", "mg/dL", 0, ("13457-7", "2089-1", "18262-6", "22748-8", "39469-2"),
            conversions=(("mmol/L", 38.67, 0.0),), guides=(116, 100, 70, 55), change=10),
    Measure("triglycerides", "labs", "mg/dL", 0, ("2571-8", "14927-8"),
            conversions=(("mmol/L", 88.57, 0.0),), bands=(Band(0, 150, "good"),),
            guides=(150,), change=15),
    Measure("potassium", "labs", "mmol/L", 1, ("2823-3", "6298-4"),
            bands=(Band(3.5, 5.0, "good"),), change=0.3),
    Measure("sodium", "labs", "mmol/L", 0, ("2951-2", "2947-0"),
            bands=(Band(135, 145, "good"),), change=3),
    Measure("albuminuria", "labs", "mg/g", 0, ("14959-1", "9318-7", "30000-4"),
            bands=(Band(0, 30, "good"), Band(30, 300, "warn"), Band(300, 10000, "bad")),
            guides=(30, 300), change=10),
    Measure("haemoglobin", "labs", "g/dL", 1, ("718-7",), change=0.5),
    Measure("inr", "labs", "{INR}", 1, ("6301-6", "34714-6"),
            conversions=(("", 1.0, 0.0), ("1", 1.0, 0.0), ("{ratio}", 1.0, 0.0)),
            bands=(Band(2, 3, "good"),), change=0.3),
    # other measurements (spirometry)
    Measure("fev1", "other", "L", 2, ("20150-9",), change=0.1),
    Measure("fvc", "other", "L", 2, ("19868-9",), change=0.1),
    Measure("fev1_fvc", "other", "%", 1, ("19926-5",), guides=(70,), change=3),  # 69,5 is not 70
    Measure("pef", "other", "L/s", 2, ("19935-6",), change=0.3),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}
_BY_CODE = {code: m for m in MEASURES for code in m.codes}
# A glucose measured by the GP or nurse (or an office device) is a finger-prick.
GLUCOSE_CODES = frozenset(MEASURE_BY_KEY["glucose"].codes)


def titles() -> dict[str, str]:
    """The measures' names in the language in force."""
    return {
        "bp": _("Blood pressure"), "heart_rate": _("Heart rate"), "weight": _("Weight"),
        "bmi": _("BMI"), "height": _("Height"), "spo2": _("SpO2"),
        "temperature": _("Body temperature"), "respiratory_rate": _("Respiratory rate"),
        "capillary_glucose": _("Capillary glucose"), "hba1c": _("HbA1c"),
        "glucose": _("Blood glucose"), "creatinine": _("Creatinine"), "egfr": _("eGFR"),
        "cholesterol": _("Total cholesterol"), "hdl": _("HDL cholesterol"),
        "ldl": _("LDL cholesterol"), "triglycerides": _("Triglycerides"),
        "potassium": _("Potassium"), "sodium": _("Sodium"),
        "albuminuria": _("Microalbuminuria"), "haemoglobin": _("Haemoglobin"),
        "inr": _("INR"), "fev1": _("FEV1"), "fvc": _("FVC"), "fev1_fvc": _("FEV1/FVC"),
        "pef": _("PEF"),
    }


def kind_titles() -> dict[Kind, str]:
    """The kinds of result in the language in force."""
    return {"vitals": _("Vital signs"), "labs": _("Laboratory tests"),
            "other": _("Other measurements")}


def source_label(source: str) -> str:
    """Where a value came from, in words."""
    labels = {"manual": _("Entered by hand"), "visit": _("Visit"), "lab": _("Laboratory"),
              "device": _("Device"), COMPUTED: _("Calculated")}
    return labels.get(source, source)


def measure_title(measure: Measure) -> str:
    """A measure's name: translated when known, as stored otherwise."""
    return titles().get(measure.key, measure.display or measure.key)


def code_title(code: str, fallback: str) -> str:
    """The name of a coded result: the measure's, translated, when the code is known."""
    measure = _BY_CODE.get(code)
    return measure_title(measure) if measure is not None else fallback


# -- readings ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One observation of a measure: the value plotted and the value as stored."""

    at: datetime  # aware, UTC
    value: float | None  # in the measure's unit; None for a text or an unknown unit
    stored: float | None
    unit: str | None  # as stored
    text: str | None
    source: str
    code: str


@dataclass(frozen=True)
class BloodPressure:
    """A systolic and a diastolic taken at the same moment (either may be missing)."""

    at: datetime
    systolic: float | None
    diastolic: float | None
    source: str


@dataclass(frozen=True)
class Results:
    """One patient's observations gathered by measure, oldest first."""

    readings: dict[str, tuple[Reading, ...]] = field(default_factory=dict)
    blood_pressure: tuple[BloodPressure, ...] = ()
    measures: dict[str, Measure] = field(default_factory=dict)  # known and found ones

    def of(self, key: str) -> tuple[Reading, ...]:
        """The readings of one measure (BP: the systolic ones), oldest first."""
        return self.readings.get(key, ())

    @property
    def empty(self) -> bool:
        """Nothing measured."""
        return not self.readings

    def latest(self, key: str) -> Reading | None:
        """The newest reading of a measure."""
        readings = self.readings.get(key, ())
        return readings[-1] if readings else None

    def keys(self, kind: Kind) -> list[str]:
        """The measures of one kind that have readings, in the catalogue's order."""
        return [k for k, m in self.measures.items() if m.kind == kind and k in self.readings]


def _measure_of(fields: dict[str, Any], found: dict[str, Measure]) -> Measure:
    code = str(fields.get("code") or "")
    if code in GLUCOSE_CODES and fields.get("source") not in LAB_SOURCES:
        return MEASURE_BY_KEY["capillary_glucose"]
    known = _BY_CODE.get(code)
    if known is not None:
        return known
    system = str(fields.get("code_system") or "")
    key = f"{system}:{code}:{fields.get('unit') or ''}"
    measure = found.get(key)
    if measure is None:
        kind: Kind = "labs" if fields.get("source") in LAB_SOURCES else "other"
        measure = Measure(key, kind, str(fields.get("unit") or ""), None, (code,),
                          display=str(fields.get("display") or code))
        found[key] = measure
    return measure


def gather(observations: Iterable[Any]) -> Results:
    """Group observation entries (``EntryView``) by measure; pair BP; compute missing BMI."""
    unknown: dict[str, Measure] = {}
    lists: dict[str, list[Reading]] = {}
    for entry in observations:
        fields = entry.fields
        at = fields.get("effective_at")
        if at is None:
            continue
        measure = _measure_of(fields, unknown)
        stored = fields.get("value_num")
        unit = fields.get("unit")
        value = None if stored is None else measure.convert(float(stored), unit)
        reading = Reading(at, value, None if stored is None else float(stored), unit,
                          fields.get("value_text"), str(fields.get("source") or ""),
                          str(fields.get("code") or ""))
        lists.setdefault(measure.key, []).append(reading)
    for readings in lists.values():
        readings.sort(key=lambda r: r.at)
    pairs = pair_blood_pressure(lists.pop("bp", []))
    if pairs:
        lists["bp"] = [Reading(p.at, p.systolic, p.systolic, "mm[Hg]", None, p.source,
                               SYSTOLIC) for p in pairs]
    bmi = bmi_readings(lists.get("weight", ()), lists.get("height", ()), lists.get("bmi", ()))
    if bmi:
        lists["bmi"] = list(bmi)
    gathered = {k: tuple(v) for k, v in lists.items()}
    measures = {m.key: m for m in MEASURES} | unknown
    return Results(gathered, tuple(pairs), measures)


def pair_blood_pressure(readings: Sequence[Reading]) -> list[BloodPressure]:
    """Systolic and diastolic readings of the same moment as pairs, oldest first."""
    by_time: dict[datetime, list[Reading]] = {}
    for reading in readings:
        by_time.setdefault(reading.at, []).append(reading)
    pairs = []
    for at in sorted(by_time):
        same = by_time[at]
        systolic = next((r.stored for r in same if r.code == SYSTOLIC), None)
        diastolic = next((r.stored for r in same if r.code == DIASTOLIC), None)
        pairs.append(BloodPressure(at, systolic, diastolic, same[0].source))
    return pairs


def bmi_value(weight_kg: float, height_cm: float) -> float:
    """Body mass index: weight in kg over the square of the height in metres."""
    if height_cm <= 0:
        raise ValueError("a height must be positive")
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def height_at(heights: Sequence[Reading], at: datetime) -> float | None:
    """The height last measured on or before ``at`` (else the first one: adults keep it)."""
    measured = [r for r in heights if r.value is not None]
    if not measured:
        return None
    before = [r for r in measured if r.at <= at]
    chosen = before[-1] if before else measured[0]
    return chosen.value


def bmi_readings(weights: Sequence[Reading], heights: Sequence[Reading],
                 recorded: Sequence[Reading] = ()) -> tuple[Reading, ...]:
    """Recorded BMIs plus one computed from each weight without a BMI of the same moment."""
    result = list(recorded)
    have = {r.at for r in recorded}
    for weight in weights:
        if weight.value is None or weight.at in have:
            continue
        height = height_at(heights, weight.at)
        if height is None or height <= 0:
            continue
        value = round(bmi_value(weight.value, height), 1)
        result.append(Reading(weight.at, value, value, BMI_UNIT, None, COMPUTED, "39156-5"))
    result.sort(key=lambda r: r.at)
    return tuple(result)


# -- what a GP reads ---------------------------------------------------------------------
def trend_direction(readings: Sequence[Reading], change: float) -> Direction | None:
    """Up, down or steady: the last value against the one before; None with fewer than two."""
    values = [r.value for r in readings if r.value is not None]
    if len(values) < 2:
        return None
    delta = values[-1] - values[-2]
    if abs(delta) < max(change, 1e-9):
        return "steady"
    return "up" if delta > 0 else "down"


ARROWS: dict[Direction, str] = {"up": "↑", "down": "↓", "steady": "→"}


def direction_words(direction: Direction) -> str:
    """A trend in words (the tooltip of its arrow)."""
    return {"up": _("rising"), "down": _("falling"), "steady": _("steady")}[direction]


def format_reading(measure: Measure, reading: Reading) -> str:
    """A value as written on paper: "7,2%", "0,72 mg/dL", "1,2 (55 mmol/mol)"."""
    if reading.stored is None:
        return f"{reading.text or ''} {display_unit(reading.unit, reading.code)}".strip()
    decimals = measure.decimals if same_unit(reading.unit, measure.unit) else None
    shown = format_quantity(reading.stored, reading.unit, decimals, code=reading.code)
    if measure.key == "hba1c" and reading.value is not None and not same_unit(reading.unit, "%"):
        shown += f" ({format_quantity(reading.value, '%', 1)})"
    return shown


def out_of_range(measure: Measure, reading: Reading) -> bool:
    """Whether a value lies outside its measure's good band (never for one without)."""
    good = [b for b in measure.bands if b.tone == "good"]
    if reading.value is None or not good:
        return False
    return not any(b.low <= reading.value <= b.high for b in good)


def pressure_high(pair: BloodPressure) -> bool:
    """At or above 140/90 mmHg (either value)."""
    return (pair.systolic or 0) >= 140 or (pair.diastolic or 0) >= 90


def format_pressure(pair: BloodPressure) -> str:
    """"135/85 mmHg" (a missing half is a dash)."""
    def half(value: float | None) -> str:
        return "–" if value is None else format_decimal(value, 0)
    return f"{half(pair.systolic)}/{half(pair.diastolic)} {display_unit('mm[Hg]')}"


def format_guide(measure: Measure, value: float) -> str:
    """The label of a reference line: "140", "7% (53 mmol/mol)", "60"."""
    if measure.key == "hba1c":
        mmol = round((value - 2.152) / 0.09148)
        return f"{format_quantity(value, '%', 0)} ({format_quantity(mmol, 'mmol/mol')})"
    return format_decimal(value, measure.decimals)


def weight_bands(height_cm: float | None) -> tuple[Band, ...]:
    """The BMI bands of a patient of that height, in kg (none without a height)."""
    if not height_cm or height_cm <= 0:
        return ()
    square = (height_cm / 100) ** 2
    return tuple(Band(b.low * square, b.high * square, b.tone)
                 for b in MEASURE_BY_KEY["bmi"].bands)


def timeline(at: datetime) -> float:
    """Where a moment sits on a plot's time axis: seconds of the center's wall clock.

    The clock time read in Rome, counted as if it were UTC: calendar ticks (1 January,
    the first of a month) then fall on local midnight, summer time or not.
    """
    local = at.astimezone(CENTER_ZONE) if at.tzinfo is not None else at
    return local.replace(tzinfo=UTC).timestamp()


# -- tables ------------------------------------------------------------------------------
Cell = Reading | BloodPressure


@dataclass(frozen=True)
class Flowsheet:
    """One kind of result as a table: a row per moment, a column per measure."""

    columns: tuple[str, ...]  # measure keys
    rows: tuple[tuple[datetime, dict[str, Cell]], ...]  # newest first


def flowsheet(results: Results, kind: Kind) -> Flowsheet:
    """The readings of one kind, one row per moment they were taken, newest first."""
    columns = tuple(results.keys(kind))
    cells: dict[datetime, dict[str, Cell]] = {}
    for key in columns:
        if key == "bp":
            for pair in results.blood_pressure:
                cells.setdefault(pair.at, {})[key] = pair
            continue
        for reading in results.of(key):
            cells.setdefault(reading.at, {})[key] = reading
    rows = tuple((at, cells[at]) for at in sorted(cells, reverse=True))
    return Flowsheet(columns, rows)
