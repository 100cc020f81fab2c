"""How the registration screens name the fields of an anagrafica and write their values."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.formats import format_date
from app.core.i18n import _

EMPTY = "—"


def field_labels() -> dict[str, str]:
    """Each demographic field as the form and the history name it."""
    return {
        "surname": _("Surname"),
        "given_name": _("Given name"),
        "sex": _("Sex"),
        "birth_date": _("Date of birth"),
        "birth_place": _("Place of birth"),
        "birth_province": _("Province of birth"),
        "codice_fiscale": _("Codice fiscale"),
        "tessera_sanitaria": _("Tessera sanitaria"),
        "residence_address": _("Residence: address"),
        "residence_city": _("Residence: city"),
        "residence_postcode": _("Residence: postcode"),
        "domicile_address": _("Domicile: address"),
        "domicile_city": _("Domicile: city"),
        "domicile_postcode": _("Domicile: postcode"),
        "phone": _("Phone"),
        "mobile": _("Mobile"),
        "email": _("Email"),
        "gp_id": _("GP of choice"),
        "ats_code": _("ATS"),
    }


def sex_name(sex: str | None) -> str:
    """"Maschio" / "Femmina"."""
    return {"M": _("Male"), "F": _("Female")}.get(sex or "", sex or "")


def value_text(field: str, value: Any) -> str:
    """A value as a person reads it: dates dd/mm/yyyy, sex in words, a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if field == "sex":
        return sex_name(str(value))
    if isinstance(value, date):
        return format_date(value)
    return str(value)
