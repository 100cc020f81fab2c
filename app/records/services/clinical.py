"""Writing the clinical record: every entry is signed on save and corrected by new versions."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound
from app.records.model import EntryStatus, Esenzione
from app.records.services.access import Permission, requires
from app.records.services.care import CareWriter
from app.records.services.entries import load_version
from app.records.services.versions import require_patient

PROBLEM_STATUSES = ("active", "chronic", "resolved")
NO_KNOWN_ALLERGY = "none_known"
ALLERGY_KINDS = ("allergy", "intolerance", NO_KNOWN_ALLERGY)


def check_problem(status: str, onset: date | None, resolved_on: date | None) -> None:
    """A problem's status and dates must agree."""
    if status not in PROBLEM_STATUSES:
        raise InvalidInput(detail="problem status must be active, chronic or resolved")
    if resolved_on is not None and status != "resolved":
        raise InvalidInput("Only a resolved problem has a resolution date.")
    if onset and resolved_on and resolved_on < onset:
        raise InvalidInput("The problem is resolved before its onset.")


class ClinicalService(CareWriter):
    """Record encounters, problems, therapies, results, plans and certificates."""

    # -- corrections ----------------------------------------------------------------------
    @requires(Permission.WRITE_OBSERVATION)
    def correct(self, kind: str, entry_id: str, changes: dict[str, Any], reason: str) -> str:
        """Supersede a signed entry with a corrected version; returns the new version id."""
        return self._new_version(kind, entry_id, changes, reason)

    @requires(Permission.WRITE_OBSERVATION)
    def mark_entered_in_error(self, kind: str, entry_id: str, reason: str) -> str:
        """Record that an entry was entered in error (a new version, never a delete)."""
        return self._new_version(
            kind, entry_id, {}, reason, status=EntryStatus.ENTERED_IN_ERROR.value
        )

    @requires(Permission.WRITE_CLINICAL)
    def update_problem(self, problem_id: str, changes: dict[str, Any], reason: str) -> str:
        """Change a problem's status, dates, qualifier or codes (a new version)."""
        with self._read() as conn:
            old = load_version(conn, "problem", problem_id)
        merged = old | changes
        check_problem(merged["clinical_status"], merged["onset"], merged["resolved_on"])
        return self._new_version("problem", problem_id, changes, reason)

    @requires(Permission.WRITE_CLINICAL)
    def set_hidden(self, kind: str, entry_id: str, hidden: bool, reason: str) -> str:
        """Oscuramento at the patient's request: only the author keeps seeing the entry."""
        return self._new_version(kind, entry_id, {}, reason, hidden=hidden)

    # -- typed entry points -----------------------------------------------------------------
    @requires(Permission.WRITE_OBSERVATION)
    def record_encounter(
        self,
        patient_id: str,
        started_at: datetime,
        *,
        subjective: str = "",
        objective: str = "",
        assessment: str = "",
        plan: str = "",
        kind: str = "ambulatory",
        problem_ids: tuple[str, ...] = (),
    ) -> str:
        """A visit in SOAP form (a nurse: only a "nursing" visit)."""
        return self._create(
            "encounter",
            patient_id,
            {
                "started_at": started_at,
                "kind": kind,
                "subjective": subjective,
                "objective": objective,
                "assessment": assessment,
                "plan": plan,
                "problem_ids": " ".join(problem_ids),
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_problem(
        self,
        patient_id: str,
        icd9_code: str,
        description: str,
        *,
        clinical_status: str = "active",
        onset: date | None = None,
        resolved_on: date | None = None,
        qualifier: str = "",
        icd10im_code: str | None = None,
    ) -> str:
        """A problem coded in ICD-9-CM (and ICD-10-IM when chosen): active, chronic or
        resolved, with a free-text qualifier (laterality, stage)."""
        check_problem(clinical_status, onset, resolved_on)
        return self._create(
            "problem",
            patient_id,
            {
                "icd9_code": icd9_code,
                "description": description,
                "clinical_status": clinical_status,
                "onset": onset,
                "resolved_on": resolved_on,
                "qualifier": qualifier.strip(),
                "icd10im_code": icd10im_code,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_allergy(
        self,
        patient_id: str,
        substance: str,
        *,
        kind: str = "allergy",
        reaction: str | None = None,
        criticality: str | None = None,
        atc_code: str | None = None,
    ) -> str:
        """An allergy or intolerance, or "none_known": the GP asked and there is none
        (not the same as nothing recorded)."""
        if kind not in ALLERGY_KINDS:
            raise InvalidInput(detail="kind must be allergy, intolerance or none_known")
        if kind == NO_KNOWN_ALLERGY:
            substance = substance.strip() or "nessuna allergia nota"
        elif not substance.strip():
            raise InvalidInput("An allergy needs the substance.")
        return self._create(
            "allergy",
            patient_id,
            {
                "substance": substance,
                "kind": kind,
                "reaction": reaction,
                "criticality": criticality,
                "atc_code": atc_code,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_medication(
        self,
        patient_id: str,
        atc_code: str,
        name: str,
        *,
        dosage: str = "",
        chronic: bool = False,
        aic_code: str | None = None,
        start_date: date | None = None,
        end_date: date | None = None,
    ) -> str:
        """A therapy (continuing or one-off) by ATC, with the AIC when known."""
        if start_date and end_date and end_date < start_date:
            raise InvalidInput(detail="the therapy ends before it starts")
        return self._create(
            "medication",
            patient_id,
            {
                "atc_code": atc_code,
                "name": name,
                "dosage": dosage,
                "chronic": chronic,
                "aic_code": aic_code,
                "start_date": start_date,
                "end_date": end_date,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def prescribe(
        self,
        patient_id: str,
        atc_code: str,
        name: str,
        *,
        dosage: str = "",
        quantity: int = 1,
        aic_code: str | None = None,
        esenzione_code: str | None = None,
    ) -> str:
        """Prepare a prescription; no NRE is ever invented here."""
        return self._create(
            "prescription",
            patient_id,
            {
                "atc_code": atc_code,
                "name": name,
                "dosage": dosage,
                "quantity": quantity,
                "aic_code": aic_code,
                "esenzione_code": esenzione_code,
                "issued_at": utc_now(),
            },
        )

    @requires(Permission.WRITE_OBSERVATION)
    def record_observation(
        self,
        patient_id: str,
        code: str,
        effective_at: datetime,
        *,
        value_num: float | None = None,
        value_text: str | None = None,
        unit: str | None = None,
        display: str = "",
        source: str = "manual",
        code_system: str = "LOINC",
    ) -> str:
        """A measured value (vital sign, lab or device result)."""
        if value_num is None and not value_text:
            raise InvalidInput(detail="an observation needs a value")
        return self._create(
            "observation",
            patient_id,
            {
                "code": code,
                "code_system": code_system,
                "display": display,
                "value_num": value_num,
                "value_text": value_text,
                "unit": unit,
                "effective_at": effective_at,
                "source": source,
            },
        )

    @requires(Permission.WRITE_VACCINATION)
    def record_vaccination(
        self,
        patient_id: str,
        vaccine_code: str,
        name: str,
        administered_at: datetime,
        *,
        lot: str | None = None,
        dose_number: int | None = None,
        site: str | None = None,
    ) -> str:
        """A vaccine given (the nurse records it too)."""
        if not name.strip():
            raise InvalidInput("A vaccination needs the vaccine.")
        if dose_number is not None and not 1 <= dose_number <= 20:
            raise InvalidInput(detail="the dose number must be between 1 and 20")
        return self._create(
            "vaccination",
            patient_id,
            {
                "vaccine_code": vaccine_code,
                "name": name,
                "administered_at": administered_at,
                "lot": lot,
                "dose_number": dose_number,
                "site": site,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def attach_document(
        self,
        patient_id: str,
        title: str,
        content: bytes,
        *,
        kind: str = "referto",
        mime_type: str = "application/pdf",
    ) -> str:
        """File a document (stored inside the encrypted record)."""
        return self._create(
            "document",
            patient_id,
            {
                "title": title,
                "kind": kind,
                "mime_type": mime_type,
                "content": content,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            },
        )

    @requires(Permission.WRITE_OBSERVATION)
    def attach_device_recording(
        self,
        patient_id: str,
        device_kind: str,
        data_format: str,
        content: bytes,
        acquired_at: datetime,
        *,
        device_serial: str | None = None,
    ) -> str:
        """Store a raw device recording (ECG waveform, spirometry curve)."""
        return self._create(
            "device_recording",
            patient_id,
            {
                "device_kind": device_kind,
                "format": data_format,
                "content": content,
                "acquired_at": acquired_at,
                "device_serial": device_serial,
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def issue_certificate(
        self,
        patient_id: str,
        kind: str,
        start_date: date,
        *,
        end_date: date | None = None,
        diagnosis: str = "",
        visit_type: str | None = None,
        stay_address: str | None = None,
    ) -> str:
        """Prepare a certificate (sending to INPS needs credentials: a later issue)."""
        return self._create(
            "certificate",
            patient_id,
            {
                "kind": kind,
                "start_date": start_date,
                "end_date": end_date,
                "diagnosis": diagnosis,
                "visit_type": visit_type,
                "stay_address": stay_address,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_esenzione(
        self,
        patient_id: str,
        code: str,
        valid_from: date,
        *,
        valid_to: date | None = None,
        description: str | None = None,
    ) -> str:
        """A co-payment exemption (disease codes reveal diagnoses: clinical, not front desk)."""
        row: dict[str, Any] = {
            "id": new_id(),
            "patient_id": patient_id,
            "code": code.strip().upper(),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "description": description,
            "hidden": False,
            "author_id": self._actor.user_id,
        }
        if not row["code"]:
            raise InvalidInput(detail="esenzione code is required")
        with self._writing() as batch:
            require_patient(batch.conn, patient_id)
            batch.conn.execute(insert(Esenzione).values(**row))
            batch.record("esenzione", row["id"], "create", row, patient_id=patient_id)
        return str(row["id"])

    @requires(Permission.WRITE_CLINICAL)
    def set_esenzione_hidden(self, esenzione_id: str, hidden: bool, reason: str) -> None:
        """Oscuramento of an exemption (its code reveals the disease): author only sees it."""
        if not reason.strip():
            raise InvalidInput(detail="a correction needs a reason")
        with self._writing() as batch:
            row = batch.conn.execute(
                select(Esenzione.patient_id, Esenzione.hidden, Esenzione.author_id)
                .where(Esenzione.id == esenzione_id)
            ).first()
            if row is None or (row.hidden and row.author_id != self._actor.user_id):
                raise NotFound(what=f"esenzione {esenzione_id}")
            # Whoever hides it keeps seeing it, as with a hidden entry's new version.
            changes = {"hidden": hidden, "author_id": self._actor.user_id}
            batch.conn.execute(
                update(Esenzione).where(Esenzione.id == esenzione_id).values(**changes)
            )
            # The reason is clinical: it goes to the clinical change log, not the audit.
            batch.record("esenzione", esenzione_id, "update",
                         changes | {"reason": reason.strip()}, patient_id=row.patient_id,
                         action="esenzione.hide", detail="hidden" if hidden else "shown")
