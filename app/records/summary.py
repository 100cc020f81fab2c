"""The first screen of a chart: what is current, picked from a Chart (no Qt; reports reuse it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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


def _current_therapy(medication: EntryView, today: date) -> bool:
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
    therapy = [m for m in chart.of("medication") if _current_therapy(m, today)]
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
