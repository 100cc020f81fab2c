"""Visits at the desk: drafts kept while typing, signing, amending with a reason.

A draft is the author's working copy: saved every few seconds (a crash or a power cut
loses at most those seconds), seen by nobody else, never in the change log. Signing
turns it, in one transaction, into a signed visit (or a new version of the visit it
amends) plus one observation per quick vital, and deletes the draft.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound
from app.core.formats import format_decimal
from app.records.model import EncounterDraft
from app.records.services import entries
from app.records.services.access import Permission, requires
from app.records.services.versions import NURSING_VISIT, EntryWriter, require_patient

VISIT_KINDS = ("ambulatory", "home", "phone", NURSING_VISIT)


@dataclass(frozen=True)
class Vital:
    """One quick vital of the visit editor and the observation it becomes."""

    key: str
    code: str  # LOINC
    display: str
    unit: str  # UCUM, as stored
    low: float  # a value outside [low, high] is a typing slip, refused
    high: float
    label: str  # English msgid shown in the editor


VITALS: tuple[Vital, ...] = (
    Vital("systolic", "8480-6", "PA sistolica", "mm[Hg]", 50, 300, "Systolic BP (mmHg)"),
    Vital("diastolic", "8462-4", "PA diastolica", "mm[Hg]", 20, 200, "Diastolic BP (mmHg)"),
    Vital("pulse", "8867-4", "Frequenza cardiaca", "/min", 20, 250, "Pulse (bpm)"),
    Vital("weight", "29463-7", "Peso", "kg", 0.5, 400, "Weight (kg)"),
    Vital("height", "8302-2", "Altezza", "cm", 30, 250, "Height (cm)"),
    Vital("spo2", "59408-5", "SpO2", "%", 50, 100, "SpO2 (%)"),
    Vital("temperature", "8310-5", "Temperatura corporea", "Cel", 30, 45, "Temperature (°C)"),
    Vital("glucose", "2345-7", "Glicemia", "mg/dL", 10, 1000, "Glucose (mg/dL)"),
)
VITAL_BY_KEY = {v.key: v for v in VITALS}


@dataclass(frozen=True)
class VisitDraft:
    """What the visit editor holds; ``draft_id`` is None until first saved."""

    patient_id: str
    started_at: datetime
    kind: str = "ambulatory"
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""
    problem_ids: tuple[str, ...] = ()
    vitals: tuple[tuple[str, float], ...] = ()  # (Vital.key, value)
    amends_id: str | None = None  # the signed visit this draft corrects
    amend_reason: str = ""
    draft_id: str | None = None
    updated_at: datetime | None = field(default=None, compare=False)

    def text(self) -> str:
        """Everything typed, for "is there anything to keep?"."""
        return "".join((self.subjective, self.objective, self.assessment, self.plan))

    @property
    def empty(self) -> bool:
        """Nothing typed, no vital, no link."""
        return not self.text().strip() and not self.vitals and not self.problem_ids


@dataclass(frozen=True)
class SignedVisit:
    """What signing wrote."""

    encounter_id: str
    lineage_id: str
    version: int
    observation_ids: tuple[str, ...]


def _content(draft: VisitDraft) -> str:
    return json.dumps(
        {
            "kind": draft.kind,
            "subjective": draft.subjective,
            "objective": draft.objective,
            "assessment": draft.assessment,
            "plan": draft.plan,
            "problem_ids": list(draft.problem_ids),
            "vitals": [[k, v] for k, v in draft.vitals],
            "amend_reason": draft.amend_reason,
        },
        ensure_ascii=False,
    )


def _draft(row: Any) -> VisitDraft:
    data = json.loads(row.content)
    return VisitDraft(
        patient_id=row.patient_id,
        started_at=row.started_at,
        kind=data.get("kind", "ambulatory"),
        subjective=data.get("subjective", ""),
        objective=data.get("objective", ""),
        assessment=data.get("assessment", ""),
        plan=data.get("plan", ""),
        problem_ids=tuple(data.get("problem_ids", ())),
        vitals=tuple((str(k), float(v)) for k, v in data.get("vitals", ())),
        amends_id=row.amends_id,
        amend_reason=data.get("amend_reason", ""),
        draft_id=row.id,
        updated_at=row.updated_at,
    )


def check_vitals(vitals: tuple[tuple[str, float], ...]) -> None:
    """Refuse an unknown vital or a value no patient can have (a slip of the keyboard)."""
    for key, value in vitals:
        vital = VITAL_BY_KEY.get(key)
        if vital is None:
            raise InvalidInput(detail=f"unknown vital {key!r}")
        if not math.isfinite(value) or not vital.low <= value <= vital.high:
            shown = format_decimal(value) if math.isfinite(value) else str(value)
            raise InvalidInput("{what}: {value} is outside {low}-{high}", what=vital.label,
                               value=shown, low=format_decimal(vital.low),
                               high=format_decimal(vital.high))


class VisitService(EntryWriter):
    """SOAP visits with quick vitals; drafts survive a crash, signing makes them immutable."""

    # -- drafts ---------------------------------------------------------------------------
    @requires(Permission.WRITE_OBSERVATION)
    def save_draft(self, draft: VisitDraft) -> VisitDraft:
        """Keep what is typed (insert or update the author's draft); returns it with its id."""
        self._check_draft(draft)
        now = utc_now()
        author = self._actor.user_id
        with self._write() as conn:
            require_patient(conn, draft.patient_id)
            values = {"content": _content(draft), "updated_at": now,
                      "amends_id": draft.amends_id}
            if draft.draft_id is not None:
                done = conn.execute(
                    update(EncounterDraft)
                    .where(EncounterDraft.id == draft.draft_id,
                           EncounterDraft.author_id == author)
                    .values(**values)
                )
                if done.rowcount:
                    return replace(draft, updated_at=now)
            draft_id = draft.draft_id or new_id()
            conn.execute(insert(EncounterDraft).values(
                id=draft_id, patient_id=draft.patient_id, author_id=author,
                started_at=draft.started_at, **values))
        return replace(draft, draft_id=draft_id, updated_at=now)

    @requires(Permission.WRITE_OBSERVATION)
    def drafts(self, patient_id: str | None = None) -> list[VisitDraft]:
        """The author's unsigned drafts (of one patient, or all), oldest first."""
        stmt = select(EncounterDraft).where(EncounterDraft.author_id == self._actor.user_id)
        if patient_id is not None:
            stmt = stmt.where(EncounterDraft.patient_id == patient_id)
        with self._read() as conn:
            rows = conn.execute(stmt.order_by(EncounterDraft.started_at)).all()
        return [_draft(row) for row in rows]

    @requires(Permission.WRITE_OBSERVATION)
    def discard_draft(self, draft_id: str) -> None:
        """Throw a draft away (the author's own only)."""
        with self._write() as conn:
            conn.execute(delete(EncounterDraft).where(
                EncounterDraft.id == draft_id, EncounterDraft.author_id == self._actor.user_id))

    # -- signing ----------------------------------------------------------------------------
    @requires(Permission.WRITE_OBSERVATION)
    def sign(self, draft: VisitDraft) -> SignedVisit:
        """Sign a visit: the encounter (or its new version), one observation per vital, and
        the draft deleted, all in one transaction."""
        self._check_draft(draft)
        if draft.empty:
            raise InvalidInput("The visit is empty: nothing to sign.")
        fields: dict[str, Any] = {
            "started_at": draft.started_at,
            "kind": draft.kind,
            "subjective": draft.subjective.strip(),
            "objective": draft.objective.strip(),
            "assessment": draft.assessment.strip(),
            "plan": draft.plan.strip(),
            "problem_ids": " ".join(draft.problem_ids),
        }
        if draft.amends_id is not None:  # refusals are audited outside the write
            with self._read() as conn:
                self._check_rules("encounter",
                                  entries.load_version(conn, "encounter", draft.amends_id))
        with self._writing() as batch:
            if draft.amends_id is None:
                row = self._insert_entry(batch, "encounter", draft.patient_id, fields)
            else:
                if not draft.amend_reason.strip():
                    raise InvalidInput("An amendment needs a reason.")
                row = self._insert_version(batch, "encounter", draft.amends_id, fields,
                                           draft.amend_reason)
            observations = tuple(
                str(self._insert_entry(batch, "observation", draft.patient_id, {
                    "code": vital.code,
                    "code_system": "LOINC",
                    "display": vital.display,
                    "value_num": value,
                    "unit": vital.unit,
                    "effective_at": draft.started_at,
                    "source": "visit",
                    "encounter_id": row["lineage_id"],
                })["id"])
                for vital, value in ((VITAL_BY_KEY[k], v) for k, v in draft.vitals)
            )
            if draft.draft_id is not None:
                batch.conn.execute(delete(EncounterDraft).where(
                    EncounterDraft.id == draft.draft_id,
                    EncounterDraft.author_id == self._actor.user_id))
        return SignedVisit(str(row["id"]), str(row["lineage_id"]), int(row["version"]),
                           observations)

    @requires(Permission.WRITE_OBSERVATION)
    def amend_draft(self, encounter_id: str) -> VisitDraft:
        """A draft holding the newest version of a signed visit, to be amended."""
        with self._read() as conn:
            row = entries.load_version(conn, "encounter", encounter_id)
            latest = entries.latest_version(conn, "encounter", row["lineage_id"])
        user = self._actor.user_id
        if not entries.visible_to(latest, user):
            raise NotFound(what=f"encounter {encounter_id}")
        if latest["status"] != "signed":
            raise InvalidInput("This visit was marked as entered in error.")
        return VisitDraft(
            patient_id=latest["patient_id"],
            started_at=latest["started_at"],
            kind=latest["kind"],
            subjective=latest["subjective"] or "",
            objective=latest["objective"] or "",
            assessment=latest["assessment"] or "",
            plan=latest["plan"] or "",
            problem_ids=tuple((latest.get("problem_ids") or "").split()),
            amends_id=latest["id"],
        )

    def _check_draft(self, draft: VisitDraft) -> None:
        if draft.kind not in VISIT_KINDS:
            raise InvalidInput(detail=f"unknown visit kind {draft.kind!r}")
        self._check_rules("encounter", {"kind": draft.kind})
        check_vitals(draft.vitals)
