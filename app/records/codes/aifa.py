"""The AIFA list of medicines (lista dei farmaci equivalenti): one row per pack.

Columns as published in the HL7 Italia terminology (CodeSystem aifa-ge): ``aic`` (the
pack's marketing authorisation code), ``name``, ``atc``, ``equivalence_group``. Shipped
as ``data/aifa.csv.gz`` (built by ``scripts/build_codes.py``); a newer list is loaded
with ``medirete-admin import-codes --kind aifa``.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from app.core.errors import InvalidInput
from app.core.i18n import _
from app.records.codes.catalog import ATC, csv_reader, decode_text, is_valid_code

AIFA = "aifa"
SHIPPED_FILE = "aifa.csv.gz"
SHIPPED_COLUMNS = ("aic", "name", "atc", "equivalence_group", "release")
AIC_DIGITS = 9
_REQUIRED = ("aic", "name", "atc", "equivalence_group")
_MAX_ERRORS_SHOWN = 5


@dataclass(frozen=True)
class Drug:
    """One pack: AIC, product name, ATC code and its description (the active ingredient),
    equivalence group and the release of the list it comes from."""

    aic: str
    name: str
    atc: str
    atc_description: str
    equivalence_group: str
    release: str = ""


@dataclass
class DrugFile:
    """The packs read from a file and the notes on what was corrected or skipped."""

    drugs: list[Drug]
    notes: list[str] = field(default_factory=list)


def _reader(text: str) -> csv.DictReader[str]:
    return csv_reader(text, _REQUIRED,
                      _("the file has no aic, name, atc and equivalence_group columns"))


def _check(record: dict[str, str | None], line: int, release: str) -> Drug | str:
    """The pack of one record, or the error that refuses it."""
    if None in record or any(value is None for value in record.values()):
        return _("line {line}: wrong number of fields").format(line=line)
    aic = (record.get("aic") or "").strip()
    name = " ".join((record.get("name") or "").split())
    atc = (record.get("atc") or "").strip().upper()
    group = (record.get("equivalence_group") or "").strip().upper()
    if not aic.isdigit() or not 6 <= len(aic) <= AIC_DIGITS:
        return _("line {line}: invalid AIC code {code}").format(line=line, code=aic)
    if not is_valid_code(ATC, atc):
        return _("line {line}: invalid code {code}").format(line=line, code=atc)
    if not name or not group:
        return _("line {line}: empty name or equivalence group").format(line=line)
    row_release = (record.get("release") or "").strip() or release
    return Drug(aic.zfill(AIC_DIGITS), name, atc, "", group, row_release)


def parse_aifa(text: str, default_release: str = "") -> DrugFile:
    """Packs of an AIFA CSV (columns aic, name, atc, equivalence_group)."""
    reader = _reader(text)
    drugs: dict[str, Drug] = {}
    errors: list[str] = []
    notes: list[str] = []
    padded = 0
    try:
        for record in reader:
            checked = _check(record, reader.line_num, default_release)
            if isinstance(checked, str):
                errors.append(checked)
            elif checked.aic in drugs:
                notes.append(_("line {line}: code {code} repeats an earlier line; kept the first")
                             .format(line=reader.line_num, code=checked.aic))
            else:
                padded += checked.aic != (record.get("aic") or "").strip()
                drugs[checked.aic] = checked
    except csv.Error:
        errors.append(_("line {line}: not valid CSV").format(line=reader.line_num))
    if errors:
        shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
        if len(errors) > _MAX_ERRORS_SHOWN:
            shown += " " + _("(and {count} more)").format(count=len(errors) - _MAX_ERRORS_SHOWN)
        raise InvalidInput(detail=shown)
    if not drugs:
        raise InvalidInput(detail=_("the file lists no medicine"))
    if padded:
        # Spreadsheets drop the leading zeros of an AIC (026851016 became 26851016).
        notes.append(_("{count} AIC codes had lost their leading zeros: restored to nine digits")
                     .format(count=padded))
    return DrugFile(list(drugs.values()), notes)


def read_aifa(path: Path, default_release: str = "") -> DrugFile:
    """Packs of the AIFA CSV at ``path``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(detail=_("cannot read {path}").format(path=path)) from exc
    return parse_aifa(decode_text(data), default_release)


def write_shipped_aifa(drugs: Iterable[Drug], target: Path) -> None:
    """Write packs as the compact resource: gzip CSV aic,name,atc,equivalence_group,release."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SHIPPED_COLUMNS)
    ordered = sorted(drugs, key=lambda d: (d.name, d.aic))
    writer.writerows((d.aic, d.name, d.atc, d.equivalence_group, d.release) for d in ordered)
    # mtime=0 keeps the file identical between builds, so git sees no spurious change.
    target.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), 9, mtime=0))


def shipped_drugs() -> list[Drug]:
    """The AIFA list shipped with Medirete."""
    resource = resources.files("app.records.codes.data").joinpath(SHIPPED_FILE)
    text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    return [
        Drug(r["aic"], r["name"], r["atc"], "", r["equivalence_group"], r["release"])
        for r in csv.DictReader(io.StringIO(text, newline=""))
    ]
