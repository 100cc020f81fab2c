"""The chart's words: one line per entry, kind names, trends, what is due (no Qt).

The summary, the journal, the banner and the detail dialog all describe entries
through these functions, so an entry reads the same wherever it appears; every value
goes through ``app.core.formats`` (decimal comma, dd/mm/yyyy, "mmHg").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from app.core.formats import format_date, format_datetime, local_time
from app.core.i18n import _
from app.records.services.documents import kind_label as document_kind_label
from app.records.services.entries import sort_key
from app.records.services.views import Chart, EntryView
from app.records.summary import (
    allergy_line,
    family_line,
    observation_value,
    problem_status_label,
)

SEPARATOR = " · "
NONE_KNOWN = "none_known"  # allergy.kind when "nessuna allergia nota" was recorded
DUE_WITHIN_DAYS = 30  # a PAI item is "due" this many days ahead of its date
LONG_TEXT = 140  # a visit's one-liner keeps this many characters of its assessment
# Vital signs (LOINC), in the order a GP reads them; shown apart from laboratory results.
VITAL_ORDER = ("8480-6", "8462-4", "8867-4", "9279-1", "59408-5", "8310-5", "29463-7",
               "8302-2", "39156-5")
VITAL_CODES = frozenset(VITAL_ORDER)


@dataclass(frozen=True)
class Names:
    """What ids stand for: staff by user id, problems by lineage id."""

    users: Mapping[str, str] = field(default_factory=dict)
    problems: Mapping[str, str] = field(default_factory=dict)

    def user(self, user_id: str | None) -> str:
        """A member of staff's name ("" when unknown)."""
        return self.users.get(user_id or "", "")

    def problem(self, lineage_id: str | None) -> str:
        """A problem's description ("" when unknown or not visible)."""
        return self.problems.get(lineage_id or "", "")


def problem_names(chart: Chart) -> dict[str, str]:
    """Problem descriptions by lineage id, for links from visits, therapies and tests."""
    return {p.lineage_id: str(p.fields.get("description") or p.fields.get("icd9_code") or "")
            for p in chart.of("problem")}


# -- time -----------------------------------------------------------------------------
def aware(value: date | datetime) -> datetime:
    """A stored date or time as an aware instant (a date: its midnight, UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


# Where an entry carries the day it happened, that day orders the journal: the registry's
# recorded_at would put a 2010 diagnosis, or a therapy corrected today, at the top.
_HAPPENED_ON = {"problem": "onset", "medication": "start_date", "document": "document_date",
                "care_plan": "start_date", "certificate": "start_date",
                "esenzione": "valid_from"}


def clinical_time_keys(kind: str) -> tuple[str, ...]:
    """The fields holding an entry kind's clinical time, the first one set wins."""
    registered = sort_key(kind) if kind != "esenzione" else "valid_from"
    preferred = _HAPPENED_ON.get(kind)
    return (preferred, registered) if preferred and preferred != registered else (registered,)


def clinical_time(entry: EntryView, keys: tuple[str, ...] | None = None) -> datetime:
    """When it happened (the visit, the sample, the onset), else when it was recorded;
    ``keys`` is ``clinical_time_keys(entry.kind)``, passed when looping over one kind."""
    for key in keys or clinical_time_keys(entry.kind):
        value = entry.fields.get(key)
        if isinstance(value, date):
            return aware(value)
    return aware(entry.recorded_at)


def when_text(entry: EntryView) -> str:
    """Its clinical time as people write it: a day, or a day and a time when it has one."""
    for key in clinical_time_keys(entry.kind):
        value = entry.fields.get(key)
        if isinstance(value, datetime):
            return format_datetime(value)
        if isinstance(value, date):
            return format_date(value)
    return format_datetime(entry.recorded_at)


# -- kinds and coded values -----------------------------------------------------------
def kind_label(kind: str) -> str:
    """One entry's kind, singular ("Visita", "Risultato")."""
    labels = {
        "allergy": _("Allergy"), "problem": _("Problem"), "medication": _("Therapy"),
        "encounter": _("Visit"), "observation": _("Result"),
        "prescription": _("Prescription"), "vaccination": _("Vaccination"),
        "document": _("Document"), "device_recording": _("Device recording"),
        "care_plan": _("Care plan (PAI)"), "care_plan_activity": _("Planned activity"),
        "certificate": _("Certificate"), "family_history": _("Family history"),
        "esenzione": _("Exemption"),
    }
    return labels.get(kind, kind)


def _coded(labels: dict[str, str], code: Any) -> str:
    """A code in words; an unknown code as stored (never dropped)."""
    return labels.get(str(code), str(code)) if code not in (None, "") else ""


def visit_kind_label(code: Any) -> str:
    """Where or how the visit took place."""
    return _coded({"ambulatory": _("surgery visit"), "home": _("home visit"),
                   "phone": _("phone contact"), "nursing": _("nursing visit")}, code)


def item_kind_label(code: Any) -> str:
    """What a prescription asks for (old rows have none: a drug)."""
    return _coded({"drug": _("drug"), "lab": _("lab test"),
                   "specialist": _("specialist visit")}, code or "drug")


def priority_label(code: Any) -> str:
    """The priority class of a test or specialist visit (U, B, D, P)."""
    return _coded({"U": _("U - urgent"), "B": _("B - within 10 days"),
                   "D": _("D - deferrable"), "P": _("P - planned")}, code)


def status_label(status: str) -> str:
    """A version's status: signed, or entered in error."""
    return _coded({"signed": _("signed"), "entered-in-error": _("entered in error")}, status)


# -- one line per entry ---------------------------------------------------------------
def _join(*parts: Any) -> str:
    return SEPARATOR.join(str(p) for p in parts if p not in (None, ""))


def _short(text: Any) -> str:
    line = " ".join(str(text or "").split())
    return line if len(line) <= LONG_TEXT else line[: LONG_TEXT - 1].rstrip() + "…"


def _allergy(e: EntryView) -> str:
    if e.fields.get("kind") == NONE_KNOWN:
        return _("No known allergies")
    return SEPARATOR.join(allergy_line(e))


def problem_text(e: EntryView) -> str:
    """Description, codes, status, qualifier."""
    f = e.fields
    icd9 = f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else ""
    icd10 = f"ICD-10-IM {f['icd10im_code']}" if f.get("icd10im_code") else ""
    return _join(f.get("description"), icd9, icd10, problem_status_label(f.get("clinical_status")),
                 f.get("qualifier"))


def medication_text(e: EntryView) -> str:
    """Name, dose, frequency, route; long-term; stopped and why."""
    f = e.fields
    stopped = ""
    if f.get("stop_reason"):
        stopped = _("stopped: {reason}").format(reason=f["stop_reason"])
    return _join(f.get("name"), f.get("dosage"), f.get("frequency"), f.get("route"),
                 _("long-term") if f.get("chronic") else "", stopped)


def _encounter(e: EntryView) -> str:
    f = e.fields
    text = f.get("assessment") or f.get("subjective") or f.get("plan") or ""
    # Most visits are at the surgery: only the others say where they took place.
    where = visit_kind_label(f.get("kind")) if f.get("kind") != "ambulatory" else ""
    return _join(where, _short(text))


def _prescription(e: EntryView) -> str:
    f = e.fields
    kind = f.get("item_kind") or "drug"
    if kind == "drug":
        quantity = f.get("quantity")
        packs = "" if not quantity else _("1 pack") if quantity == 1 else _(
            "{n} packs").format(n=quantity)
        return _join(f.get("name"), f.get("dosage"), packs, f.get("esenzione_code"))
    return _join(item_kind_label(kind), f.get("name"), priority_label(f.get("priority")),
                 _short(f.get("clinical_question")), f.get("esenzione_code"))


def _observation(e: EntryView) -> str:
    return _join(e.fields.get("display") or e.fields.get("code"), observation_value(e))


def _vaccination(e: EntryView) -> str:
    f = e.fields
    dose = _("dose {n}").format(n=f["dose_number"]) if f.get("dose_number") else ""
    lot = _("lot {lot}").format(lot=f["lot"]) if f.get("lot") else ""
    return _join(f.get("name"), dose, lot, f.get("site"))


def _document(e: EntryView) -> str:
    f = e.fields
    return _join(f.get("title"), document_kind_label(f.get("kind")), f.get("source"))


def care_plan_text(e: EntryView) -> str:
    """Title and level of a PAI."""
    level = e.fields.get("level")
    return _join(e.fields.get("title"), _("level {n}").format(n=level) if level else "")


def activity_text(e: EntryView) -> str:
    """A planned exam or visit, its period and next date."""
    f = e.fields
    months = f.get("period_months")
    every = _("every {n} months").format(n=months) if months else ""
    due = _("due {date}").format(date=format_date(f["next_due"])) if f.get("next_due") else ""
    return _join(f.get("description"), every, due)


def _certificate(e: EntryView) -> str:
    f = e.fields
    span = format_date(f.get("start_date"))
    if f.get("end_date"):
        span += f" – {format_date(f['end_date'])}"
    return _join(f.get("kind"), span, _short(f.get("diagnosis")))


def _device(e: EntryView) -> str:
    return _join(e.fields.get("device_kind"), e.fields.get("format"))


def _family(e: EntryView) -> str:
    return SEPARATOR.join(family_line(e))


def _esenzione(e: EntryView) -> str:
    return _join(e.fields.get("code"), e.fields.get("description"))


_WRITERS: dict[str, Callable[[EntryView], str]] = {
    "allergy": _allergy, "problem": problem_text, "medication": medication_text,
    "encounter": _encounter, "observation": _observation, "prescription": _prescription,
    "vaccination": _vaccination, "document": _document, "device_recording": _device,
    "care_plan": care_plan_text, "care_plan_activity": activity_text,
    "certificate": _certificate, "family_history": _family, "esenzione": _esenzione,
}


def describe(entry: EntryView) -> str:
    """One line saying what an entry is, in the UI language."""
    writer = _WRITERS.get(entry.kind)
    return writer(entry) if writer else _join(*entry.fields.values())


# -- what the header and the summary pick ---------------------------------------------
def allergies(chart: Chart) -> list[EntryView]:
    """Recorded allergies and intolerances (not the "none known" statement)."""
    return [a for a in chart.of("allergy") if a.fields.get("kind") != NONE_KNOWN]


def none_known(chart: Chart) -> bool:
    """Whether "nessuna allergia nota" was recorded."""
    return any(a.fields.get("kind") == NONE_KNOWN for a in chart.of("allergy"))


def _valid_on(start: Any, end: Any, today: date) -> bool:
    return (start is None or start <= today) and (end is None or end >= today)


def valid_esenzioni(chart: Chart, today: date) -> list[EntryView]:
    """Exemptions valid today."""
    return [e for e in chart.of("esenzione")
            if _valid_on(e.fields.get("valid_from"), e.fields.get("valid_to"), today)]


def current_care_plan(chart: Chart, today: date) -> EntryView | None:
    """The PAI in force today (the newest, when several are)."""
    plans = [p for p in chart.of("care_plan")
             if _valid_on(p.fields.get("start_date"), p.fields.get("end_date"), today)]
    return max(plans, key=lambda p: p.fields["start_date"]) if plans else None


@dataclass(frozen=True)
class DueItem:
    """A planned PAI activity whose date has come (overdue) or is near."""

    activity: EntryView
    due: date
    overdue: bool


def due_activities(chart: Chart, today: date, within_days: int = DUE_WITHIN_DAYS) -> list[DueItem]:
    """Activities of the PAIs in force due within ``within_days`` or overdue, soonest first."""
    plans = {p.lineage_id for p in chart.of("care_plan")
             if _valid_on(p.fields.get("start_date"), p.fields.get("end_date"), today)}
    found = []
    for activity in chart.of("care_plan_activity"):
        due = activity.fields.get("next_due")
        if activity.fields.get("care_plan_lineage_id") not in plans or not isinstance(due, date):
            continue
        if (due - today).days <= within_days:
            found.append(DueItem(activity, due, due < today))
    return sorted(found, key=lambda item: item.due)


@dataclass(frozen=True)
class Reading:
    """The latest value of one observation code and the one before it."""

    latest: EntryView
    previous: EntryView | None

    @property
    def arrow(self) -> str:
        """↑, ↓ or → against the previous value ("" with nothing to compare)."""
        return trend_arrow(_number(self.latest), _number(self.previous))

    @property
    def vital(self) -> bool:
        """A vital sign rather than a laboratory result."""
        return self.latest.fields.get("code") in VITAL_CODES


def _number(obs: EntryView | None) -> float | None:
    value = obs.fields.get("value_num") if obs is not None else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def trend_arrow(latest: float | None, previous: float | None) -> str:
    """Up, down or level (values within 0.5% of each other count as level)."""
    if latest is None or previous is None:
        return ""
    if abs(latest - previous) <= abs(previous) * 0.005:
        return "→"
    return "↑" if latest > previous else "↓"


def latest_readings(observations: Sequence[EntryView]) -> list[Reading]:
    """Per code, the newest value and the previous one, newest readings first.

    ``observations`` come as ``Chart.of`` gives them: newest first by the time measured.
    """
    first: dict[str, EntryView] = {}
    second: dict[str, EntryView] = {}
    for obs in observations:
        code = str(obs.fields.get("code"))
        if code not in first:
            first[code] = obs
        elif code not in second:
            second[code] = obs
    readings = [Reading(obs, second.get(code)) for code, obs in first.items()]
    return sorted(readings, key=_reading_order)  # stable: labs stay newest first


def _reading_order(reading: Reading) -> int:
    code = reading.latest.fields.get("code")
    return VITAL_ORDER.index(code) if code in VITAL_CODES else len(VITAL_ORDER)


def reading_date(obs: EntryView) -> str:
    """The day of a reading on the center's clock."""
    return format_date(local_time(clinical_time(obs)))
