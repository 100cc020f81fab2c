"""Anagrafica: find, register and update patients (front desk and clinicians)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sqlalchemy import Connection, Select, and_, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound
from app.records import codice_fiscale as cf
from app.records.model import Consent, Patient
from app.records.search_keys import prefix_upper_bound, search_key
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote, Service
from app.records.services.views import PatientDetails, PatientInput, PatientSummary

AnySelect = Select[*tuple[Any, ...]]
_CF_PATTERN = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}")
SEARCH_LIMIT = 50
_EDITABLE = {
    "tessera_sanitaria",
    "residence_address",
    "residence_city",
    "residence_postcode",
    "domicile_address",
    "phone",
    "mobile",
    "email",
    "gp_id",
    "ats_code",
}
CONSENT_KINDS = ("care", "dossier", "fse")

_SUMMARY_COLUMNS = (
    Patient.id,
    Patient.codice_fiscale,
    Patient.surname,
    Patient.given_name,
    Patient.sex,
    Patient.birth_date,
    Patient.birth_place,
)


def _summary(row: Any) -> PatientSummary:
    return PatientSummary(
        row.id,
        row.codice_fiscale,
        row.surname,
        row.given_name,
        row.sex,
        row.birth_date,
        row.birth_place,
    )


def _name_query(surname: str, given: str | None) -> AnySelect:
    conditions = [Patient.surname_key >= surname, Patient.surname_key < prefix_upper_bound(surname)]
    if given is not None:
        if given:
            conditions += [
                Patient.given_key >= given,
                Patient.given_key < prefix_upper_bound(given),
            ]
        conditions.append(Patient.surname_key == surname)
    return select(*_SUMMARY_COLUMNS).where(and_(*conditions))


def search_statements(text: str) -> list[AnySelect]:
    """The indexed queries for a search text: codice fiscale, or surname [given name]."""
    query = text.strip()
    compact = cf.normalise(query)
    if len(compact) >= 6 and _CF_PATTERN.match(compact):
        if len(compact) == 16:
            return [select(*_SUMMARY_COLUMNS).where(Patient.codice_fiscale == compact)]
        return [
            select(*_SUMMARY_COLUMNS).where(
                Patient.codice_fiscale >= compact,
                Patient.codice_fiscale < prefix_upper_bound(compact),
            )
        ]
    words = [w for w in re.split(r"[\s,]+", query) if w]
    if not words:
        return []
    statements = [_name_query(search_key("".join(words)), None)]
    # "Rossi Mario", "De Luca Anna": every split into surname + given name.
    for cut in range(1, len(words)):
        statements.append(
            _name_query(search_key("".join(words[:cut])), search_key("".join(words[cut:])))
        )
    return statements


def run_search(conn: Connection, text: str, limit: int = SEARCH_LIMIT) -> list[PatientSummary]:
    """Run a patient search on a connection (also used by benchmarks)."""
    found: dict[str, PatientSummary] = {}
    for statement in search_statements(text):
        ordered = statement.order_by(Patient.surname_key, Patient.given_key).limit(limit)
        for row in conn.execute(ordered):
            found.setdefault(row.id, _summary(row))
    return sorted(found.values(), key=lambda p: (search_key(p.surname), search_key(p.given_name)))[
        :limit
    ]


class PatientService(Service):
    """Find and register patients; demographics only, never clinical content."""

    @requires(Permission.READ_DEMOGRAPHICS)
    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[PatientSummary]:
        """Patients whose surname (and given name) start with ``text``, or by codice fiscale."""
        with self._read() as conn:
            return run_search(conn, text, limit)

    @requires(Permission.READ_DEMOGRAPHICS)
    def get(self, patient_id: str) -> PatientDetails:
        """The full anagrafica of one patient (audited)."""
        with self._read() as conn:
            patient = conn.execute(select(Patient).where(Patient.id == patient_id)).first()
        if patient is None:
            raise NotFound(what=patient_id)
        self._audit(AuditNote("patient.read", "patient", patient_id, patient_id))
        fields = {c.key: getattr(patient, c.key) for c in Patient.__table__.columns}
        return PatientDetails(_summary(patient), fields)

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def register(self, data: PatientInput) -> PatientSummary:
        """Register a patient; the codice fiscale is derived when empty, else checked."""
        _require(data.surname.strip() and data.given_name.strip(), "surname and given name")
        _require(data.sex in ("M", "F"), "sex must be M or F")
        code = data.codice_fiscale.strip()
        if code:
            code = cf.validate(code)
            cf.check_consistent(code, data.sex, data.birth_date)
        else:
            code = cf.derive(
                data.surname, data.given_name, data.sex, data.birth_date, data.birth_place
            )
        now = utc_now()
        values: dict[str, Any] = dataclasses.asdict(data) | {
            "id": new_id(),
            "codice_fiscale": code,
            "surname": data.surname.strip(),
            "given_name": data.given_name.strip(),
            "surname_key": search_key(data.surname),
            "given_key": search_key(data.given_name),
            "birth_place_code": cf.birth_place_code(code),
            "created_at": now,
            "updated_at": now,
        }
        with self._writing() as batch:
            conn = batch.conn
            if conn.execute(select(Patient.id).where(Patient.codice_fiscale == code)).first():
                raise InvalidInput(detail=f"codice fiscale {code} already registered")
            conn.execute(insert(Patient).values(**values))
            batch.record("patient", values["id"], "create", values, patient_id=values["id"])
        return PatientSummary(
            values["id"],
            code,
            values["surname"],
            values["given_name"],
            data.sex,
            data.birth_date,
            data.birth_place,
        )

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def update_contacts(self, patient_id: str, changes: dict[str, str | None]) -> None:
        """Change addresses, contacts, GP of choice, ATS or tessera sanitaria."""
        unknown = set(changes) - _EDITABLE
        _require(not unknown, f"fields not editable here: {', '.join(sorted(unknown))}")
        with self._writing() as batch:
            result = batch.conn.execute(
                update(Patient)
                .where(Patient.id == patient_id)
                .values(**changes, updated_at=utc_now())
            )
            if result.rowcount != 1:
                raise NotFound(what=patient_id)
            batch.record("patient", patient_id, "update", dict(changes), patient_id=patient_id,
                         detail=",".join(sorted(changes)))

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def record_consent(self, patient_id: str, kind: str, granted: bool) -> None:
        """Record a consent given or revoked (care, shared dossier, FSE)."""
        _require(kind in CONSENT_KINDS, f"consent kind must be one of {CONSENT_KINDS}")
        row: dict[str, Any] = {
            "id": new_id(),
            "patient_id": patient_id,
            "kind": kind,
            "granted": granted,
            "recorded_at": utc_now(),
            "recorded_by": self._actor.username,
        }
        with self._writing() as batch:
            conn = batch.conn
            if conn.execute(select(Patient.id).where(Patient.id == patient_id)).first() is None:
                raise NotFound(what=patient_id)
            conn.execute(insert(Consent).values(**row))
            batch.record("consent", row["id"], "create", row, patient_id=patient_id,
                         action="consent.record", detail=f"{kind}={'yes' if granted else 'no'}")

    @requires(Permission.READ_DEMOGRAPHICS)
    def consents(self, patient_id: str) -> dict[str, bool]:
        """The latest decision for each consent kind."""
        with self._read() as conn:
            rows = conn.execute(
                select(Consent.kind, Consent.granted)
                .where(Consent.patient_id == patient_id)
                .order_by(Consent.recorded_at, Consent.id)
            ).all()
        return {kind: granted for kind, granted in rows}


def _require(condition: object, detail: str) -> None:
    if not condition:
        raise InvalidInput(detail=detail)


__all__ = ["PatientService", "run_search", "search_statements"]
