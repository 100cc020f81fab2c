"""Reading code-list files: the official CSV export and the resources shipped with Medirete.

ICD-10-IM comes from the Ministry's workbooks instead (``icd10im.py``), the AIFA list of
medicines from its own CSV (``aifa.py``).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from app.core.errors import InvalidInput
from app.core.i18n import _
from app.records.codes.repair import repair_description

ICD9CM = "icd9cm"
ATC = "atc"
ICD10IM = "icd10im"
# The lists Medirete ships, from the CSV exports; ICD-10-IM is never shipped (its licence
# forbids derived copies): a center loads the Ministry's workbooks (icd10im.py).
CODE_SYSTEMS = (ICD9CM, ATC)
ALL_SYSTEMS = (*CODE_SYSTEMS, ICD10IM)

_CODE_PATTERNS = {
    # Diagnoses 250.00, V45.81, E800.0; procedures 89.52 (chapters such as 00 too).
    ICD9CM: re.compile(r"\d{3}(\.\d{1,2})?|V\d{2}(\.\d{1,2})?|E\d{3}(\.\d)?|\d{2}(\.\d{1,2})?"),
    # Anatomical group A, then A10, A10B, A10BA, A10BA02.
    ATC: re.compile(r"[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?"),
    # A category I21, a subcategory I21.0, an Italian fifth character I21.00.
    ICD10IM: re.compile(r"[A-Z]\d{2}(\.[0-9A-Z]{1,3})?"),
}
_ATC_DIGIT_SLOTS = (1, 2, 5, 6)
_MAX_ERRORS_SHOWN = 5
_SHIPPED_FILES = {ICD9CM: "icd9cm.csv.gz", ATC: "atc.csv.gz"}


@dataclass(frozen=True)
class CodeRow:
    """One code with its description as shown to the user and its release label.

    ``heading`` marks a non-terminal ICD-10-IM code (I21.0): shown, never picked.
    ``parent_title`` (search results) is the title of the code above it: "Ipertensione"
    alone is 997.91, a complication, under "Complicazioni interessanti altri sistemi…".
    """

    code: str
    description: str
    release: str = ""
    heading: bool = False
    parent_title: str = ""


@dataclass(frozen=True)
class Unrepaired:
    """A description whose lost characters could not all be rebuilt."""

    code: str
    original: str
    shown: str


@dataclass
class CodeFile:
    """The rows read from a file and the notes on what was corrected or skipped."""

    rows: list[CodeRow]
    notes: list[str] = field(default_factory=list)


def check_system(system: str) -> None:
    """Refuse a code system Medirete does not know."""
    if system not in ALL_SYSTEMS:
        raise InvalidInput(detail=_("unknown code system {system}").format(system=system))


def is_valid_code(system: str, code: str) -> bool:
    """Whether ``code`` has the shape of a code of ``system``."""
    check_system(system)
    return _CODE_PATTERNS[system].fullmatch(code) is not None


def _normalise_code(system: str, code: str) -> str:
    if system == ATC and not is_valid_code(system, code) and len(code) == 7:
        # A letter O typed where ATC wants a digit (JO5AR13) is a known slip of the export.
        chars = list(code)
        for slot in _ATC_DIGIT_SLOTS:
            if chars[slot] == "O":
                chars[slot] = "0"
        code = "".join(chars)
    return code


def decode_text(data: bytes) -> str:
    """Text of a code file: UTF-8 with or without BOM, else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def csv_reader(text: str, required: tuple[str, ...], missing: str) -> csv.DictReader[str]:
    """Rows of an official CSV export (``;`` or ``,``), column names in lower case;
    InvalidInput with the translated ``missing`` when a ``required`` column is absent."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        names = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error:
        names = []
    if not all(column in names for column in required):
        raise InvalidInput(detail=missing)
    reader.fieldnames = names
    return reader


def _reader(text: str) -> csv.DictReader[str]:
    return csv_reader(text, ("code", "description"),
                      _("the file has no code and description columns"))


def _release(record: dict[str, str | None], default: str) -> str:
    version = (record.get("version") or "").strip()
    date = (record.get("release_date") or record.get("release") or "").strip()
    return " ".join(part for part in (version, date) if part) or default


def _leading_zero_lost(code: str, all_codes: set[str]) -> str | None:
    """The three-digit diagnosis a repeated short code stands for (43 for 043), if any."""
    padded = code.zfill(3)
    # Only when 043 itself is missing but its subdivisions 043.x are there.
    if code.isdigit() and len(code) < 3 and padded not in all_codes:
        if any(other.startswith(padded + ".") for other in all_codes):
            return padded
    return None


def _check_record(
    record: dict[str, str | None], line: int, system: str, notes: list[str]
) -> tuple[str, str] | str:
    """The code and description of one record, or the error that refuses it."""
    if None in record or any(value is None for value in record.values()):
        return _("line {line}: wrong number of fields").format(line=line)
    raw = (record.get("code") or "").strip().upper()
    code = _normalise_code(system, raw)
    if code != raw:
        notes.append(
            _("line {line}: code {code} read as {fixed}").format(line=line, code=raw, fixed=code)
        )
    description = " ".join((record.get("description") or "").split())
    if not is_valid_code(system, code):
        return _("line {line}: invalid code {code}").format(line=line, code=code)
    if not description:
        return _("line {line}: empty description").format(line=line)
    return code, description


def parse_codes(text: str, system: str, default_release: str = "") -> CodeFile:
    """Rows of a code CSV (columns version, code, description, release_date), as published."""
    check_system(system)
    records: list[tuple[int, str, str, str]] = []
    errors: list[str] = []
    notes: list[str] = []
    reader = _reader(text)
    try:
        for record in reader:
            checked = _check_record(record, reader.line_num, system, notes)
            if isinstance(checked, str):
                errors.append(checked)
            else:
                records.append((reader.line_num, *checked, _release(record, default_release)))
    except csv.Error:
        # The csv module's own English text would mean nothing to a GP.
        errors.append(_("line {line}: not valid CSV").format(line=reader.line_num))
    if errors:
        shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
        if len(errors) > _MAX_ERRORS_SHOWN:
            shown += " " + _("(and {count} more)").format(count=len(errors) - _MAX_ERRORS_SHOWN)
        raise InvalidInput(detail=shown)
    return _deduplicate(records, notes)


def _deduplicate(records: list[tuple[int, str, str, str]], notes: list[str]) -> CodeFile:
    all_codes = {code for _line, code, _desc, _rel in records}
    seen: dict[str, int] = {}
    result = CodeFile(rows=[], notes=notes)
    for line, raw, description, release in records:
        code = raw
        if code in seen:
            restored = _leading_zero_lost(code, all_codes)
            if restored is None:
                result.notes.append(
                    _("line {line}: code {code} repeats line {first}; kept the first").format(
                        line=line, code=code, first=seen[code]
                    )
                )
                continue
            result.notes.append(
                _("line {line}: code {code} read as {fixed}").format(
                    line=line, code=code, fixed=restored
                )
            )
            code = restored
            all_codes.add(code)
        seen[code] = line
        result.rows.append(CodeRow(code, description, release))
    return result


def read_codes(path: Path, system: str, default_release: str = "") -> CodeFile:
    """Rows of the code file at ``path`` (descriptions as published, not yet repaired)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(detail=_("cannot read {path}").format(path=path)) from exc
    return parse_codes(decode_text(data), system, default_release)


def repair_rows(rows: Iterable[CodeRow]) -> tuple[list[CodeRow], list[Unrepaired]]:
    """The rows with repaired descriptions, and those that could not be fully repaired."""
    repaired: list[CodeRow] = []
    unrepaired: list[Unrepaired] = []
    for row in rows:
        shown, complete = repair_description(row.description)
        if not complete:
            unrepaired.append(Unrepaired(row.code, row.description, shown))
        repaired.append(CodeRow(row.code, shown, row.release))
    return repaired, unrepaired


def write_shipped(rows: Iterable[CodeRow], target: Path) -> None:
    """Write rows as the compact resource format: gzip CSV code,description,release."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "description", "release"))
    writer.writerows((row.code, row.description, row.release) for row in rows)
    # mtime=0 keeps the file identical between builds, so git sees no spurious change.
    target.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), 9, mtime=0))


def shipped_codes(system: str) -> list[CodeRow]:
    """The code list shipped with Medirete for ``system``, already repaired."""
    if system not in CODE_SYSTEMS:
        raise InvalidInput(detail=_("unknown code system {system}").format(system=system))
    resource = resources.files("app.records.codes.data").joinpath(_SHIPPED_FILES[system])
    text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [CodeRow(r["code"], r["description"], r["release"]) for r in reader]
