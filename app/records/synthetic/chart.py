"""Row builders for one patient's chart: every row a plain dict ready for Core inserts."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.records.kinds import PATIENT_TABLE_ORDER
from app.records.synthetic.catalog import OBSERVATION_KINDS
from app.records.synthetic.drugs import Drug
from app.records.synthetic.ids import IdClock

Row = dict[str, Any]
Rows = dict[str, list[Row]]

# Insert order that respects foreign keys (patient first, users already present).
TABLE_ORDER: tuple[str, ...] = PATIENT_TABLE_ORDER


def at_noon(day: date) -> datetime:
    """Midday UTC of ``day``: a neutral time for entries dated by day only."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


class ChartBuilder:
    """Appends the rows of one patient's chart, ids in generation order."""

    def __init__(self, ids: IdClock, rng: random.Random, patient_id: str, author_id: str) -> None:
        self.ids = ids
        self.rng = rng
        self.patient_id = patient_id
        self.author_id = author_id
        self.rows: Rows = {}

    def add(self, table: str, row: Row) -> Row:
        """Append a finished row to ``table``."""
        self.rows.setdefault(table, []).append(row)
        return row

    def entry(self, at: datetime, author_id: str | None = None,
              rng: random.Random | None = None) -> Row:
        """The columns every clinical entry shares, signed a few minutes after ``at``."""
        new = self.ids.next_id()
        rng = rng or self.rng
        return {
            "id": new, "lineage_id": new, "version": 1, "supersedes_id": None,
            "correction_reason": None, "status": "signed", "hidden": False,
            "author_id": author_id or self.author_id, "recorded_at": at,
            "signed_at": at + timedelta(minutes=1 + int(rng.random() * 20)),
            "patient_id": self.patient_id,
        }

    def problem(self, icd9: str, description: str, onset: date, *, qualifier: str = "",
                status: str = "chronic", resolved_on: date | None = None,
                recorded_on: date | None = None) -> Row:
        """A coded problem (ICD-9-CM; the ICD-10-IM code is the GP's to choose), recorded
        at its onset or, when older than the patient's registration, at registration."""
        row = self.entry(at_noon(max(onset, recorded_on or onset)))
        row.update(icd9_code=icd9, description=description, onset=onset, resolved_on=resolved_on,
                   clinical_status="resolved" if resolved_on else status, icd10im_code=None,
                   qualifier=qualifier)
        return self.add("problem", row)

    def medication(self, drug: Drug, start: date, *, chronic: bool, end: date | None = None,
                   problem_id: str | None = None, stop_reason: str | None = None,
                   recorded_on: date | None = None) -> Row:
        """A therapy the patient takes, linked to the problem it treats."""
        row = self.entry(at_noon(max(start, recorded_on or start)))
        row.update(atc_code=drug.atc, aic_code=drug.aic, name=drug.name, dosage=drug.dosage,
                   chronic=chronic, start_date=start, end_date=end, frequency=drug.frequency,
                   route=drug.route, stop_reason=stop_reason, problem_id=problem_id,
                   equivalence_group=drug.group)
        return self.add("medication", row)

    def prescription(self, drug: Drug, at: datetime, esenzione: str | None, quantity: int = 2,
                     *, problem_id: str | None = None, medication_id: str | None = None,
                     author_id: str | None = None) -> Row:
        """A drug prescription prepared by the GP; never an NRE (only the region issues one)."""
        row = self.entry(at, author_id)
        row.update(atc_code=drug.atc, aic_code=drug.aic, name=drug.name, dosage=drug.dosage,
                   quantity=quantity, esenzione_code=esenzione, nre=None, issued_at=at,
                   item_kind="drug", code="", priority=None, clinical_question="",
                   problem_id=problem_id, medication_id=medication_id)
        return self.add("prescription", row)

    def order(self, item_kind: str, code: str, name: str, at: datetime, *, priority: str,
              question: str, esenzione: str | None, problem_id: str | None,
              author_id: str | None = None) -> Row:
        """A lab test or a specialist visit or exam on the ricetta, with its priority class."""
        row = self.entry(at, author_id)
        row.update(atc_code="", aic_code=None, name=name, dosage="", quantity=1,
                   esenzione_code=esenzione, nre=None, issued_at=at, item_kind=item_kind,
                   code=code, priority=priority, clinical_question=question,
                   problem_id=problem_id, medication_id=None)
        return self.add("prescription", row)

    def observation(self, kind: str, value: float, at: datetime, *, source: str = "manual",
                    encounter_id: str | None = None, author_id: str | None = None) -> Row:
        """A measured value, clamped to plausible bounds and rounded like the instrument."""
        spec = OBSERVATION_KINDS[kind]
        clamped = round(min(spec.high, max(spec.low, value)), spec.digits)
        row = self.entry(at, author_id)
        row.update(code=spec.code, code_system="LOINC", display=spec.display,
                   value_num=float(clamped), value_text=None, unit=spec.unit, effective_at=at,
                   source=source, encounter_id=encounter_id)
        return self.add("observation", row)

    def encounter(self, at: datetime, subjective: str, objective: str, assessment: str,
                  plan: str, *, kind: str = "ambulatory", problem_ids: list[str] | None = None,
                  author_id: str | None = None) -> Row:
        """A visit in SOAP form, naming the problems it addressed (lineage ids)."""
        row = self.entry(at, author_id)
        row.update(started_at=at, kind=kind, subjective=subjective, objective=objective,
                   assessment=assessment, plan=plan, problem_ids=" ".join(problem_ids or ()))
        return self.add("encounter", row)

    def vaccination(self, code: str, name: str, at: datetime, dose: int | None = None, *,
                    site: str | None = None, author_id: str | None = None) -> Row:
        """A vaccine given, with a synthetic lot number and the injection site."""
        row = self.entry(at, author_id)
        row.update(vaccine_code=code, name=name, lot=f"SYN{self.rng.randint(10000, 99999)}",
                   dose_number=dose, administered_at=at, site=site)
        return self.add("vaccination", row)

    def document(self, title: str, kind: str, content: bytes, *, text: str, day: date,
                 source: str, at: datetime) -> Row:
        """A filed PDF with its text (for full-text search), date and source."""
        row = self.entry(at)
        row.update(title=title, kind=kind, mime_type="application/pdf", content=content,
                   sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                   document_date=day, source=source, text_content=text)
        return self.add("document", row)

    def allergy(self, substance: str, atc: str | None, kind: str, reaction: str | None,
                criticality: str | None, *, at: datetime) -> Row:
        """An allergy or intolerance, or "none_known" (asked, and there is none)."""
        row = self.entry(at)
        row.update(substance=substance, atc_code=atc, kind=kind, reaction=reaction,
                   criticality=criticality)
        return self.add("allergy", row)

    def esenzione(self, code: str, description: str, valid_from: date) -> Row:
        """A disease exemption, open-ended."""
        return self.add("esenzione", {
            "id": self.ids.next_id(), "patient_id": self.patient_id, "code": code,
            "description": description, "valid_from": valid_from, "valid_to": None,
        })

    def income_esenzione(self, valid_from: date, valid_to: date | None) -> Row:
        """The E01 income exemption (over 65 on a low family income)."""
        return self.add("esenzione", {
            "id": self.ids.next_id(), "patient_id": self.patient_id, "code": "E01",
            "description": "Età superiore a 65 anni e reddito familiare inferiore a 36.151,98 euro",
            "valid_from": valid_from, "valid_to": valid_to,
        })
