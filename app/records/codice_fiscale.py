"""Codice fiscale: validation, derivation and consistency with the demographics."""

from __future__ import annotations

from datetime import date, datetime

from codicefiscale import codicefiscale as cf_lib

from app.core.errors import InvalidCodiceFiscale


def normalise(value: str) -> str:
    """Upper-case without spaces."""
    return "".join(value.split()).upper()


def validate(value: str) -> str:
    """The normalised codice fiscale, or InvalidCodiceFiscale (check letter, omocodia allowed)."""
    code = normalise(value)
    if len(code) != 16 or not cf_lib.is_valid(code):
        raise InvalidCodiceFiscale(value=value)
    return code


def derive(surname: str, given_name: str, sex: str, birth_date: date, birth_place: str) -> str:
    """Compute the codice fiscale from the demographics (birth place: name or Belfiore code)."""
    try:
        return str(
            cf_lib.encode(
                lastname=surname,
                firstname=given_name,
                gender="M" if sex == "M" else "F",
                birthdate=datetime(birth_date.year, birth_date.month, birth_date.day),
                birthplace=birth_place,
            )
        )
    except ValueError as exc:
        raise InvalidCodiceFiscale(value=f"{surname} {given_name}: {exc}") from None


def check_consistent(code: str, sex: str, birth_date: date) -> None:
    """Refuse a codice fiscale whose birth date or sex disagree with the demographics."""
    decoded = cf_lib.decode(code)
    born = decoded["birthdate"]
    if decoded["gender"] != sex or born.date() != birth_date:
        raise InvalidCodiceFiscale(value=f"{code} ≠ {sex} {birth_date.isoformat()}")


def birth_place_code(code: str) -> str:
    """The Belfiore code inside a (possibly omocodic) codice fiscale."""
    decoded = cf_lib.decode(code)
    place = decoded.get("birthplace") or {}
    return str(place.get("code", ""))
