"""The rules of an anagrafica: which fields, how each is checked, and the history of changes.

Registration and every later change go through ``clean``: the names, sex, birth date
and birthplace decide the codice fiscale (derived when absent, checked when given), the
phones give their digit keys, the birthplace its Belfiore code and province.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from app.core.clock import utc_now
from app.core.errors import InvalidCodiceFiscale, InvalidInput
from app.records import codice_fiscale as cf
from app.records import places_it
from app.records.codes.health_authorities import authority_name
from app.records.model import User
from app.records.search_keys import phone_key, search_key

IDENTITY_FIELDS = ("surname", "given_name", "sex", "birth_date", "birth_place",
                   "birth_province", "codice_fiscale")
OTHER_FIELDS = ("tessera_sanitaria", "residence_address", "residence_city",
                "residence_postcode", "domicile_address", "domicile_city", "domicile_postcode",
                "phone", "mobile", "email", "gp_id", "ats_code")
# What the history records and update_demographics may change, in the form's order.
DEMOGRAPHIC_FIELDS = IDENTITY_FIELDS + OTHER_FIELDS
# The fields whose change can make two records the same person (duplicate check).
MATCHING_FIELDS = frozenset({"surname", "given_name", "birth_date", "codice_fiscale"})
OLDEST_BIRTH = date(1890, 1, 1)
_LENGTHS = {"surname": 80, "given_name": 80, "birth_place": 80, "residence_address": 200,
            "residence_city": 80, "domicile_address": 200, "domicile_city": 80, "email": 120}
_POSTCODE = re.compile(r"^\d{5}$")
_PHONE = re.compile(r"^\+?[\d\s./()-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_DIGITS6 = re.compile(r"^\d{6}$")
_TESSERA = re.compile(r"^\d{20}$")


@dataclass(frozen=True)
class FieldChange:
    """One field of one version: before and after (None: empty)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class DemographicsVersion:
    """One version of an anagrafica: who changed what, when (version 1: registration)."""

    version: int
    recorded_at: datetime
    recorded_by: str  # user name
    recorded_by_name: str  # full name, as staff know each other
    changes: tuple[FieldChange, ...]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _limit(values: dict[str, Any]) -> None:
    for name, length in _LENGTHS.items():
        value = values.get(name)
        if value is not None and len(value) > length:
            raise InvalidInput("Too long: at most {length} characters", field=name,
                               length=length)


def _identity(values: dict[str, Any], today: date) -> None:
    if not values.get("surname") or not values.get("given_name"):
        raise InvalidInput("Surname and given name are required",
                           field="surname" if not values.get("surname") else "given_name")
    if values.get("sex") not in ("M", "F"):
        raise InvalidInput("Sex must be M or F", field="sex")
    born = values.get("birth_date")
    if not isinstance(born, date) or isinstance(born, datetime):
        raise InvalidInput("The birth date is required", field="birth_date")
    if born > today or born < OLDEST_BIRTH:
        raise InvalidInput("Impossible birth date", field="birth_date")
    if not values.get("birth_place"):
        raise InvalidInput("The birthplace is required", field="birth_place")


def _place(values: dict[str, Any], code: str, known: str | None) -> places_it.Place:
    """The birthplace: the one already known by code, else found by name and province."""
    place = places_it.by_code(known) if known else None
    if place is not None:
        return place
    born: date = values["birth_date"]
    name, province = values["birth_place"], values.get("birth_province")
    # A name shared by two comuni ("Castro") is settled by the code's birthplace.
    hint = cf.birth_place_code(code) if len(code) == cf.LENGTH else None
    candidates = places_it.find(name, province, born) or places_it.find(name, province)
    matching = [p for p in candidates if p.code == hint]
    place = matching[0] if matching else cf.resolve_place(name, province, born)
    values["birth_place"] = place.name
    return place


def _place_and_code(values: dict[str, Any], known_place: str | None) -> None:
    """Resolve the birthplace, then derive or check the codice fiscale against it."""
    code = cf.normalise(values.get("codice_fiscale") or "")
    place = _place(values, code, known_place)
    values["birth_province"] = place.province
    values["birth_place_code"] = place.code
    born: date = values["birth_date"]
    if not code:
        values["codice_fiscale"] = cf.derive(values["surname"], values["given_name"],
                                             values["sex"], born, place.code)
        return
    result = cf.check(code, surname=values["surname"], given_name=values["given_name"],
                      sex=values["sex"], birth_date=born, place_code=place.code)
    if not result.ok:
        raise InvalidCodiceFiscale("Invalid codice fiscale {code}: {problem}", code=code,
                                   problem=result.problems[0].message,
                                   field=result.problems[0].field)
    values["codice_fiscale"] = code


def _contacts(values: dict[str, Any], only: Collection[str]) -> None:
    given = {name: values[name] for name in only if values.get(name) is not None}
    for name in ("residence_postcode", "domicile_postcode"):
        if name in given and not _POSTCODE.match(given[name]):
            raise InvalidInput("The postcode (CAP) has 5 digits", field=name)
    for name in ("phone", "mobile"):
        if name in given and not _phone_ok(given[name]):
            raise InvalidInput("Not a phone number: {number}", field=name, number=given[name])
    if "email" in given and not _EMAIL.match(given["email"]):
        raise InvalidInput("Not an email address: {email}", field="email", email=given["email"])
    if "tessera_sanitaria" in given:
        values["tessera_sanitaria"] = tessera = given["tessera_sanitaria"].replace(" ", "")
        if not _TESSERA.match(tessera):
            raise InvalidInput("The tessera sanitaria number has 20 digits",
                               field="tessera_sanitaria")
    if "ats_code" in given and not _DIGITS6.match(given["ats_code"]):
        raise InvalidInput("The ATS code has 6 digits (e.g. 030321)", field="ats_code")
    if "ats_code" in given and authority_name(given["ats_code"]) is None:
        raise InvalidInput("{code} is not an ASL/ATS code of the Ministry's list",
                           field="ats_code", code=given["ats_code"])


def valid_email(text: str) -> bool:
    """Looks like an email address (what registration accepts)."""
    return bool(_EMAIL.match(text.strip()))


def _phone_ok(number: str) -> bool:
    return bool(_PHONE.match(number)) and 6 <= len(phone_key(number) or "") <= 15


def clean(data: Mapping[str, Any], today: date | None = None, *,
          known_place: str | None = None,
          contacts: Collection[str] = OTHER_FIELDS) -> dict[str, Any]:
    """Checked, normalised demographics plus the keys derived from them (search, phone).

    ``known_place``: the Belfiore code of a birthplace already settled (kept as it is);
    ``contacts``: the other fields to check (a change checks what it changes, so an old
    record's odd phone number never blocks a new address).
    Raises InvalidInput (whose ``field`` names the form field) on the first problem.
    """
    values: dict[str, Any] = {}
    for name in DEMOGRAPHIC_FIELDS:
        value = data.get(name)
        values[name] = value if name == "birth_date" else _text(value)
    if values["sex"]:
        values["sex"] = values["sex"].upper()
    if values["birth_province"]:
        values["birth_province"] = values["birth_province"].upper()
    _limit(values)
    _identity(values, today or date.today())
    _place_and_code(values, known_place)
    _contacts(values, contacts)
    values["surname_key"] = search_key(values["surname"])
    values["given_key"] = search_key(values["given_name"])
    values["phone_key"] = phone_key(values["phone"])
    values["mobile_key"] = phone_key(values["mobile"])
    return values


def check_gp(conn: Connection, gp_id: str | None) -> None:
    """The GP of choice must be an active GP of the center."""
    if gp_id is None:
        return
    row = conn.execute(select(User.role, User.active).where(User.id == gp_id)).first()
    if row is None or row.role != "gp" or not row.active:
        raise InvalidInput("The GP of choice must be an active GP of the center",
                           field="gp_id")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the demographic fields that differ (JSON-ready)."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in DEMOGRAPHIC_FIELDS
        if before.get(name) != after.get(name)
    }


def history_row(row_id: str, patient_id: str, version: int, username: str,
                changes: Mapping[str, list[Any]]) -> dict[str, Any]:
    """A patient_history row."""
    return {"id": row_id, "patient_id": patient_id, "version": version,
            "recorded_at": utc_now(), "recorded_by": username,
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True)}


def field_changes(changes_json: str, gp_names: Mapping[str, str]) -> tuple[FieldChange, ...]:
    """A history row's changes in the form's order; the GP of choice shown by name."""
    changes: dict[str, list[Any]] = json.loads(changes_json)
    order = {name: i for i, name in enumerate(DEMOGRAPHIC_FIELDS)}
    out = []
    for name in sorted(changes, key=lambda n: order.get(n, len(order))):
        before, after = changes[name]
        if name == "gp_id":
            before, after = gp_names.get(before, before), gp_names.get(after, after)
        elif name == "birth_date":
            before = date.fromisoformat(before) if before else None
            after = date.fromisoformat(after) if after else None
        out.append(FieldChange(name, before, after))
    return tuple(out)
