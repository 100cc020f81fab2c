"""Row builders for one patient's chart: every row a plain dict ready for Core inserts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.records.kinds import PATIENT_TABLE_ORDER
from app.records.synthetic.catalog import OBSERVATION_KINDS, Condition, Drug
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
            "signed_at": at + timedelta(minutes=rng.randint(1, 20)),
            "patient_id": self.patient_id,
        }

    def problem(self, icd9: str, description: str, onset: date,
                resolved_on: date | None = None) -> Row:
        """A coded problem; resolved ones are inactive."""
        row = self.entry(at_noon(onset))
        row.update(icd9_code=icd9, description=description, onset=onset, resolved_on=resolved_on,
                   clinical_status="resolved" if resolved_on else "active")
        return self.add("problem", row)

    def medication(self, drug: Drug, start: date, *, chronic: bool,
                   end: date | None = None) -> Row:
        """A therapy the patient takes."""
        row = self.entry(at_noon(start))
        row.update(atc_code=drug.atc, aic_code=None, name=drug.name, dosage=drug.dosage,
                   chronic=chronic, start_date=start, end_date=end)
        return self.add("medication", row)

    def prescription(self, drug: Drug, at: datetime, esenzione: str | None,
                     quantity: int = 2) -> Row:
        """A prescription prepared by the GP; never an NRE (only the region issues those)."""
        row = self.entry(at)
        row.update(atc_code=drug.atc, aic_code=None, name=drug.name, dosage=drug.dosage,
                   quantity=quantity, esenzione_code=esenzione, nre=None, issued_at=at)
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
                  plan: str, *, kind: str = "ambulatory") -> Row:
        """A visit in SOAP form."""
        row = self.entry(at)
        row.update(started_at=at, kind=kind, subjective=subjective, objective=objective,
                   assessment=assessment, plan=plan)
        return self.add("encounter", row)

    def vaccination(self, code: str, name: str, at: datetime, dose: int | None = None) -> Row:
        """A vaccine given, with a synthetic lot number."""
        row = self.entry(at)
        row.update(vaccine_code=code, name=name, lot=f"SYN{self.rng.randint(10000, 99999)}",
                   dose_number=dose, administered_at=at)
        return self.add("vaccination", row)

    def allergy(self, substance: str, atc: str | None, kind: str, reaction: str,
                criticality: str, *, at: datetime) -> Row:
        """An allergy or intolerance."""
        row = self.entry(at)
        row.update(substance=substance, atc_code=atc, kind=kind, reaction=reaction,
                   criticality=criticality)
        return self.add("allergy", row)

    def esenzione(self, condition: Condition, valid_from: date) -> Row:
        """A disease exemption, open-ended."""
        return self.add("esenzione", {
            "id": self.ids.next_id(), "patient_id": self.patient_id, "code": condition.esenzione,
            "description": condition.esenzione_text, "valid_from": valid_from, "valid_to": None,
        })

    def income_esenzione(self, valid_from: date, valid_to: date | None) -> Row:
        """The E01 income exemption (over 65 on a low family income)."""
        return self.add("esenzione", {
            "id": self.ids.next_id(), "patient_id": self.patient_id, "code": "E01",
            "description": "Età superiore a 65 anni e reddito familiare inferiore a 36.151,98 euro",
            "valid_from": valid_from, "valid_to": valid_to,
        })
