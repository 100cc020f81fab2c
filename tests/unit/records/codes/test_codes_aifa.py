"""The AIFA list of medicines: shipped, loaded into new and upgraded centers, searched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select

from app.core.errors import AccessDenied, InvalidInput
from app.records.codes.aifa import AIFA, Drug, parse_aifa, shipped_drugs
from app.records.codes.catalog import ATC, CodeRow
from app.records.codes.drugs import describe_drug, replace_drugs, search_drugs
from app.records.codes.imports import import_list
from app.records.codes.store import load_shipped_codes, replace_codes
from app.records.model import Base
from app.records.model.codes import DrugEntry
from app.records.services import Records
from app.records.storage.migrate import current_revision
from tests.unit.records.storage.old_centers import (
    copy_center,
    fixture_password,
    old_centers,
    read_record,
)

HEADER = "aic,name,atc,equivalence_group\n"
ATC_ROWS = [CodeRow("A10BA02", "METFORMINA"), CodeRow("A10BD07", "METFORMINA E SITAGLIPTINA"),
            CodeRow("C09AA05", "RAMIPRIL")]
DRUGS = [
    Drug("017758018", "GLUCOPHAGE", "A10BA02", "", "A1A"),
    Drug("037040058", "METFORMINA EG", "A10BA02", "", "A1A"),
    Drug("038052011", "JANUMET", "A10BD07", "", "A9X"),
    Drug("037439041", "RAMIPRIL EG", "C09AA05", "", "C2B"),
    Drug("026851016", "GLUCOBAY", "A10BF01", "", "H1A"),
]


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        replace_codes(conn, ATC, ATC_ROWS)
        replace_drugs(conn, DRUGS)
    yield engine
    engine.dispose()


def _names(drugs: list[Drug]) -> list[str]:
    return [drug.name for drug in drugs]


def test_the_published_columns_are_read_and_aic_codes_get_their_zeros_back() -> None:
    parsed = parse_aifa(HEADER + "26851016,GLUCOBAY,A10BF01,H1A\r\n2309072,FOLINA,B03BB01,JHI\r\n",
                        default_release="aifa-2026")
    assert parsed.drugs == [Drug("026851016", "GLUCOBAY", "A10BF01", "", "H1A", "aifa-2026"),
                            Drug("002309072", "FOLINA", "B03BB01", "", "JHI", "aifa-2026")]
    assert parsed.notes == ["2 AIC codes had lost their leading zeros: restored to nine digits"]


def test_semicolons_and_repeated_packs() -> None:
    text = ("AIC;Name;ATC;Equivalence_group\n017758018;GLUCOPHAGE;A10BA02;A1A\n"
            "017758018;GLUCOPHAGE 1000;A10BA02;A1A\n")
    parsed = parse_aifa(text)
    assert _names(parsed.drugs) == ["GLUCOPHAGE"]
    assert parsed.notes == ["line 3: code 017758018 repeats an earlier line; kept the first"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,description\nA,B\n", "no aic, name, atc and equivalence_group columns"),
        (HEADER + "ABC,GLUCOBAY,A10BF01,H1A\n", "line 2: invalid AIC code ABC"),
        (HEADER + "26851016,GLUCOBAY,A1OBF01,H1A\n", "line 2: invalid code A1OBF01"),
        (HEADER + "26851016,,A10BF01,H1A\n", "line 2: empty name or equivalence group"),
        (HEADER + "26851016,GLUCOBAY\n", "line 2: wrong number of fields"),
        (HEADER, "the file lists no medicine"),
    ],
)
def test_bad_files_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_aifa(text)
    assert message in refused.value.user_message()


def test_the_shipped_list_is_whole_and_well_formed() -> None:
    drugs = shipped_drugs()
    assert len(drugs) > 7_900
    assert all(len(d.aic) == 9 and d.aic.isdigit() and d.atc and d.equivalence_group
               for d in drugs)
    assert len({d.aic for d in drugs}) == len(drugs)
    assert {"GLUCOPHAGE", "METFORMINA EG", "CARDIOASPIRIN"} <= {d.name for d in drugs}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Name prefix first, then packs found through the active ingredient (ATC).
        ("metformina", ["METFORMINA EG", "GLUCOPHAGE", "JANUMET"]),
        ("METFORMÌNA", ["METFORMINA EG", "GLUCOPHAGE", "JANUMET"]),
        ("sitagliptina", ["JANUMET"]),
        ("gluco", ["GLUCOBAY", "GLUCOPHAGE"]),
        ("A10BA02", ["GLUCOPHAGE", "METFORMINA EG"]),
        ("a10b", ["GLUCOPHAGE", "METFORMINA EG", "JANUMET", "GLUCOBAY"]),
        ("026851016", ["GLUCOBAY"]),
        ("26851016", ["GLUCOBAY"]),
        ("ramipril eg", ["RAMIPRIL EG"]),
        ("aspirina", []),
    ],
)
def test_drug_search(engine: Engine, text: str, names: list[str]) -> None:
    with engine.connect() as conn:
        assert _names(search_drugs(conn, text)) == names


def test_a_drug_carries_its_active_ingredient(engine: Engine) -> None:
    with engine.connect() as conn:
        assert describe_drug(conn, "38052011") == Drug(
            "038052011", "JANUMET", "A10BD07", "METFORMINA E SITAGLIPTINA", "A9X")
        assert describe_drug(conn, "026851016") == Drug("026851016", "GLUCOBAY", "A10BF01", "",
                                                        "H1A")  # ATC not in this small list
        assert describe_drug(conn, "not an aic") is None


def test_a_newer_list_replaces_the_shipped_one_and_the_index(engine: Engine,
                                                             tmp_path: Path) -> None:
    with engine.connect() as conn:
        assert _names(search_drugs(conn, "ramipril", key="record")) == ["RAMIPRIL EG"]
    newer = tmp_path / "aifa-2027.csv"
    newer.write_text(HEADER + "44155024,RAMIPRIL NUOVO,C09AA05,C2B\n", encoding="utf-8")
    with engine.begin() as conn:
        report = import_list(conn, AIFA, newer)
    assert (report.system, report.count) == (AIFA, 1)
    with engine.connect() as conn:
        found = search_drugs(conn, "ramipril", key="record")
        assert found == [Drug("044155024", "RAMIPRIL NUOVO", "C09AA05", "RAMIPRIL", "C2B",
                              "aifa-2027")]


def test_load_shipped_codes_loads_the_medicines() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        counts = load_shipped_codes(conn)
    with engine.connect() as conn:
        assert counts[AIFA] == len(shipped_drugs())
        assert conn.execute(select(func.count()).select_from(DrugEntry)).scalar_one() == counts[
            AIFA]
        packs = search_drugs(conn, "metformina", limit=500)
        assert {d.atc for d in packs} >= {"A10BA02", "A10BD07"}
        assert all("METFORMIN" in d.atc_description or "METFORMINA" in d.name for d in packs)
    engine.dispose()


def test_a_new_center_has_the_medicines_and_only_clinicians_search_them(open_as) -> None:
    gp = open_as("medico")
    found = gp.codes.drugs("cardioaspirin")
    assert found and found[0].name == "CARDIOASPIRIN" and found[0].atc == "B01AC06"
    assert gp.codes.drug(found[0].aic) == found[0]
    with pytest.raises(AccessDenied):
        open_as("segreteria").codes.drugs("cardioaspirin")


def _drug_count(conn: object) -> int:
    return int(conn.execute(select(func.count()).select_from(DrugEntry)).scalar_one())  # type: ignore[attr-defined]


def test_an_upgraded_center_gets_the_shipped_medicines(tmp_path: Path) -> None:
    fixture = next(f for f in old_centers() if f.name == "schema-0007")
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    assert read_record(root, password, current_revision) == "0007"
    records = Records.open(root, "medico", password)
    try:
        with records.db.read_engine.connect() as conn:
            assert _drug_count(conn) == len(shipped_drugs())
        assert "METFORMINA EG" in _names(records.codes.drugs("metformina eg"))
        assert not records.codes.icd10im_loaded()
    finally:
        records.close()

