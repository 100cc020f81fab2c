"""ICD-10-IM: the Ministry's two workbooks read as published, loaded, searched, transcoded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, func, select

from app.core import i18n
from app.core.errors import InvalidInput
from app.records.codes.catalog import ICD9CM, ICD10IM, CodeRow
from app.records.codes.icd10im import (
    icd9_code,
    icd10im_code,
    read_systematic_list,
    read_transcoding_table,
    release_label,
)
from app.records.codes.imports import import_list
from app.records.codes.store import describe_code, replace_codes, search_codes
from app.records.codes.transcoding import (
    ICD9_ICD10IM,
    icd9cm_candidates,
    icd10im_candidates,
    icd10im_loaded,
)
from app.records.model import Base
from app.records.model.codes import CodeTranscoding
from tests.unit.records.codes.icd10im_workbooks import (
    LIST_ROWS,
    TABLE_ROWS,
    systematic_list,
    transcoding_table,
    workbook,
)

# What a cell can hold (openpyxl refuses control characters when writing).
_CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:  # the few ICD-9-CM codes the examples need
        replace_codes(conn, ICD9CM, [
            CodeRow("401.9", "Ipertensione essenziale non specificata"),
            CodeRow("412", "Infarto miocardico pregresso"),
            CodeRow("427.31", "Fibrillazione atriale"),
        ])
    yield engine
    engine.dispose()


def _codes(rows: list[CodeRow]) -> list[str]:
    return [row.code for row in rows]


def test_the_systematic_list_is_read_as_published(tmp_path: Path) -> None:
    parsed = read_systematic_list(systematic_list(tmp_path))
    by_code = {code.code: code for code in parsed.codes}
    assert len(parsed.codes) == len(LIST_ROWS)
    heading, terminal = by_code["I21.0"], by_code["I21.00"]
    assert (heading.terminal, heading.kind, heading.parent) == (False, "cat4", "I21")
    assert (terminal.terminal, terminal.kind, terminal.icd9_codes) == (True, "cat5", ("410.01",))
    # A line break inside a cell becomes a space.
    assert terminal.title == ("Infarto miocardico acuto transmurale della parete anteriore, "
                              "episodio iniziale di assistenza")
    assert by_code["A18.8"].title == "Tubercolosi di altri organi specificati (+ possibile)"
    assert by_code["I10"].icd9_codes == ("401.1", "401.9")
    assert (by_code["IX"].kind, by_code["I20-I25"].kind) == ("chapter", "block")
    assert not by_code["I48.9"].terminal


def test_the_header_row_is_found_by_its_content(tmp_path: Path) -> None:
    shifted = read_systematic_list(systematic_list(tmp_path, title_rows=4))
    assert len(shifted.codes) == len(LIST_ROWS)
    table = read_transcoding_table(transcoding_table(tmp_path, blank_rows=6))
    assert len(table.rows) == len(TABLE_ROWS) - 1
    assert table.notes == ["1 ICD-9-CM codes without an ICD-10-IM code were skipped"]


def test_the_transcoding_table_is_many_to_many(tmp_path: Path) -> None:
    rows = read_transcoding_table(transcoding_table(tmp_path)).rows
    fibrillation = [r.icd10im_code for r in rows if r.icd9_code == "427.31"]
    assert fibrillation == ["I48.0", "I48.1", "I48.90"]
    infarction = {r.icd9_code: r.icd10im_code for r in rows if r.icd9_code.startswith("410")}
    assert infarction == {"410.01": "I21.00", "410.00": "I21.08"}
    later = next(r for r in rows if r.icd10im_code == "I21.08")
    assert "\n" not in later.icd10im_description and "anteriore, altro" in later.icd10im_description


def test_codes_written_as_numbers_or_without_the_dot_are_read() -> None:
    assert [icd9_code(v) for v in ("42731", 427.31, 412, 1.0, "V4581", "E8193", " 250.00 ")] == [
        "427.31", "427.31", "412", "001", "V45.81", "E819.3", "250.00"]
    assert [icd10im_code(v) for v in ("I4800", "i48.0", "E11.9+", "G01*", "I10")] == [
        "I48.00", "I48.0", "E11.9", "G01", "I10"]


def test_the_release_comes_from_the_file_name(tmp_path: Path) -> None:
    assert release_label(systematic_list(tmp_path)) == "GAMMA 2.1 16/02/2026"
    assert release_label(transcoding_table(tmp_path)) == "GAMMA 2.1"
    assert release_label(Path("elenco.xlsx")) == "elenco"


def _refusal(path: Path, reader: object) -> str:
    with pytest.raises(InvalidInput) as refused:
        reader(path)  # type: ignore[operator]
    return refused.value.user_message()


@pytest.mark.parametrize("reader", [read_systematic_list, read_transcoding_table])
def test_a_file_that_is_not_a_workbook_is_refused_clearly(tmp_path: Path, reader: object) -> None:
    text = tmp_path / "elenco.xlsx"
    text.write_text("codice;titolo\nI10;Ipertensione\n", encoding="utf-8")
    assert "elenco.xlsx is not an Excel workbook (.xlsx)" in _refusal(text, reader)
    empty = workbook(tmp_path / "vuoto.xlsx", [])
    assert "the workbook vuoto.xlsx is empty" in _refusal(empty, reader)
    assert "cannot read" in _refusal(tmp_path / "missing.xlsx", reader)


def test_a_workbook_of_another_layout_is_refused_clearly(tmp_path: Path) -> None:
    other = workbook(tmp_path / "pazienti.xlsx", [["Cognome", "Nome"], ["Rossi", "Mario"]])
    assert "is not the ICD-10-IM systematic list" in _refusal(other, read_systematic_list)
    assert "is not the ICD-9-CM -> ICD-10-IM transcoding table" in _refusal(
        other, read_transcoding_table)
    # Each Ministry file given for the other.
    table = transcoding_table(tmp_path)
    assert "is not the ICD-10-IM systematic list" in _refusal(table, read_systematic_list)
    listing = systematic_list(tmp_path)
    assert "transcoding table" in _refusal(listing, read_transcoding_table)


def test_the_refusal_is_in_the_language_in_force(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "it")
    text = tmp_path / "elenco.xlsx"
    text.write_bytes(b"PK\x03\x04 not really a zip")
    message = _refusal(text, read_systematic_list)
    assert "non è una cartella di lavoro Excel" in message


def test_bad_rows_are_named_by_their_row(tmp_path: Path) -> None:
    rows = [*LIST_ROWS[:3], ("I11", "", "cat 3", "I10-I16", 1, ""),
            ("I12", "Nefropatia ipertensiva", "cat 3", "I10-I16", 7, ""),
            ("ZZZ", "Non un codice", "cat 3", "", 1, "")]
    message = _refusal(systematic_list(tmp_path, rows), read_systematic_list)
    assert "row 7: code I11 has no title" in message
    assert "row 8: column G of I12 is neither 0 nor 1" in message
    assert "row 9: invalid code ZZZ" in message
    bad = [*TABLE_ROWS[:2], ("4O1.9", "Ipertensione", "I10", "Ipertensione")]
    assert "row 7: invalid code 4O1.9" in _refusal(transcoding_table(tmp_path, bad),
                                                   read_transcoding_table)


def test_repeated_codes_keep_the_first(tmp_path: Path) -> None:
    rows = [*LIST_ROWS, ("I10", "Ipertensione (ripetuta)", "cat 3", "I10-I16", 1, "")]
    parsed = read_systematic_list(systematic_list(tmp_path, rows))
    assert [c.title for c in parsed.codes if c.code == "I10"] == [
        "Ipertensione essenziale (primaria)"]
    assert parsed.notes == [f"row {len(rows) + 3}: code I10 repeats row 6; kept the first"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_the_readers_raise_only_their_own_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(data)
    for reader in (read_systematic_list, read_transcoding_table):
        with pytest.raises(InvalidInput):
            reader(path)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.one_of(st.none(), _CELL_TEXT, st.integers()),
                                st.one_of(st.none(), _CELL_TEXT,
                                          st.floats(allow_nan=False, allow_infinity=False))),
                      max_size=6))
def test_odd_cells_in_the_right_layout_are_read_or_refused(tmp_path: Path,
                                                           cells: list[tuple[object, object]]
                                                           ) -> None:
    rows = [(code, title, "cat 4", "", 1, "") for code, title in cells]
    path = systematic_list(tmp_path, [*LIST_ROWS[:3], *rows])  # type: ignore[list-item]
    try:
        parsed = read_systematic_list(path)
    except InvalidInput:
        return
    assert all(code.code and code.title for code in parsed.codes)


def test_import_loads_the_list_and_its_headings(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn:
        assert not icd10im_loaded(conn)
    with engine.begin() as conn:
        report = import_list(conn, ICD10IM, systematic_list(tmp_path))
    assert report.count == len(LIST_ROWS)
    terminal = sum(row[4] for row in LIST_ROWS)
    assert report.notes[0] == (
        f"{terminal} of them can be chosen for a diagnosis; the others are headings")
    with engine.connect() as conn:
        assert icd10im_loaded(conn)
        assert describe_code(conn, ICD10IM, "i21.0") == CodeRow(
            "I21.0", "Infarto miocardico acuto transmurale della parete anteriore",
            "GAMMA 2.1 16/02/2026", heading=True)
        found = search_codes(conn, ICD10IM, "fibrillazione")
        # Headings come back too (the picker greys them), ranked like the rest: the broader
        # code first, then the shorter title.
        assert [(r.code, r.heading) for r in found] == [
            ("I48", True), ("I48.1", False), ("I48.0", False), ("I48.9", True),
            ("I48.90", False)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("I21", ["I21", "I21.0", "I21.00", "I21.08"]),
        ("i2100", ["I21.00"]),
        ("infarto pregresso", ["I25.2"]),
        ("cardiopatia ischemica", ["I25", "I25.9"]),
        ("CARDIOPATÌA ischèmica", ["I25", "I25.9"]),
        ("broncopneumopatia", ["J44.9"]),
        ("diabete mellito", ["E11", "E11.9"]),
        ("tubercolosi possibile", []),  # the marker is not a word of the title
        ("ipertensione", ["I10"]),
    ],
)
def test_icd10im_search(engine: Engine, tmp_path: Path, text: str, first: list[str]) -> None:
    with engine.begin() as conn:
        import_list(conn, ICD10IM, systematic_list(tmp_path))
    with engine.connect() as conn:
        assert _codes(search_codes(conn, ICD10IM, text))[: len(first) or None] == first


def test_candidates_come_from_the_table_once_loaded(engine: Engine, tmp_path: Path) -> None:
    with engine.begin() as conn:
        import_list(conn, ICD10IM, systematic_list(tmp_path))
    with engine.connect() as conn:
        # Before the table: column Q of the systematic list stands in.
        assert _codes(icd10im_candidates(conn, "427.31")) == ["I48.0", "I48.1", "I48.90"]
        assert _codes(icd10im_candidates(conn, "410.01")) == ["I21.00"]
    with engine.begin() as conn:
        report = import_list(conn, ICD9_ICD10IM, transcoding_table(tmp_path))
    assert (report.system, report.count) == (ICD9_ICD10IM, len(TABLE_ROWS) - 1)
    with engine.connect() as conn:
        candidates = icd10im_candidates(conn, " 427.31 ")
        assert candidates == [
            CodeRow("I48.0", "Fibrillazione atriale parossistica", "GAMMA 2.1"),
            CodeRow("I48.1", "Fibrillazione atriale persistente", "GAMMA 2.1"),
            CodeRow("I48.90", "Fibrillazione atriale, non specificata", "GAMMA 2.1"),
        ]
        assert _codes(icd10im_candidates(conn, "412")) == ["I25.2"]
        assert icd10im_candidates(conn, "V45.81") == []  # no correspondence: none offered
        assert icd9cm_candidates(conn, "I48.0") == [
            CodeRow("427.31", "Fibrillazione atriale", "GAMMA 2.1")]
        assert _codes(icd9cm_candidates(conn, "I10")) == ["401.9"]
        origins = conn.execute(select(CodeTranscoding.origin, func.count())
                               .group_by(CodeTranscoding.origin)).all()
        from_list = sum(len(row[5].split(";")) for row in LIST_ROWS if row[5])
        assert dict(origins) == {"list": from_list, "table": len(TABLE_ROWS) - 1}


def test_the_table_alone_gives_candidates_with_its_own_descriptions(engine: Engine,
                                                                    tmp_path: Path) -> None:
    with engine.begin() as conn:
        import_list(conn, ICD9_ICD10IM, transcoding_table(tmp_path))
    with engine.connect() as conn:
        assert not icd10im_loaded(conn)
        assert icd10im_candidates(conn, "412") == [
            CodeRow("I25.2", "Infarto miocardico pregresso", "GAMMA 2.1")]


def test_a_newer_list_replaces_the_old_one(engine: Engine, tmp_path: Path) -> None:
    with engine.begin() as conn:
        import_list(conn, ICD10IM, systematic_list(tmp_path))
        search_codes(conn, ICD10IM, "fibrillazione", key="record")  # cached index
    newer = [row for row in LIST_ROWS if not row[0].startswith("I48")]
    (tmp_path / "newer").mkdir()
    with engine.begin() as conn:
        path = systematic_list(tmp_path / "newer", newer)
        assert import_list(conn, ICD10IM, path).count == len(newer)
    with engine.connect() as conn:
        assert search_codes(conn, ICD10IM, "fibrillazione", key="record") == []
        assert _codes(icd10im_candidates(conn, "427.31")) == []
