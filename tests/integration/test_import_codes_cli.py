"""``medirete-admin import-codes`` with the Ministry's ICD-10-IM workbooks and the AIFA list."""

from __future__ import annotations

from pathlib import Path

from app.records.services import Records
from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin
from tests.unit.records.codes.icd10im_workbooks import (
    LIST_ROWS,
    TABLE_ROWS,
    systematic_list,
    transcoding_table,
)

GOOD = PASSWORD + "\n"


def _import(center: Path, kind: str, path: Path, user: str = "admin", lang: str = "en"):
    return run_admin("import-codes", str(center), str(path), "--kind", kind, "--user", user,
                     stdin=GOOD, lang=lang)


def test_the_two_workbooks_and_a_newer_aifa_list_are_loaded(center: Path, tmp_path: Path) -> None:
    listed = _import(center, "icd10im", systematic_list(tmp_path))
    assert listed.returncode == 0, listed.stderr
    terminal = sum(row[4] for row in LIST_ROWS)
    assert listed.stdout.splitlines() == [
        f"{len(LIST_ROWS)} ICD-10-IM codes loaded",
        f"  {terminal} of them can be chosen for a diagnosis; the others are headings",
    ]
    table = _import(center, "icd9-icd10im", transcoding_table(tmp_path))
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0] == (
        f"{len(TABLE_ROWS) - 1} ICD-9-CM to ICD-10-IM correspondences loaded")
    aifa = tmp_path / "aifa-farmaci-equivalenti-2027.csv"
    aifa.write_text("aic,name,atc,equivalence_group\n17758018,GLUCOPHAGE,A10BA02,A1A\n"
                    "37040058,METFORMINA EG,A10BA02,A1A\n", encoding="utf-8")
    drugs = _import(center, "aifa", aifa, lang="it")
    assert drugs.returncode == 0, drugs.stderr
    assert drugs.stdout.splitlines()[0] == "2 farmaci della lista AIFA caricati"

    gp = Records.open(center, "medico", PASSWORD)
    try:
        assert gp.codes.icd10im_loaded()
        assert [c.code for c in gp.codes.icd10im_candidates("427.31")] == [
            "I48.0", "I48.1", "I48.90"]
        assert [(r.code, r.heading) for r in gp.codes.search("icd10im", "I21.0")] == [
            ("I21.0", True), ("I21.00", False), ("I21.08", False)]
        assert [d.aic for d in gp.codes.drugs("metformina")] == ["037040058", "017758018"]
    finally:
        gp.close()


def test_bad_files_are_one_line_and_change_nothing(center: Path, tmp_path: Path) -> None:
    text = tmp_path / "elenco.xlsx"
    text.write_text("codice;titolo\n", encoding="utf-8")
    refused = _import(center, "icd10im", text, lang="it")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1
    assert "elenco.xlsx non è una cartella di lavoro Excel (.xlsx)" in refused.stderr
    swapped = _import(center, "icd10im", transcoding_table(tmp_path))
    assert swapped.returncode == 1 and swapped.stderr.count("\n") == 1
    assert "is not the ICD-10-IM systematic list" in swapped.stderr
    gp = Records.open(center, "medico", PASSWORD)
    try:
        assert not gp.codes.icd10im_loaded()
        assert gp.codes.icd10im_candidates("427.31") == []
    finally:
        gp.close()


def test_only_the_admin_loads_code_lists(center: Path, tmp_path: Path) -> None:
    done = _import(center, "icd10im", systematic_list(tmp_path), user="medico")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
