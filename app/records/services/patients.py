"""Anagrafica: find, register and update patients (front desk and clinicians)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, func, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidCodiceFiscale, InvalidInput, NotFound
from app.records import codice_fiscale as cf
from app.records import demographics as demo
from app.records import duplicates as dup  # a module: duplicates imports views
from app.records.model import Consent, Patient, PatientHistory, User
from app.records.search_keys import phone_key, prefix_upper_bound, search_key
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote, Service, WriteBatch
from app.records.services.views import PatientDetails, PatientInput, PatientSummary

AnySelect = Select[*tuple[Any, ...]]
SEARCH_LIMIT = 50
MIN_CF_PREFIX = 3
MIN_PHONE_DIGITS = 4
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_PHONE_TEXT = re.compile(r"^\+?[\d\s./()-]+$")
# What update_contacts may change (the whole anagrafica goes through update_demographics).
_EDITABLE = frozenset(demo.OTHER_FIELDS)
CONSENT_KINDS = ("care", "dossier", "fse", "oscuramento")
_KEYS = ("surname_key", "given_key", "birth_place_code", "phone_key", "mobile_key")

_SUMMARY_COLUMNS = (
    Patient.id,
    Patient.codice_fiscale,
    Patient.surname,
    Patient.given_name,
    Patient.sex,
    Patient.birth_date,
    Patient.birth_place,
    Patient.gp_id,
)


def _summary(row: Any) -> PatientSummary:
    return PatientSummary(row.id, row.codice_fiscale, row.surname, row.given_name, row.sex,
                          row.birth_date, row.birth_place, row.gp_id)


def _by_name(surname: str, given: str | None) -> AnySelect:
    conditions = [Patient.surname_key >= surname, Patient.surname_key < prefix_upper_bound(surname)]
    if given is not None:
        if given:
            conditions += [
                Patient.given_key >= given,
                Patient.given_key < prefix_upper_bound(given),
            ]
        conditions.append(Patient.surname_key == surname)
    return select(*_SUMMARY_COLUMNS).where(and_(*conditions)).order_by(
        Patient.surname_key, Patient.given_key)


def _name_statements(query: str) -> list[AnySelect]:
    words = [w for w in re.split(r"[\s,]+", query) if w]
    statements = [_by_name(search_key("".join(words)), None)]
    # "Rossi Mario", "De Luca Anna": every split into surname + given name.
    for cut in range(1, len(words)):
        statements.append(
            _by_name(search_key("".join(words[:cut])), search_key("".join(words[cut:])))
        )
    return statements


def _prefix(column: Any, prefix: str) -> AnySelect:
    # Index order, so a short prefix stops after the first rows instead of sorting all.
    return select(*_SUMMARY_COLUMNS).where(
        column >= prefix, column < prefix_upper_bound(prefix)).order_by(column)


def birth_date_of(text: str) -> date | None:
    """A birth date typed as dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or ddmmyyyy."""
    found = _DATE.match(text) or _DATE_COMPACT.match(text)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def search_statements(text: str) -> list[AnySelect]:
    """The indexed queries for a search text, each in its own index order.

    Surname [given name]; a codice fiscale or any prefix of it from 3 characters ("ROS"
    is searched both ways); a birth date; a phone or mobile number from 4 digits.
    """
    query = text.strip()
    if not query:
        return []
    statements: list[AnySelect] = []
    born = birth_date_of(query)
    if born is not None:
        statements.append(select(*_SUMMARY_COLUMNS).where(Patient.birth_date == born)
                          .order_by(Patient.surname_key, Patient.given_key))
    digits = phone_key(query) or ""
    if _PHONE_TEXT.match(query) and not _DATE.match(query) and len(digits) >= MIN_PHONE_DIGITS:
        statements += [_prefix(Patient.phone_key, digits), _prefix(Patient.mobile_key, digits)]
    compact = cf.normalise(query)
    if len(compact) == cf.LENGTH and cf.looks_like_prefix(compact):
        statements.append(select(*_SUMMARY_COLUMNS).where(Patient.codice_fiscale == compact))
    elif cf.looks_like_prefix(compact, MIN_CF_PREFIX):
        statements.append(_prefix(Patient.codice_fiscale, compact))
    if not any(ch.isdigit() for ch in query) and search_key(query):
        statements += _name_statements(query)
    return statements


def _with_gp_names(conn: Connection, patients: list[PatientSummary]) -> list[PatientSummary]:
    gp_ids = {p.gp_id for p in patients if p.gp_id}
    if not gp_ids:
        return patients
    names = dict(conn.execute(select(User.id, User.full_name).where(User.id.in_(gp_ids))).all())
    return [dataclasses.replace(p, gp_name=names.get(p.gp_id)) if p.gp_id else p
            for p in patients]


def run_search(conn: Connection, text: str, limit: int = SEARCH_LIMIT) -> list[PatientSummary]:
    """Run a patient search on a connection (also used by benchmarks)."""
    found: dict[str, PatientSummary] = {}
    for statement in search_statements(text):
        for row in conn.execute(statement.limit(limit)):
            found.setdefault(row.id, _summary(row))
    ordered = sorted(found.values(),
                     key=lambda p: (search_key(p.surname), search_key(p.given_name)))[:limit]
    return _with_gp_names(conn, ordered)


def _current(conn: Connection, patient_id: str) -> Any:
    row = conn.execute(select(Patient).where(Patient.id == patient_id)).first()
    if row is None:
        raise NotFound(what=patient_id)
    return row


def _refuse_taken_code(conn: Connection, code: str, patient_id: str) -> None:
    taken = conn.execute(select(Patient.id).where(Patient.codice_fiscale == code,
                                                  Patient.id != patient_id)).first()
    if taken:
        raise InvalidInput("Codice fiscale {code} already registered", code=code,
                           field="codice_fiscale")


def _real_code(code: str | None) -> str | None:
    """The codice fiscale under a duplicate's mark (``CODE#…``, set by sync when one
    person was registered on two workstations, app.sync.merges.duplicate_code)."""
    return code.split("#", 1)[0] if code else code


def _unmarked(before: dict[str, Any], changes: Mapping[str, Any],
              ) -> tuple[dict[str, Any], Mapping[str, Any]]:
    """The values to check an edit against, a duplicate's code read without its mark."""
    code = before["codice_fiscale"]
    if not code or "#" not in code:
        return before, changes
    real = _real_code(code)
    if changes.get("codice_fiscale") == code:
        changes = {**changes, "codice_fiscale": real}
    return before | {"codice_fiscale": real}, changes


def _cleaned_change(before: dict[str, Any], changes: Mapping[str, Any],
                    known_place: str) -> dict[str, Any]:
    merged = before | dict(changes)
    place_kept = all(merged[f] == before[f] for f in ("birth_place", "birth_province"))
    changed = {f for f in demo.OTHER_FIELDS if merged[f] != before[f]}
    place = known_place if place_kept else None
    identity = any(merged[f] != before[f] for f in demo.IDENTITY_FIELDS)
    if identity and "codice_fiscale" not in changes:
        try:
            return demo.clean(merged, known_place=place, contacts=changed)
        except InvalidCodiceFiscale:
            merged["codice_fiscale"] = ""  # new names or birth data: compute the code again
    return demo.clean(merged, known_place=place, contacts=changed)


def _summary_of(patient_id: str, values: Mapping[str, Any]) -> PatientSummary:
    return PatientSummary(patient_id, values["codice_fiscale"], values["surname"],
                          values["given_name"], values["sex"], values["birth_date"],
                          values["birth_place"], values["gp_id"])


class PatientService(Service):
    """Find and register patients; demographics only, never clinical content."""

    @requires(Permission.READ_DEMOGRAPHICS)
    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[PatientSummary]:
        """Patients by surname [given name], codice fiscale (or prefix), birth date or phone."""
        with self._read() as conn:
            return run_search(conn, text, limit)

    @requires(Permission.READ_DEMOGRAPHICS)
    def summaries(self, patient_ids: Sequence[str]) -> list[PatientSummary]:
        """List rows for known ids (recent patients), in the order asked; gone ids skipped.

        Not audited, like a search result: what a list row shows is no access to the
        patient's record; opening the patient (``get``) is audited.
        """
        with self._read() as conn:
            rows = conn.execute(select(*_SUMMARY_COLUMNS)
                                .where(Patient.id.in_(list(patient_ids)))).all()
            by_id = {row.id: _summary(row) for row in rows}
            found = [by_id[i] for i in patient_ids if i in by_id]
            return _with_gp_names(conn, found)

    @requires(Permission.READ_DEMOGRAPHICS)
    def get(self, patient_id: str) -> PatientDetails:
        """The full anagrafica of one patient (audited)."""
        with self._read() as conn:
            patient = conn.execute(select(Patient).where(Patient.id == patient_id)).first()
            if patient is None:
                raise NotFound(what=patient_id)
            summary = _with_gp_names(conn, [_summary(patient)])[0]
        self._audit(AuditNote("patient.read", "patient", patient_id, patient_id))
        fields = {c.key: getattr(patient, c.key) for c in Patient.__table__.columns}
        return PatientDetails(summary, fields)

    @requires(Permission.READ_DEMOGRAPHICS)
    def duplicates(self, candidate: PatientInput,
                   exclude_id: str | None = None) -> list[dup.DuplicateHit]:
        """Registered patients who may be this person (same code, same or similar names)."""
        with self._read() as conn:
            return dup.find_duplicates(conn, candidate, exclude_id)

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def register(self, data: PatientInput) -> PatientSummary:
        """Register a patient; the codice fiscale is derived when empty, else checked."""
        values = demo.clean(dataclasses.asdict(data))
        now = utc_now()
        row = values | {"id": new_id(), "created_at": now, "updated_at": now}
        with self._writing() as batch:
            conn = batch.conn
            demo.check_gp(conn, values["gp_id"])
            _refuse_taken_code(conn, values["codice_fiscale"], row["id"])
            conn.execute(insert(Patient).values(**row))
            batch.record("patient", row["id"], "create", row, patient_id=row["id"])
            self._version(batch, row["id"], 1, demo.diff({}, values))
        return _summary_of(row["id"], values)

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def update_demographics(self, patient_id: str, changes: Mapping[str, Any], *,
                            confirmed: Iterable[str] = ()) -> PatientSummary:
        """Change any field of the anagrafica; the codice fiscale is checked or recomputed.

        A change that changes nothing writes nothing; every other one adds a version to
        the patient's history in the same transaction. ``confirmed`` fields are written
        to the change log even when unchanged: a person chose the value held between two
        that workstations wrote at once, and that choice settles the sync conflict on
        every workstation (``app.sync.settle``).
        """
        unknown = (set(changes) | set(confirmed)) - set(demo.DEMOGRAPHIC_FIELDS)
        if unknown:
            raise InvalidInput("Fields that cannot be changed: {fields}",
                               fields=", ".join(sorted(unknown)))
        with self._writing() as batch:
            conn = batch.conn
            current = _current(conn, patient_id)
            before = {name: getattr(current, name) for name in demo.DEMOGRAPHIC_FIELDS}
            values = _cleaned_change(*_unmarked(before, changes), current.birth_place_code)
            if values["codice_fiscale"] == _real_code(before["codice_fiscale"]):
                values["codice_fiscale"] = before["codice_fiscale"]  # a duplicate stays so
            diff = demo.diff(before, values)
            confirm = sorted(set(confirmed) - set(diff))
            if diff or confirm:
                if "gp_id" in diff:
                    demo.check_gp(conn, values["gp_id"])
                if "codice_fiscale" in diff:
                    _refuse_taken_code(conn, values["codice_fiscale"], patient_id)
                written = ({n: values[n] for n in (*diff, *confirm, *_KEYS)}
                           | {"updated_at": utc_now()})
                conn.execute(update(Patient).where(Patient.id == patient_id).values(**written))
                batch.record("patient", patient_id, "update", written, patient_id=patient_id,
                             detail=",".join(sorted(diff or confirm)))
                if diff:
                    version = conn.execute(select(func.max(PatientHistory.version)).where(
                        PatientHistory.patient_id == patient_id)).scalar_one()
                    self._version(batch, patient_id, (version or 0) + 1, diff)
        return _summary_of(patient_id, values)

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def update_contacts(self, patient_id: str, changes: dict[str, str | None]) -> None:
        """Change addresses, contacts, GP of choice, ATS or tessera sanitaria."""
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise InvalidInput("Fields not editable here: {fields}",
                               fields=", ".join(sorted(unknown)))
        self.update_demographics(patient_id, changes)

    @requires(Permission.READ_DEMOGRAPHICS)
    def history(self, patient_id: str) -> list[demo.DemographicsVersion]:
        """Every version of the anagrafica, oldest first: who, when, what changed."""
        with self._read() as conn:
            _current(conn, patient_id)
            rows = conn.execute(select(PatientHistory).where(
                PatientHistory.patient_id == patient_id).order_by(PatientHistory.version)).all()
            staff = conn.execute(select(User.id, User.username, User.full_name)).all()
        gp_names = {u.id: u.full_name for u in staff}
        full_names = {u.username: u.full_name for u in staff}
        return [demo.DemographicsVersion(r.version, r.recorded_at, r.recorded_by,
                                         full_names.get(r.recorded_by, r.recorded_by),
                                         demo.field_changes(r.changes, gp_names))
                for r in rows]

    @requires(Permission.WRITE_DEMOGRAPHICS)
    def record_consent(self, patient_id: str, kind: str, granted: bool) -> None:
        """Record a consent given or revoked (care, shared dossier, FSE, oscuramento)."""
        if kind not in CONSENT_KINDS:
            raise InvalidInput("Consent kind must be one of {kinds}",
                               kinds=", ".join(CONSENT_KINDS))
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

    def _version(self, batch: WriteBatch, patient_id: str, version: int,
                 changes: Mapping[str, list[Any]]) -> None:
        """Add a version to the patient's history, in the write's transaction."""
        row = demo.history_row(new_id(), patient_id, version, self._actor.username, changes)
        batch.conn.execute(insert(PatientHistory).values(**row))
        batch.record("patient_history", row["id"], "create", row, patient_id=patient_id,
                     detail=",".join(sorted(changes)))


__all__ = ["CONSENT_KINDS", "PatientService", "birth_date_of", "run_search",
           "search_statements"]
