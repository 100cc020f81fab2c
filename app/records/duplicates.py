"""Is this person already registered? Matches by codice fiscale, names and birth date.

Two indexed lookups only (the codice fiscale's unique index and the birth-date index),
so the check costs about a millisecond at 200,000 patients; names are compared in
Python on the few people born on the same day.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from app.core.errors import InvalidInput
from app.core.i18n import _
from app.records import codice_fiscale as cf
from app.records.model import Patient
from app.records.search_keys import search_key
from app.records.services.views import PatientInput, PatientSummary

MAX_DISTANCE = 2  # Damerau-Levenshtein distance between "surname+name" keys
_PHONETIC = ((re.compile(r"PH"), "F"), (re.compile(r"H"), ""), (re.compile(r"[KQ]"), "C"),
             (re.compile(r"[JY]"), "I"), (re.compile(r"W"), "V"), (re.compile(r"X"), "S"),
             (re.compile(r"(.)\1+"), r"\1"))


class DuplicateReason(enum.Enum):
    """Why an existing patient may be the person being registered, strongest first."""

    SAME_CODICE_FISCALE = 1
    SAME_NAME_AND_BIRTH_DATE = 2
    SIMILAR_NAME_SAME_BIRTH_DATE = 3
    SAME_NAME_DAY_MONTH_SWAPPED = 4


def reason_text(reason: DuplicateReason) -> str:
    """The reason as the warning shows it."""
    return {
        DuplicateReason.SAME_CODICE_FISCALE: _("same codice fiscale"),
        DuplicateReason.SAME_NAME_AND_BIRTH_DATE: _("same surname, name and birth date"),
        DuplicateReason.SIMILAR_NAME_SAME_BIRTH_DATE: _("similar name, same birth date"),
        DuplicateReason.SAME_NAME_DAY_MONTH_SWAPPED:
            _("same name, birth date with day and month swapped"),
    }[reason]


@dataclass(frozen=True)
class DuplicateHit:
    """An existing patient who may be the same person, and why."""

    patient: PatientSummary
    reason: DuplicateReason

    @property
    def description(self) -> str:
        """Why this patient is shown (translated)."""
        return reason_text(self.reason)


def phonetic_key(text: str) -> str:
    """A rough Italian sound key: "Cristina" and "Christina", "Rossi" and "Rosi" agree."""
    key = search_key(text)
    for pattern, replacement in _PHONETIC:
        key = pattern.sub(replacement, key)
    return key


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): typos and swapped letters."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def similar_names(surname: str, given: str, other_surname: str, other_given: str) -> bool:
    """The same person's name mistyped, spelt otherwise, or with surname and name swapped."""
    mine = search_key(surname + given)
    theirs = search_key(other_surname + other_given)
    swapped = search_key(other_given + other_surname)
    return (phonetic_key(mine) == phonetic_key(theirs) or mine == swapped
            or edit_distance(mine, theirs) <= MAX_DISTANCE)


def _code(candidate: PatientInput) -> str | None:
    code = cf.normalise(candidate.codice_fiscale)
    if code:
        return code
    try:
        return cf.derive(candidate.surname, candidate.given_name, candidate.sex,
                         candidate.birth_date, candidate.birth_place,
                         province=candidate.birth_province)
    except InvalidInput:
        return None  # the form is not complete yet: names and date still match


def _swapped(day: date) -> date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


_COLUMNS = (Patient.id, Patient.codice_fiscale, Patient.surname, Patient.given_name,
            Patient.sex, Patient.birth_date, Patient.birth_place, Patient.gp_id)


def _summary(row: object) -> PatientSummary:
    return PatientSummary(*(getattr(row, c.key) for c in _COLUMNS))


def _reason_by_name(candidate: PatientInput, patient: PatientSummary) -> DuplicateReason | None:
    same_name = (search_key(candidate.surname) == search_key(patient.surname)
                 and search_key(candidate.given_name) == search_key(patient.given_name))
    if patient.birth_date == candidate.birth_date:
        if same_name:
            return DuplicateReason.SAME_NAME_AND_BIRTH_DATE
        if similar_names(candidate.surname, candidate.given_name, patient.surname,
                         patient.given_name):
            return DuplicateReason.SIMILAR_NAME_SAME_BIRTH_DATE
        return None
    return DuplicateReason.SAME_NAME_DAY_MONTH_SWAPPED if same_name else None


def find_duplicates(conn: Connection, candidate: PatientInput,
                    exclude_id: str | None = None) -> list[DuplicateHit]:
    """Registered patients who may be ``candidate`` (never ``exclude_id``), strongest first."""
    hits: dict[str, DuplicateHit] = {}
    code = _code(candidate)
    if code:
        for row in conn.execute(select(*_COLUMNS).where(Patient.codice_fiscale == code)):
            hits[row.id] = DuplicateHit(_summary(row), DuplicateReason.SAME_CODICE_FISCALE)
    if candidate.surname.strip() and candidate.given_name.strip():
        days = [d for d in (candidate.birth_date, _swapped(candidate.birth_date)) if d]
        for row in conn.execute(select(*_COLUMNS).where(Patient.birth_date.in_(days))):
            if row.id in hits:
                continue
            patient = _summary(row)
            reason = _reason_by_name(candidate, patient)
            if reason is not None:
                hits[row.id] = DuplicateHit(patient, reason)
    hits.pop(exclude_id or "", None)
    return sorted(hits.values(), key=lambda h: (h.reason.value, search_key(h.patient.surname),
                                                search_key(h.patient.given_name)))
