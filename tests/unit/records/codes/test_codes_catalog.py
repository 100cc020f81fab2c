"""Reading official code files and the lists shipped with Medirete."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InvalidInput
from app.core.i18n import language, set_language
from app.records.codes.catalog import (
    ATC,
    CODE_SYSTEMS,
    ICD9CM,
    CodeRow,
    is_valid_code,
    parse_codes,
    read_codes,
    repair_rows,
    shipped_codes,
    write_shipped,
)

OFFICIAL = """version,code,description,release_date
"",250.00,"Diabete mellito, tipo II",
"",V45.81,Bypass aortocoronarico,
"",E800.0,Incidente ferroviario,
"",89.52,Elettrocardiogramma,
"",401.9,Ipertensione essenziale non specificata,
"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Error details are written in the language in force when raised: pin it."""
    before = language()
    set_language("en")
    yield
    set_language(before)


@pytest.mark.parametrize(
    "code", ["250.00", "250.0", "250", "V45.81", "V01", "E800.0", "E800", "89.52", "00"]
)
def test_icd9cm_codes_accepted(code: str) -> None:
    assert is_valid_code(ICD9CM, code)


@pytest.mark.parametrize("code", ["250.000", "2500", "X45.81", "E800.01", "8.5", "", "250,00"])
def test_icd9cm_codes_refused(code: str) -> None:
    assert not is_valid_code(ICD9CM, code)


@pytest.mark.parametrize("code", ["A", "A10", "A10B", "A10BA", "A10BA02"])
def test_atc_codes_accepted(code: str) -> None:
    assert is_valid_code(ATC, code)


@pytest.mark.parametrize("code", ["A1", "A10BA2", "A10BA021", "110BA02", "a10ba02x"])
def test_atc_codes_refused(code: str) -> None:
    assert not is_valid_code(ATC, code)


def test_official_format_is_read() -> None:
    parsed = parse_codes(OFFICIAL, ICD9CM, default_release="2007")
    assert [r.code for r in parsed.rows] == ["250.00", "V45.81", "E800.0", "89.52", "401.9"]
    assert parsed.rows[0] == CodeRow("250.00", "Diabete mellito, tipo II", "2007")
    assert parsed.notes == []


def test_bom_semicolons_and_quotes_are_tolerated(tmp_path: Path) -> None:
    text = (
        'CODE;Description;version;release_date\r\n"A10BA02";"METFORMINA; orale";AIFA;2024-01-01\r\n'
    )
    path = tmp_path / "atc.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    parsed = read_codes(path, ATC)
    assert parsed.rows == [CodeRow("A10BA02", "METFORMINA; orale", "AIFA 2024-01-01")]


def test_windows_1252_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "icd.csv"
    path.write_bytes("code,description\n401.9,Ipertensione dell'età adulta\n".encode("cp1252"))
    assert read_codes(path, ICD9CM).rows[0].description == "Ipertensione dell'età adulta"


def test_bad_rows_are_reported_with_their_line() -> None:
    text = OFFICIAL + '"",25X.0,Codice sbagliato,\n"",401.1,,\n'
    with pytest.raises(InvalidInput) as caught:
        parse_codes(text, ICD9CM)
    message = caught.value.user_message("en")
    assert "line 7: invalid code 25X.0" in message
    assert "line 8: empty description" in message


def test_bad_rows_are_reported_in_the_language_in_force() -> None:
    set_language("it")
    with pytest.raises(InvalidInput) as caught:
        parse_codes(OFFICIAL + '"",25X.0,Codice sbagliato,\n', ICD9CM)
    assert "riga 7: codice non valido 25X.0" in caught.value.user_message("it")


def test_many_bad_rows_are_summarised() -> None:
    text = "code,description\n" + "".join(f"X{n},bad\n" for n in range(9))
    with pytest.raises(InvalidInput) as caught:
        parse_codes(text, ICD9CM)
    assert "(and 4 more)" in caught.value.user_message("en")


def test_file_without_columns_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_codes("a,b\n1,2\n", ICD9CM)


def test_unknown_system_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_codes(OFFICIAL, "snomed")


def test_missing_file_is_an_expected_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        read_codes(tmp_path / "none.csv", ICD9CM)


def test_known_slips_of_the_export_are_corrected() -> None:
    icd = "code,description\n43,Incisione dello stomaco\n43,COVID-19\n043.1,COVID-19 conclamata\n"
    parsed = parse_codes(icd, ICD9CM)
    assert [r.code for r in parsed.rows] == ["43", "043", "043.1"]
    atc = "code,description\nJ05AR13,LAMIVUDINA\nJO5AR13,LAMIVUDINA\nJO5AR14,DARUNAVIR\n"
    parsed = parse_codes(atc, ATC)
    assert [r.code for r in parsed.rows] == ["J05AR13", "J05AR14"]
    assert len(parsed.notes) == 3


@given(st.text(max_size=300))
def test_parser_raises_only_its_own_error(text: str) -> None:
    try:
        parse_codes("code,description\n" + text, ICD9CM)
    except InvalidInput:
        pass


def test_repair_rows_lists_what_it_could_not_repair() -> None:
    rows = [CodeRow("E869.3", "Gas ??gas"), CodeRow("V07.00", "Necessit?? di isolamento")]
    repaired, unrepaired = repair_rows(rows)
    assert [r.description for r in repaired] == ["Gas gas", "Necessità di isolamento"]
    assert [(u.code, u.original, u.shown) for u in unrepaired] == [
        ("E869.3", "Gas ??gas", "Gas gas")
    ]


def test_shipped_format_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "x.csv.gz"
    rows = [CodeRow("250.00", 'Diabete, "tipo II"', "2007")]
    write_shipped(rows, target)
    assert gzip.decompress(target.read_bytes()).decode().startswith("code,description,release\n")


@pytest.mark.parametrize("system", CODE_SYSTEMS)
def test_shipped_lists_show_no_question_mark(system: str) -> None:
    rows = shipped_codes(system)
    assert len(rows) > 7000
    assert [r for r in rows if "?" in r.description] == []
    assert len({r.code for r in rows}) == len(rows)
    assert all(is_valid_code(system, r.code) for r in rows)


def test_shipped_lists_hold_the_common_gp_codes() -> None:
    icd = {r.code: r.description for r in shipped_codes(ICD9CM)}
    assert icd["250.00"].startswith("Diabete mellito")
    assert icd["401.9"] == "Ipertensione essenziale non specificata"
    assert "respiratorie" in icd["496"]
    assert "Insufficienza cardiaca" in icd["428.0"]
    assert "renale cronica" in icd["585"]
    assert "Necessità" in icd["V07.00"]
    assert icd["202.2"] == "Malattia di Sézary"
    atc = {r.code: r.description for r in shipped_codes(ATC)}
    assert atc["A10BA02"] == "METFORMINA"
    assert atc["B06AC"] == "FARMACI USATI NELL’ANGIOEDEMA EREDITARIO"


def test_broken_csv_is_an_expected_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_codes("code,description\n401.9," + "x" * 200_000 + "\n", ICD9CM)
    assert "line" in caught.value.user_message("en")
