"""Therapy and prescriptions: start, repeat, stop; drugs, lab tests, specialist visits.

A therapy (``medication``) is what the patient takes; a prescription is one ricetta the
GP prepares for it (or for a lab test or a specialist visit). No NRE is ever invented:
the regional system issues it, and the promemoria says "da emettere" until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.clock import utc_now
from app.core.errors import InvalidInput
from app.records.model import CodeEntry, EntryStatus
from app.records.safety import (
    AllergyFact,
    DrugRef,
    LabFact,
    PatientFacts,
    SafetyWarning,
    TherapyFact,
    check,
    load_rules,
)
from app.records.services import entries
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote
from app.records.services.chart_read import chart_views
from app.records.services.versions import EntryWriter
from app.records.services.views import EntryView
from app.records.summary import is_current_therapy

ITEM_KINDS = ("drug", "lab", "specialist")
# Priority classes of the ricetta: Urgente (72 h), Breve (10 days), Differibile (30/60
# days), Programmata (within 120 days).
PRIORITIES = ("U", "B", "D", "P")
ROUTES = ("orale", "sublinguale", "sottocutanea", "intramuscolare", "endovenosa", "inalatoria",
          "transdermica", "topica", "oftalmica", "rettale", "nasale")


@dataclass(frozen=True)
class TherapyInput:
    """A therapy to start: the drug (AIFA pack or active ingredient) and how it is taken."""

    atc_code: str
    name: str
    dosage: str = ""
    frequency: str = ""
    route: str = "orale"
    chronic: bool = False
    start_date: date | None = None
    end_date: date | None = None
    aic_code: str | None = None
    equivalence_group: str | None = None
    problem_id: str | None = None  # the problem's lineage


@dataclass(frozen=True)
class PrescriptionInput:
    """One ricetta item: a drug (ATC, AIC), a lab test or a specialist visit (code)."""

    item_kind: str
    name: str
    atc_code: str = ""
    aic_code: str | None = None
    code: str = ""
    dosage: str = ""
    quantity: int = 1
    priority: str | None = None
    clinical_question: str = ""
    esenzione_code: str | None = None
    problem_id: str | None = None
    medication_id: str | None = None  # the therapy's lineage, for a repeat


def _latest_labs(observations: list[EntryView]) -> dict[str, LabFact]:
    """The newest numeric value of each observation code."""
    latest: dict[str, LabFact] = {}
    for view in observations:
        value = view.fields.get("value_num")
        at = view.fields.get("effective_at")
        code = view.fields.get("code")
        if value is None or at is None or not code:
            continue
        kept = latest.get(code)
        if kept is None or at > kept.effective_at:
            latest[code] = LabFact(float(value), view.fields.get("unit"), at)
    return latest


is_current = is_current_therapy


class TherapyService(EntryWriter):
    """A patient's therapies and the prescriptions prepared for them."""

    @requires(Permission.WRITE_CLINICAL)
    def start(self, patient_id: str, therapy: TherapyInput) -> str:
        """Start a therapy; returns the new entry's id (its lineage id too)."""
        if not therapy.name.strip() or not therapy.atc_code.strip():
            raise InvalidInput("A therapy needs a drug.")
        if therapy.start_date and therapy.end_date and therapy.end_date < therapy.start_date:
            raise InvalidInput(detail="the therapy ends before it starts")
        if therapy.route and therapy.route not in ROUTES:
            raise InvalidInput(detail=f"unknown route {therapy.route!r}")
        return self._create("medication", patient_id, {
            "atc_code": therapy.atc_code.strip().upper(),
            "name": therapy.name.strip(),
            "dosage": therapy.dosage.strip(),
            "frequency": therapy.frequency.strip(),
            "route": therapy.route,
            "chronic": therapy.chronic,
            "start_date": therapy.start_date or date.today(),
            "end_date": therapy.end_date,
            "aic_code": therapy.aic_code,
            "equivalence_group": therapy.equivalence_group,
            "problem_id": therapy.problem_id,
        })

    @requires(Permission.WRITE_CLINICAL)
    def stop(self, medication_id: str, reason: str, on: date | None = None) -> str:
        """Stop a therapy with a reason (a new version ending it); returns that version."""
        if not reason.strip():
            raise InvalidInput("Stopping a therapy needs a reason.")
        day = on or date.today()
        with self._read() as conn:
            current = entries.load_version(conn, "medication", medication_id)
        start = current.get("start_date")
        if start is not None and day < start:
            raise InvalidInput(detail="the therapy ends before it starts")
        return self._new_version("medication", medication_id,
                                 {"end_date": day, "stop_reason": reason.strip()}, reason)

    @requires(Permission.WRITE_CLINICAL)
    def prescribe(self, patient_id: str, items: list[PrescriptionInput]) -> list[str]:
        """Prepare prescriptions (one transaction); returns their ids. No NRE here."""
        if not items:
            raise InvalidInput("Nothing to prescribe.")
        rows = [self._prescription_fields(item) for item in items]
        with self._writing() as batch:
            ids = [str(self._insert_entry(batch, "prescription", patient_id, fields)["id"])
                   for fields in rows]
        return ids

    @requires(Permission.WRITE_CLINICAL)
    def repeat(self, medication_ids: list[str], *, quantity: int = 1,
               esenzione_code: str | None = None) -> list[str]:
        """Repeat chronic therapies in one action: one drug prescription each."""
        items: list[PrescriptionInput] = []
        patient_ids: set[str] = set()
        with self._read() as conn:
            for medication_id in medication_ids:
                row = entries.load_version(conn, "medication", medication_id)
                latest = entries.latest_version(conn, "medication", row["lineage_id"])
                if not entries.visible_to(latest, self._actor.user_id):
                    continue
                if latest["status"] != EntryStatus.SIGNED.value or latest["stop_reason"] or (
                        latest["end_date"] is not None and latest["end_date"] < date.today()):
                    raise InvalidInput("{name} was stopped: it cannot be repeated.",
                                       name=latest["name"])
                patient_ids.add(latest["patient_id"])
                items.append(PrescriptionInput(
                    item_kind="drug", name=latest["name"], atc_code=latest["atc_code"],
                    aic_code=latest["aic_code"],
                    dosage=", ".join(p for p in (latest["dosage"], latest["frequency"]) if p),
                    quantity=quantity, esenzione_code=esenzione_code,
                    problem_id=latest["problem_id"], medication_id=latest["lineage_id"]))
        if len(patient_ids) != 1:
            raise InvalidInput(detail="repeat therapies of one patient at a time")
        return self.prescribe(patient_ids.pop(), items)

    @requires(Permission.READ_CHART)
    def history(self, patient_id: str) -> list[EntryView]:
        """Every version of every therapy of the patient, newest first (audited)."""
        table = entries.table_of("medication")
        columns = [c for c in table.columns if c.key not in entries.BLOB_COLUMNS]
        with self._read() as conn:
            rows = conn.execute(select(*columns).where(table.c.patient_id == patient_id)
                                .order_by(table.c.recorded_at.desc())).mappings().all()
        user = self._actor.user_id
        newest = {r["lineage_id"]: r for r in entries.current_rows(rows)}
        views = [entries.to_view("medication", row) for row in rows
                 if entries.visible_to(newest[row["lineage_id"]], user)]
        self._audit(AuditNote("therapy.history", "patient", patient_id, patient_id))
        return views

    @requires(Permission.READ_CHART)
    def current(self, patient_id: str, today: date | None = None) -> list[EntryView]:
        """Therapies taken today (not stopped, not ended), newest first."""
        day = today or date.today()
        with self._read() as conn:
            views = chart_views(conn, "medication", patient_id, self._actor.user_id)
        return entries.newest_first("medication",
                                    [v for v in views if is_current(v, day)])

    @requires(Permission.READ_CHART)
    def safety_warnings(self, patient_id: str, atc_code: str, name: str, *,
                        replacing: str | None = None) -> list[SafetyWarning]:
        """What the center's safety rules say about prescribing this drug to this patient
        today (allergies, recent labs, duplicate class); non-blocking, never raises on data.

        ``replacing`` is the lineage of a therapy being repeated: not a duplicate of itself.
        """
        today = date.today()
        user = self._actor.user_id
        atc = atc_code.strip().upper()
        with self._read() as conn:
            allergies = chart_views(conn, "allergy", patient_id, user)
            therapies = chart_views(conn, "medication", patient_id, user)
            observations = chart_views(conn, "observation", patient_id, user)
            ingredient = conn.execute(
                select(CodeEntry.description).where(CodeEntry.system == "atc",
                                                    CodeEntry.code == atc)).scalar()
        facts = PatientFacts(
            allergies=[AllergyFact(a.fields.get("substance") or "", a.fields.get("atc_code"),
                                   a.fields.get("kind") or "allergy")
                       for a in allergies if a.fields.get("kind") != "none_known"],
            therapies=[TherapyFact(t.lineage_id, t.fields.get("atc_code") or "",
                                   t.fields.get("name") or "", is_current(t, today))
                       for t in therapies],
            labs=_latest_labs(observations))
        rules = load_rules(self._db.paths.root)
        warnings = check(rules, DrugRef(atc, name, ingredient), facts, today,
                         replacing_lineage=replacing)
        if rules.problem is not None:  # the center's own file is broken: say so, softly
            text = rules.problem.user_message()
            warnings.append(SafetyWarning("center-rules", "rules", "low", text, text, ""))
        return warnings

    @requires(Permission.WRITE_CLINICAL)
    def acknowledge_warnings(self, patient_id: str, drug: str, rule_ids: list[str]) -> None:
        """The GP saw the safety warnings for ``drug`` and went on: audited."""
        if rule_ids:
            self._audit(AuditNote("safety.acknowledged", "patient", patient_id, patient_id,
                                  detail=f"{drug}: {', '.join(sorted(rule_ids))}"))

    @staticmethod
    def _prescription_fields(item: PrescriptionInput) -> dict[str, Any]:
        if item.item_kind not in ITEM_KINDS:
            raise InvalidInput(detail=f"unknown prescription kind {item.item_kind!r}")
        if item.priority is not None and item.priority not in PRIORITIES:
            raise InvalidInput(detail=f"unknown priority class {item.priority!r}")
        if not item.name.strip():
            raise InvalidInput("A prescription needs what is prescribed.")
        if item.item_kind == "drug" and not item.atc_code.strip():
            raise InvalidInput("A drug prescription needs a drug.")
        if not 1 <= item.quantity <= 6:
            raise InvalidInput("From 1 to 6 packs per prescription.")
        return {
            "item_kind": item.item_kind,
            "name": item.name.strip(),
            "atc_code": item.atc_code.strip().upper(),
            "aic_code": item.aic_code,
            "code": item.code.strip(),
            "dosage": item.dosage.strip(),
            "quantity": item.quantity,
            "priority": item.priority,
            "clinical_question": item.clinical_question.strip(),
            "esenzione_code": item.esenzione_code,
            "problem_id": item.problem_id,
            "medication_id": item.medication_id,
            "issued_at": utc_now(),
        }
