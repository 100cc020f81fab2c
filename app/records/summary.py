"""The first screen of a chart: what is current, picked from a Chart (no Qt; reports reuse it).

``summary_sections`` writes it for people: every coded value translated (criticality,
status, relationship), every number, unit and date in the UI language's format
(``app.core.formats``). Screens and reports only lay the lines out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.formats import (
    born_on,
    format_date,
    format_quantity,
    patient_age,
    sex_label,
)
from app.core.i18n import _
from app.records.services.views import Chart, EntryView, PatientSummary

ACTIVE_PROBLEM_STATUSES = ("active", "chronic")
LAST_OBSERVATIONS = 8


@dataclass(frozen=True)
class ChartSummary:
    """The first screen of a chart: allergies first, then problems, therapy, results."""

    patient: PatientSummary
    allergies: tuple[EntryView, ...]
    problems: tuple[EntryView, ...]
    therapy: tuple[EntryView, ...]
    observations: tuple[EntryView, ...]
    esenzioni: tuple[EntryView, ...]
    family_history: tuple[EntryView, ...] = ()


def is_current_therapy(medication: EntryView, today: date) -> bool:
    """A therapy not stopped (a stop ends it that same day) and not past its end date."""
    if medication.fields.get("stop_reason"):
        return False
    end = medication.fields.get("end_date")
    return end is None or end >= today


def _latest_per_code(observations: list[EntryView]) -> list[EntryView]:
    """The newest value of each observation code (the chart lists newest first)."""
    seen: dict[str, EntryView] = {}
    for obs in observations:
        seen.setdefault(str(obs.fields.get("code")), obs)
    return list(seen.values())


def _observed_at(obs: EntryView) -> datetime:
    value = obs.fields.get("effective_at")
    return value if isinstance(value, datetime) else obs.recorded_at


def summarise(chart: Chart, today: date) -> ChartSummary:
    """Allergies, active or chronic problems, current therapy, latest results, valid esenzioni."""
    problems = [
        p for p in chart.of("problem") if p.fields.get("clinical_status") in ACTIVE_PROBLEM_STATUSES
    ]
    therapy = [m for m in chart.of("medication") if is_current_therapy(m, today)]
    latest = sorted(_latest_per_code(chart.of("observation")), key=_observed_at, reverse=True)
    esenzioni = [
        e
        for e in chart.of("esenzione")
        if e.fields.get("valid_to") is None or e.fields["valid_to"] >= today
    ]
    return ChartSummary(
        patient=chart.patient,
        allergies=tuple(chart.of("allergy")),
        problems=tuple(problems),
        therapy=tuple(sorted(therapy, key=lambda m: not m.fields.get("chronic"))),
        observations=tuple(latest[:LAST_OBSERVATIONS]),
        esenzioni=tuple(esenzioni),
        family_history=tuple(chart.of("family_history")),
    )


# -- written for people ----------------------------------------------------------------
Line = tuple[str, ...]  # the parts of one line, shown joined by a middle dot


@dataclass(frozen=True)
class SummarySection:
    """One section of the first page: its title and its lines, in the UI language."""

    key: str  # "allergies", "problems", "therapy", "results", "esenzioni", "family"
    title: str
    lines: tuple[Line, ...]


def patient_facts(patient: PatientSummary, today: date) -> str:
    """"M, nato il 12/03/1950 (76 anni)": sex, birth in the patient's gender, age."""
    born = born_on(patient.sex, patient.birth_date)
    if today < patient.birth_date:  # a wrong clock must not hide the patient's page
        return f"{sex_label(patient.sex)}, {born}"
    return f"{sex_label(patient.sex)}, {born} ({patient_age(patient.birth_date, today)})"


def _coded(labels: dict[str, str], code: Any) -> str:
    """A code in words; an unknown code as stored (never dropped from a clinical page)."""
    return labels.get(str(code), str(code)) if code not in (None, "") else ""


def _parts(*parts: Any) -> Line:
    return tuple(str(p) for p in parts if p not in (None, ""))


def criticality_label(code: Any) -> str:
    """How dangerous a reaction could be (FHIR AllergyIntolerance.criticality)."""
    return _coded({
        "low": _("low criticality"),
        "high": _("high criticality"),
        "unable-to-assess": _("criticality not assessable"),
    }, code)


def allergy_kind_label(code: Any) -> str:
    """Allergy or intolerance."""
    return _coded({"allergy": _("allergy"), "intolerance": _("intolerance")}, code)


def problem_status_label(code: Any) -> str:
    """A problem's clinical status."""
    return _coded({"active": _("active"), "chronic": _("chronic"), "resolved": _("resolved")},
                  code)


def relationship_label(code: Any) -> str:
    """A relative, from the HL7 v3 RoleCode the Patient Summary uses."""
    return _coded({
        "MTH": _("mother"), "FTH": _("father"), "SIB": _("sibling"), "BRO": _("brother"),
        "SIS": _("sister"), "CHILD": _("child"), "SON": _("son"), "DAU": _("daughter"),
        "GRMTH": _("grandmother"), "GRFTH": _("grandfather"), "AUNT": _("aunt"),
        "UNCLE": _("uncle"), "COUSN": _("cousin"), "FAMMEMB": _("relative"),
    }, code)


def allergy_line(entry: EntryView) -> Line:
    """Substance, allergy or intolerance, reaction, criticality."""
    f = entry.fields
    return _parts(f.get("substance"), allergy_kind_label(f.get("kind")), f.get("reaction"),
                  criticality_label(f.get("criticality")))


def problem_line(entry: EntryView) -> Line:
    """Description, ICD-9-CM code, status, onset."""
    f = entry.fields
    onset = _("since {date}").format(date=format_date(f["onset"])) if f.get("onset") else ""
    code = f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else ""
    return _parts(f.get("description"), code, problem_status_label(f.get("clinical_status")),
                  onset)


def medication_line(entry: EntryView) -> Line:
    """Name, dosage, long-term, ATC code."""
    f = entry.fields
    code = f"ATC {f['atc_code']}" if f.get("atc_code") else ""
    return _parts(f.get("name"), f.get("dosage"), _("long-term") if f.get("chronic") else "",
                  code)


def observation_value(entry: EntryView) -> str:
    """The value with its unit as people write it ("0,72 mg/dL", "135 mmHg")."""
    f = entry.fields
    value = f.get("value_num")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_quantity(value, f.get("unit"), code=f.get("code"))
    return str(f.get("value_text") or "")


def observation_line(entry: EntryView) -> Line:
    """What was measured, the value, the day (on the center's clock)."""
    f = entry.fields
    return _parts(f.get("display") or f.get("code"), observation_value(entry),
                  format_date(_observed_at(entry)))


def esenzione_line(entry: EntryView) -> Line:
    """Code and description of an exemption."""
    return _parts(entry.fields.get("code"), entry.fields.get("description"))


def family_line(entry: EntryView) -> Line:
    """Relative, condition, ICD-9-CM code, age at onset."""
    f = entry.fields
    onset = f.get("age_at_onset")
    age = _("from age {age}").format(age=onset) if onset is not None else ""
    code = f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else ""
    return _parts(relationship_label(f.get("relationship")), f.get("description"), code, age)


def summary_sections(summary: ChartSummary) -> tuple[SummarySection, ...]:
    """The first page's sections in order, allergies first, written for people."""
    def section(key: str, title: str, entries: tuple[EntryView, ...],
                line: Callable[[EntryView], Line]) -> SummarySection:
        return SummarySection(key, title, tuple(line(e) for e in entries))

    return (
        section("allergies", _("Allergies and intolerances"), summary.allergies, allergy_line),
        section("problems", _("Active problems"), summary.problems, problem_line),
        section("therapy", _("Current therapy"), summary.therapy, medication_line),
        section("results", _("Latest results"), summary.observations, observation_line),
        section("esenzioni", _("Exemptions"), summary.esenzioni, esenzione_line),
        section("family", _("Family history"), summary.family_history, family_line),
    )
