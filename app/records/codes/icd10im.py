"""The Ministry of Health's ICD-10-IM workbooks, read as a center downloads them.

Two workbooks (version GAMMA 2.1, valid from 16 February 2026): the systematic list
(row 1 title, row 2 licence, row 3 headers, data from row 4; columns B code, C title,
D type, E parent, G terminal 0/1, Q ICD-9-CM transcoding) and the ICD-9-CM -> ICD-10-IM
transcoding table (title and licence rows, then a header row naming the ICD-9-CM code
and description and the ICD-10-IM code and description; many to many). Their licence
(CC BY-NC-ND 4.0) lets a center read them, not Medirete ship a derived copy: they are
read here and never written anywhere but the center's own record.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import InvalidInput
from app.core.i18n import _
from app.records.codes.catalog import ICD9CM, ICD10IM, is_valid_code
from app.records.codes.folding import fold

# Columns of the systematic list (0-based): B code, C title, D type, E parent,
# G terminal, Q ICD-9-CM transcoding.
_CODE, _TITLE, _TYPE, _PARENT, _TERMINAL, _ICD9 = 1, 2, 3, 4, 6, 16
_LIST_HEADER_ROW = 3
_HEADER_SCAN_ROWS = 30
_MAX_COLUMNS = 40
_MAX_ERRORS_SHOWN = 5
_ONE = {"1", "s", "si", "y", "yes", "x", "true", "vero"}
_ZERO = {"", "0", "n", "no", "false", "falso"}
_MARKS = "+*†‡ "
_SHORT = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,11}")
_ICD9_IN_TEXT = re.compile(
    r"(?<![\w.])(V\d{2}(?:\.\d{1,2})?|E\d{3}(?:\.\d)?|\d{3}(?:\.\d{1,2})?)(?![\w.])"
)
_TITLE_WORDS = ("titol", "descri", "denomin", "title", "testo")
_RELEASE = re.compile(r"V\.?_?([A-Z]+)_(\d+(?:\.\d+)*)", re.IGNORECASE)
_VALID_FROM = re.compile(r"DA_?(\d{2})(\d{2})(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Icd10imCode:
    """One row of the systematic list."""

    code: str
    title: str
    kind: str  # chapter | block | cat3 | cat4 | cat5 (or the type as published)
    parent: str | None
    terminal: bool
    icd9_codes: tuple[str, ...] = ()  # column Q


@dataclass(frozen=True)
class Transcoding:
    """One ICD-9-CM -> ICD-10-IM correspondence."""

    icd9_code: str
    icd9_description: str
    icd10im_code: str
    icd10im_description: str


@dataclass
class SystematicList:
    """The codes of the systematic list and the notes on what was skipped."""

    codes: list[Icd10imCode]
    notes: list[str] = field(default_factory=list)


@dataclass
class TranscodingTable:
    """The correspondences of the transcoding table and the notes on what was skipped."""

    rows: list[Transcoding]
    notes: list[str] = field(default_factory=list)


def text(value: object) -> str:
    """A cell as one line of text: line breaks and runs of spaces become one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("_x000D_", " ").split())


def icd10im_code(value: object) -> str:
    """A cell as an ICD-10-IM code: upper case, no spaces or dagger marks, I2100 -> I21.00."""
    code = text(value).upper().replace(" ", "").strip(_MARKS)
    if "." not in code and re.fullmatch(r"[A-Z]\d{2}[0-9A-Z]{1,3}", code):
        code = f"{code[:3]}.{code[3:]}"
    return code


def icd9_code(value: object) -> str:
    """A cell as an ICD-9-CM code: 42731 -> 427.31, a number 1.0 -> 001.0."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        whole, _dot, decimals = repr(float(value)).partition(".")
        decimals = "" if decimals == "0" and float(value).is_integer() else decimals
        return whole.zfill(3) + (f".{decimals}" if decimals else "")
    code = text(value).upper().replace(" ", "")
    if "." not in code:
        if re.fullmatch(r"[V\d]\d{3,4}", code):
            code = f"{code[:3]}.{code[3:]}"
        elif re.fullmatch(r"E\d{4}", code):
            code = f"{code[:4]}.{code[4:]}"
    return code


def _kind(value: object) -> str:
    folded = fold(text(value)).strip()
    if "cap" in folded or "chapter" in folded:
        return "chapter"
    if "bloc" in folded or "block" in folded:
        return "block"
    digits = [c for c in folded if c.isdigit()]
    if digits and digits[0] in "345":
        return f"cat{digits[0]}"
    return folded.replace(" ", "")[:10]


def _flag(value: object) -> bool | None:
    """Column G: 1 terminal, 0 not; None when it is neither."""
    word = fold(text(value)).strip()
    if word in _ONE:
        return True
    if word in _ZERO:
        return False
    return None


def _icd9_codes(value: object) -> tuple[str, ...]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (icd9_code(value),)
    found = (icd9_code(code) for code in _ICD9_IN_TEXT.findall(text(value).upper()))
    return tuple(dict.fromkeys(found))


@contextmanager
def _workbook_rows(path: Path) -> Iterator[list[list[tuple[Any, ...]]]]:
    """The rows of every sheet (values only); InvalidInput for anything but a workbook."""
    from openpyxl import load_workbook  # 80 ms to import: only when a workbook is read

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInput(detail=_("cannot read {path}").format(path=path)) from exc
    with handle:
        try:
            # A file object: openpyxl then judges the content, not the name's extension.
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                sheets = [list(sheet.iter_rows(max_col=_MAX_COLUMNS, values_only=True))
                          for sheet in book.worksheets]
            finally:
                book.close()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InvalidInput(detail=_("{name} is not an Excel workbook (.xlsx)")
                               .format(name=path.name)) from exc
        except Exception as exc:  # noqa: BLE001 - openpyxl's errors on a damaged file vary
            raise InvalidInput(detail=_("{name} is not an Excel workbook (.xlsx)")
                               .format(name=path.name)) from exc
    if not any(any(cell is not None for cell in row) for rows in sheets for row in rows):
        raise InvalidInput(detail=_("the workbook {name} is empty").format(name=path.name))
    yield sheets


def _cell(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _refuse(errors: list[str]) -> None:
    shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
    if len(errors) > _MAX_ERRORS_SHOWN:
        shown += " " + _("(and {count} more)").format(count=len(errors) - _MAX_ERRORS_SHOWN)
    raise InvalidInput(detail=shown)


def release_label(path: Path) -> str:
    """The version and validity a Ministry file's name carries ("GAMMA 2.1 16/02/2026")."""
    parts = []
    if found := _RELEASE.search(path.stem):
        parts.append(f"{found[1].upper()} {found[2]}")
    if valid := _VALID_FROM.search(path.stem):
        parts.append(f"{valid[1]}/{valid[2]}/{valid[3]}")
    return " ".join(parts) or path.stem[:40]


# --- the systematic list -----------------------------------------------------------


def _list_header(rows: list[tuple[Any, ...]]) -> int | None:
    """The index of the header row (row 3 as published), found by its content."""
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        code, title = fold(text(_cell(row, _CODE))), fold(text(_cell(row, _TITLE)))
        if "cod" in code and any(word in title for word in _TITLE_WORDS):
            return index
    return None


def _list_row(row: tuple[Any, ...], number: int) -> Icd10imCode | str | None:
    """One code, the error that refuses the row, or None for a blank row."""
    code = icd10im_code(_cell(row, _CODE))
    if not code:
        return None
    title = text(_cell(row, _TITLE))
    terminal = _flag(_cell(row, _TERMINAL))
    if not title:
        return _("row {row}: code {code} has no title").format(row=number, code=code)
    if terminal is None:
        return _("row {row}: column G of {code} is neither 0 nor 1").format(row=number, code=code)
    valid = is_valid_code(ICD10IM, code) if terminal else _SHORT.fullmatch(code) is not None
    if not valid:
        return _("row {row}: invalid code {code}").format(row=number, code=code)
    parent = icd10im_code(_cell(row, _PARENT)) or None
    return Icd10imCode(code, title, _kind(_cell(row, _TYPE)), parent, terminal,
                       _icd9_codes(_cell(row, _ICD9)))


def _parse_list(rows: list[tuple[Any, ...]], header: int) -> SystematicList:
    result = SystematicList([])
    errors: list[str] = []
    seen: dict[str, int] = {}
    for index in range(header + 1, len(rows)):
        number = index + 1
        found = _list_row(rows[index], number)
        if isinstance(found, str):
            errors.append(found)
        elif found is not None and found.code in seen:
            result.notes.append(_("row {row}: code {code} repeats row {first}; kept the first")
                                .format(row=number, code=found.code, first=seen[found.code]))
        elif found is not None:
            seen[found.code] = number
            result.codes.append(found)
    if errors:
        _refuse(errors)
    return result


def read_systematic_list(path: Path) -> SystematicList:
    """The codes of the systematic list at ``path`` (the first sheet laid out as published)."""
    with _workbook_rows(path) as sheets:
        for rows in sheets:
            header = _list_header(rows)
            guessed = header is None  # headers worded otherwise: row 3, as published
            try:
                parsed = _parse_list(rows, _LIST_HEADER_ROW - 1 if guessed else header or 0)
            except InvalidInput:
                if guessed:
                    continue  # another sheet, or another file altogether
                raise
            if any(code.terminal for code in parsed.codes):
                return parsed
    raise InvalidInput(detail=_(
        "{name} is not the ICD-10-IM systematic list: expected a header row (row {row}) "
        "with the code in column B and the title in column C, then the codes"
    ).format(name=path.name, row=_LIST_HEADER_ROW))


# --- the transcoding table ---------------------------------------------------------

_ROLES = (("9", "code"), ("9", "desc"), ("10", "code"), ("10", "desc"))


def _label_role(label: str) -> tuple[str, str] | None:
    """(system, role) a header label names: ICD-9-CM or ICD-10-IM, code or description."""
    squeezed = label.replace(" ", "")
    system = "10" if "icd10" in squeezed else "9" if "icd9" in squeezed else None
    if system is None:
        return None
    described = any(word in label for word in _TITLE_WORDS)
    return system, "desc" if described else "code"


def _table_columns(rows: list[tuple[Any, ...]], index: int) -> dict[tuple[str, str], int] | None:
    """The columns of the four roles if row ``index`` is the header row.

    A label may be split over two rows ("ICD-9-CM" above "codice"): the row above, carried
    to the right over merged cells, is read with it.
    """
    above = rows[index - 1] if index else ()
    carried = ""
    columns: dict[tuple[str, str], int] = {}
    for column, value in enumerate(rows[index]):
        carried = fold(text(_cell(above, column))).strip() or carried
        role = _label_role(fold(text(value))) or _label_role(f"{carried} {fold(text(value))}")
        if role is not None and role not in columns and text(value):
            columns[role] = column
    return columns if all(role in columns for role in _ROLES) else None


def _table_row(row: tuple[Any, ...], columns: dict[tuple[str, str], int],
               number: int) -> Transcoding | str | None:
    source = icd9_code(_cell(row, columns["9", "code"]))
    target = icd10im_code(_cell(row, columns["10", "code"]))
    if not source or not target:
        return None  # a blank row, or an ICD-9-CM code without correspondence
    if not is_valid_code(ICD9CM, source):
        return _("row {row}: invalid code {code}").format(row=number, code=source)
    if not is_valid_code(ICD10IM, target) and _SHORT.fullmatch(target) is None:
        return _("row {row}: invalid code {code}").format(row=number, code=target)
    return Transcoding(source, text(_cell(row, columns["9", "desc"])), target,
                       text(_cell(row, columns["10", "desc"])))


def _parse_table(rows: list[tuple[Any, ...]], header: int,
                 columns: dict[tuple[str, str], int]) -> TranscodingTable:
    result = TranscodingTable([])
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    unmatched = 0
    for index in range(header + 1, len(rows)):
        found = _table_row(rows[index], columns, index + 1)
        if isinstance(found, str):
            errors.append(found)
        elif found is None:
            unmatched += bool(text(_cell(rows[index], columns["9", "code"])))
        elif (found.icd9_code, found.icd10im_code) not in seen:
            seen.add((found.icd9_code, found.icd10im_code))
            result.rows.append(found)
    if errors:
        _refuse(errors)
    if unmatched:
        result.notes.append(_("{count} ICD-9-CM codes without an ICD-10-IM code were skipped")
                            .format(count=unmatched))
    return result


def read_transcoding_table(path: Path) -> TranscodingTable:
    """The correspondences of the transcoding table at ``path``."""
    with _workbook_rows(path) as sheets:
        for rows in sheets:
            for index in range(min(len(rows), _HEADER_SCAN_ROWS)):
                columns = _table_columns(rows, index)
                if columns is not None:
                    parsed = _parse_table(rows, index, columns)
                    if parsed.rows:
                        return parsed
    raise InvalidInput(detail=_(
        "{name} is not the ICD-9-CM -> ICD-10-IM transcoding table: expected a header row "
        "with the ICD-9-CM code and description and the ICD-10-IM code and description"
    ).format(name=path.name))
