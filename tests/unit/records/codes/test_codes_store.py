"""Loading code lists into the record and searching them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select

from app.core.errors import InvalidInput
from app.records.codes.catalog import ATC, ICD9CM, CodeRow
from app.records.codes.store import (
    BATCH_SIZE,
    describe_code,
    fold,
    import_codes,
    load_shipped_codes,
    replace_codes,
    search_codes,
)
from app.records.model import Base, CodeEntry

ROWS = [
    CodeRow("250", "Diabete mellito", "2007"),
    CodeRow("250.00", "Diabete mellito, tipo II o non specificato", "2007"),
    CodeRow("401.9", "Ipertensione essenziale non specificata", "2007"),
    CodeRow("V07.00", "Necessità di isolamento", "2007"),
    CodeRow("719.45", "Dolore dell’anca", "2007"),
    CodeRow("202.2", "Malattia di Sézary", "2007"),
]


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _count(engine: Engine, system: str) -> int:
    with engine.connect() as conn:
        stmt = select(func.count()).select_from(CodeEntry).where(CodeEntry.system == system)
        return conn.execute(stmt).scalar_one()


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Necessità dell’ANCA, (SAI)") == " necessita dell anca sai "
    assert fold("") == " "


def test_replace_codes_replaces_only_its_system(engine: Engine) -> None:
    with engine.begin() as conn:
        replace_codes(conn, ATC, [CodeRow("A10BA02", "METFORMINA")])
        assert replace_codes(conn, ICD9CM, ROWS) == len(ROWS)
        assert replace_codes(conn, ICD9CM, ROWS[:2]) == 2
    assert _count(engine, ICD9CM) == 2
    assert _count(engine, ATC) == 1


def test_replace_codes_works_in_batches(engine: Engine) -> None:
    rows = (
        CodeRow(f"{n // 100:03d}.{n % 100:02d}", f"voce {n}") for n in range(BATCH_SIZE * 2 + 5)
    )
    with engine.begin() as conn:
        assert replace_codes(conn, ICD9CM, rows) == BATCH_SIZE * 2 + 5


def test_unknown_system_is_refused(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(InvalidInput):
        replace_codes(conn, "snomed", ROWS)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("250", ["250", "250.00"]),
        ("250.0", ["250.00"]),
        ("diabete", ["250", "250.00"]),
        ("DIAB tipo", ["250.00"]),
        ("necessita", ["V07.00"]),
        ("NECESSITÀ", ["V07.00"]),
        ("dell'anca", ["719.45"]),
        ("anca", ["719.45"]),
        ("sezary", ["202.2"]),
        ("v07", ["V07.00"]),
        ("ipertensione 401", []),
        ("ensione", []),
        ("", []),
        ("%", []),
    ],
)
def test_search_by_code_prefix_or_words(engine: Engine, text: str, codes: list[str]) -> None:
    with engine.begin() as conn:
        replace_codes(conn, ICD9CM, ROWS)
    with engine.connect() as conn:
        assert [r.code for r in search_codes(conn, ICD9CM, text)] == codes


def test_code_matches_come_before_word_matches(engine: Engine) -> None:
    rows = [CodeRow("001", "Colera 250 casi"), CodeRow("250", "Diabete mellito")]
    with engine.begin() as conn:
        replace_codes(conn, ICD9CM, rows)
        assert [r.code for r in search_codes(conn, ICD9CM, "250")] == ["250", "001"]
        assert [r.code for r in search_codes(conn, ICD9CM, "250", limit=1)] == ["250"]


def test_describe_code(engine: Engine) -> None:
    with engine.begin() as conn:
        replace_codes(conn, ICD9CM, ROWS)
        assert describe_code(conn, ICD9CM, " v07.00 ") == ROWS[3]
        assert describe_code(conn, ICD9CM, "999.99") is None


def test_import_codes_repairs_and_reports(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "icd9cm-2024.csv"
    path.write_text(
        'version,code,description,release_date\n"",V07.00,Necessit?? di isolamento,2024-05-01\n'
        '"",E869.3,Gas ??gas,2024-05-01\n',
        encoding="utf-8",
    )
    with engine.begin() as conn:
        report = import_codes(conn, ICD9CM, path)
        assert report.count == 2
        assert [u.code for u in report.unrepaired] == ["E869.3"]
        assert describe_code(conn, ICD9CM, "V07.00") == CodeRow(
            "V07.00", "Necessità di isolamento", "2024-05-01"
        )


def test_load_shipped_codes(engine: Engine) -> None:
    with engine.begin() as conn:
        counts = load_shipped_codes(conn)
    assert counts[ICD9CM] > 20_000
    assert counts[ATC] > 7_000
    with engine.connect() as conn:
        found = describe_code(conn, ATC, "A10BA02")
        assert found is not None and found.description == "METFORMINA"
        assert search_codes(conn, ATC, "metformina", limit=1)[0].code == "A10BA02"
        assert search_codes(conn, ICD9CM, "ipertensione essenziale")[0].code.startswith("401")
        described = [
            describe_code(conn, ICD9CM, c) for c in ("250.00", "401.9", "496", "428.0", "585")
        ]
        assert all(d is not None and d.description for d in described)
        question = select(func.count()).where(CodeEntry.description.contains("?"))
        assert conn.execute(question).scalar_one() == 0
