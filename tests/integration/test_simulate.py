"""``medirete-admin simulate``: N realistic writes through the services, as one user.

The writes are read back from the record's two change logs, in clock order: each write
leaves exactly one entry that names it (a visit's encounter, a vital's observation, a
patient's update, an appointment's booking), so the count and the kinds can be checked
against the summary line, and two runs with one seed compared choice by choice.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import select

from app.admin import cli, simulate
from app.core.errors import SlotTaken
from app.records.demo import create_demo_center
from app.records.model import ChangeLogEntry, ClinicalChange
from app.records.services import Records
from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin

SUMMARY = re.compile(
    r"^simulate: (\d+) writes \(visits (\d+), vitals (\d+), demographics (\d+), "
    r"bookings (\d+)\) in \d+(\.\d)? s$"
)
Write = tuple[str, str]  # (kind, patient id)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo center (synthetic patients, staff, timetables), built once."""
    root = tmp_path_factory.mktemp("simulate") / "demo"
    create_demo_center(root, PASSWORD, patients=20, seed=1)
    return root


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo center."""
    return _copy(demo_template, tmp_path / "demo")


@pytest.fixture(autouse=True)
def quiet_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No log set-up per in-process run (handlers would pile up on the root logger)."""
    monkeypatch.setattr(cli, "setup_logging", lambda *_a, **_k: None)
    null = logging.NullHandler()
    logging.getLogger().addHandler(null)
    yield
    logging.getLogger().removeHandler(null)


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def _simulate(root: Path, user: str, *extra: str, password: str = PASSWORD,
              writes: str = "30") -> tuple[int, str, str]:
    """The real ``main()`` with the password on a (non-terminal) stdin: code, out, err."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(["simulate", str(root), "--user", user, "--writes", writes,
                                 *extra])
            except SystemExit as exit_:  # argparse's usage errors
                code = int(exit_.code or 0)
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def _summary(out: str) -> dict[str, int]:
    [line] = out.strip().splitlines()
    found = SUMMARY.match(line)
    assert found, line
    total, *counts = (int(n) for n in found.groups()[:5])
    by_kind = dict(zip(simulate.WRITE_KINDS, counts, strict=True))
    assert sum(counts) == total
    return by_kind


def _kind(entity: str, op: str, entity_id: str, payload: dict[str, object]) -> Write | None:
    patient = str(payload.get("patient_id", ""))
    if entity == "encounter" and op == "create":
        return ("visits", patient)
    if entity == "observation" and op == "create" and payload.get("source") == "manual":
        return ("vitals", patient)
    if entity == "patient" and op == "update":
        return ("demographics", entity_id)
    if entity == "appointment" and op == "create":
        return ("bookings", patient)
    return None


class Log(NamedTuple):
    """What the change logs hold, as far as these tests look."""

    writes: list[Write]  # clock order
    sizes: dict[str, int]  # entries per change log
    encounters: list[dict[str, object]]  # clock order
    patients: set[str]  # ids of the registered patients


def _log(root: Path) -> Log:
    records = Records.open(root, "medico", PASSWORD)
    try:
        rows = []
        sizes = {}
        with records.db.read_engine.connect() as conn:
            for table in (ChangeLogEntry, ClinicalChange):
                found = conn.execute(select(table.hlc, table.entity, table.entity_id, table.op,
                                            table.payload)).all()
                sizes[table.__tablename__] = len(found)
                rows += found
    finally:
        records.close()
    log = Log([], sizes, [], set())
    for row in sorted(rows, key=lambda r: r.hlc):
        payload = json.loads(row.payload)
        if row.entity == "encounter":
            log.encounters.append(payload)
        if row.entity == "patient" and row.op == "create":
            log.patients.add(row.entity_id)
        write = _kind(row.entity, row.op, row.entity_id, payload)
        if write is not None:
            log.writes.append(write)
    return log


def _new_writes(before: list[Write], after: list[Write]) -> list[Write]:
    assert after[: len(before)] == before  # nothing rewritten, only appended
    return after[len(before):]


def test_a_gp_writes_exactly_n_changes_of_every_kind(demo: Path) -> None:
    before = _log(demo)
    code, out, err = _simulate(demo, "medico", writes="60")
    assert code == 0, err
    counts = _summary(out)
    after = _log(demo)
    new = _new_writes(before.writes, after.writes)
    assert len(new) == 60
    assert Counter(kind for kind, _patient in new) == Counter(counts)
    assert all(counts[kind] > 0 for kind in simulate.WRITE_KINDS), counts
    # Existing patients only.
    assert after.patients == before.patients
    assert {patient for _kind, patient in new} <= before.patients
    assert all(e["status"] == "signed" for e in after.encounters[-counts["visits"]:])


def test_the_same_seed_makes_the_same_choices(demo_template: Path, tmp_path: Path) -> None:
    runs = []
    for name, seed in (("one", "5"), ("two", "5"), ("three", "6")):
        root = _copy(demo_template, tmp_path / name)
        before = _log(root).writes
        code, out, err = _simulate(root, "medico", "--seed", seed, writes="25")
        assert code == 0, err
        runs.append((_summary(out), _new_writes(before, _log(root).writes)))
    assert runs[0] == runs[1]  # same kinds, same patients, in the same order
    assert runs[0][1] != runs[2][1]


def test_a_secretary_writes_no_clinical_content(demo: Path) -> None:
    before = _log(demo)
    code, out, err = _simulate(demo, "segreteria", writes="30")
    assert code == 0, err
    counts = _summary(out)
    assert counts["visits"] == counts["vitals"] == 0
    after = _log(demo)
    new = _new_writes(before.writes, after.writes)
    assert len(new) == 30 and {kind for kind, _p in new} <= {"demographics", "bookings"}
    assert after.sizes["clinical_change"] == before.sizes["clinical_change"]


def test_a_nurse_signs_nursing_visits_only(demo: Path) -> None:
    code, out, err = _simulate(demo, "infermiere", writes="30")
    assert code == 0, err
    counts = _summary(out)
    assert counts["visits"] > 0
    encounters = _log(demo).encounters
    assert {e["kind"] for e in encounters[-counts["visits"]:]} == {"nursing"}


@pytest.mark.parametrize("writes", ["0", "-3", "many"])
def test_writes_must_be_a_positive_integer(demo: Path, writes: str) -> None:
    code, _out, err = _simulate(demo, "medico", writes=writes)
    assert code == 2
    assert "positive integer" in err


def test_wrong_password_exits_1_with_the_message(demo: Path) -> None:
    before = _log(demo)
    done = run_admin("simulate", str(demo), "--user", "medico", "--writes", "5",
                     stdin="wrong-password-1\n", timeout=60)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "Wrong user name or password" in line and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert _log(demo).writes == before.writes


def test_an_admin_may_write_nothing_here(demo: Path) -> None:
    code, out, err = _simulate(demo, "admin", writes="5")
    assert code == 1 and out == ""
    assert "does not allow" in err and "bookings" in err


def test_a_center_without_patients_is_a_clear_error(center: Path) -> None:
    code, _out, err = _simulate(center, "segreteria", writes="5")
    assert code == 1
    assert "no patients" in err


def test_refused_writes_stop_after_ten_attempts_per_write(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def refuse(self: simulate.Simulator) -> str:
        calls.append(1)
        raise SlotTaken(clinician="Dott. Rossi", starts="09:00", ends="09:15")

    monkeypatch.setattr(simulate.Simulator, "write", refuse)
    code, out, err = _simulate(demo, "segreteria", writes="4")
    assert code == 1 and out == ""
    assert len(calls) == 40
    [line] = err.strip().splitlines()
    assert "after 40 attempts" in line and "0 of 4" in line
