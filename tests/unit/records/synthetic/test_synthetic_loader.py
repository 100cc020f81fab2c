"""The bulk writer: synthetic centers land in a plain SQLite record with matching counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select

from app.records.model import (
    Base,
    ChangeLogEntry,
    ClinicalChange,
    Meta,
    Observation,
    Patient,
    Role,
    User,
)
from app.records.synthetic import write_center_data

GPS = ["0190a000-0000-7000-8000-000000000001", "0190a000-0000-7000-8000-000000000002"]
NURSES = ["0190a000-0000-7000-8000-000000000011"]
AS_OF = date(2025, 3, 1)


def _enable_fks(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = create_engine("sqlite://")
    event.listen(eng, "connect", _enable_fks)
    Base.metadata.create_all(eng)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with eng.begin() as conn:
        conn.execute(insert(Meta), [{"key": "node_id", "value": "node-test"}])
        conn.execute(
            insert(Role),
            [{"name": r, "description": r} for r in ("gp", "nurse", "secretary", "admin")],
        )
        conn.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "username": f"user{i}",
                    "full_name": f"Utente {i}",
                    "role": "gp" if uid in GPS else "nurse",
                    "active": True,
                    "created_at": now,
                }
                for i, uid in enumerate(GPS + NURSES)
            ],
        )
    yield eng
    eng.dispose()


def _count(conn: Connection, table: str) -> int:
    return conn.execute(select(func.count()).select_from(Base.metadata.tables[table])).scalar_one()


def test_counts_match_and_every_row_has_a_change(engine: Engine) -> None:
    seen: list[int] = []
    with engine.begin() as conn:
        summary = write_center_data(
            conn,
            patients=250,
            seed=9,
            gp_ids=GPS,
            nurse_ids=NURSES,
            history="full",
            heavy_charts=1,
            batch_size=100,
            progress=seen.append,
            as_of=AS_OF,
        )
    with engine.connect() as conn:
        for table, count in summary.counts.items():
            assert _count(conn, table) == count, table
        changes = 0
        for log in (ChangeLogEntry, ClinicalChange):  # each file's log numbers its own
            count = conn.execute(select(func.count()).select_from(log)).scalar_one()
            seqs = conn.execute(select(log.seq).order_by(log.seq)).scalars()
            assert list(seqs) == list(range(1, count + 1))
            changes += count
        heavy = summary.heavy_patient_ids[0]
        heavy_obs = conn.execute(
            select(func.count()).select_from(Observation).where(Observation.patient_id == heavy)
        ).scalar_one()
        gps = set(conn.execute(select(Patient.gp_id)).scalars())
    assert summary.counts["patient"] == 250
    assert changes == summary.total_rows == summary.change_log_entries
    assert len(summary.heavy_patient_ids) == 1 and heavy_obs > 5000
    assert gps == set(GPS)
    assert seen[-1] == 250 and seen == sorted(seen)


def test_change_log_can_be_skipped_and_commits_can_be_checkpointed(engine: Engine) -> None:
    commits: list[int] = []
    with engine.connect() as conn:
        conn.begin()

        def checkpoint(c: Connection) -> None:
            c.commit()
            c.begin()
            commits.append(_count(c, "patient"))

        summary = write_center_data(
            conn,
            patients=120,
            seed=1,
            gp_ids=GPS,
            nurse_ids=[],
            history="light",
            change_log=False,
            as_of=AS_OF,
            commit_every=50,
            on_commit=checkpoint,
        )
        conn.commit()
        assert _count(conn, "change_log") == 0
    assert commits == [50, 100]
    assert summary.change_log_entries == 0 and summary.counts["patient"] == 120


def test_same_seed_writes_the_same_rows(engine: Engine) -> None:
    other = create_engine("sqlite://")
    Base.metadata.create_all(other)
    dumps = []
    for eng in (engine, other):
        with eng.begin() as conn:
            write_center_data(
                conn,
                patients=40,
                seed=21,
                gp_ids=GPS,
                nurse_ids=NURSES,
                history="light",
                as_of=AS_OF,
                change_log=False,
            )
            dumps.append([tuple(r) for r in conn.execute(select(Patient).order_by(Patient.id))])
    other.dispose()
    assert dumps[0] == dumps[1]
