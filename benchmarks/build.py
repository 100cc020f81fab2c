"""The two databases under test: a real SQLCipher center and a plain SQLite copy of it."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlcipher3
from sqlalchemy import Connection, select

from app.records.model import User
from app.records.services import Records
from app.records.storage.center import create_center
from app.records.storage.engine import PLAIN_SQLITE_HEADER, raw_key_pragma_value
from app.records.synthetic.loader import SyntheticSummary, write_center_data

PASSWORD = "bench-medirete"
SEED = 20250115
# A fixed "today" so every run writes the same rows.
AS_OF = date(2025, 1, 15)
COMMIT_EVERY = 20_000


@dataclass
class Generated:
    """What the bulk load wrote and how long it took."""

    summary: SyntheticSummary
    seconds: float
    gp_id: str

    @property
    def heavy_patient_id(self) -> str:
        """The one heavy chart (20 years of dense history)."""
        return self.summary.heavy_patient_ids[0]


@dataclass
class PlainCopy:
    """The plain SQLite twin and the cost of making it."""

    path: Path
    vacuum_seconds: float
    export_seconds: float
    row_counts: dict[str, int] = field(default_factory=dict)


def create_bench_center(root: Path) -> tuple[Records, str, str]:
    """A new center with an admin, one GP and one nurse; returns (GP session, gp, nurse).

    The GP founds the clinical file (ADR 0011) and grants its key to the nurse; the
    synthetic load runs in the GP's session, with the clinical file attached.
    """
    create_center(root, "Benchmark (dati sintetici)", "admin", PASSWORD)
    admin = Records.open(root, "admin", PASSWORD)
    try:
        admin.users.add("medico", "Dott. Benchmark", "gp", PASSWORD)
        admin.users.add("infermiere", "Inf. Benchmark", "nurse", PASSWORD)
    finally:
        admin.close()
    gp = Records.open(root, "medico", PASSWORD)
    gp.users.grant_clinical("infermiere")
    with gp.db.read_engine.connect() as conn:
        ids = {str(name): str(uid) for name, uid in conn.execute(select(User.username, User.id))}
    return gp, ids["medico"], ids["infermiere"]


def _progress(total: int) -> Callable[[int], None]:
    start = time.perf_counter()
    step = max(total // 10, 1)
    shown = [0]

    def report(done: int) -> None:
        if done - shown[0] >= step or done == total > shown[0]:
            shown[0] = done
            elapsed = time.perf_counter() - start
            print(f"  {done:>9,} patients  {elapsed:7.1f} s  ({done / elapsed:,.0f}/s)",
                  file=sys.stderr, flush=True)

    return report


def generate(writer: Records, gp_id: str, nurse_id: str, patients: int,
             heavy_charts: int = 1) -> Generated:
    """Bulk-write the synthetic center: light history for all, ``heavy_charts`` heavy
    charts (one unless told), change log on."""
    start = time.perf_counter()
    with writer.db.write_engine.connect() as conn:

        def commit(c: Connection) -> None:
            c.commit()  # keeps the WAL (and the undo state) bounded during the load

        summary = write_center_data(
            conn, patients=patients, seed=SEED, gp_ids=[gp_id], nurse_ids=[nurse_id],
            history="light", heavy_charts=heavy_charts, change_log=True, as_of=AS_OF,
            commit_every=COMMIT_EVERY, on_commit=commit, progress=_progress(patients),
        )
        conn.commit()
    return Generated(summary, time.perf_counter() - start, gp_id)


def _raw_sqlcipher(db_path: Path, db_key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(db_path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(db_key)}"')
    return conn


def _table_counts(
    conn: sqlite3.Connection | sqlcipher3.Connection, schemas: tuple[str, ...] = ("main",)
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for schema in schemas:
        names = [r[0] for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name")]
        counts |= {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
                   for name in names}
    return counts


def export_plain(admin: Records, plain_path: Path) -> PlainCopy:
    """VACUUM the encrypted file, then sqlcipher_export it to plain, and check the copy.

    The VACUUM gives the encrypted file the same compact layout the export gives the
    plain one, so the comparison measures encryption, not fragmentation.
    """
    admin.db.write_engine.dispose()
    admin.db.read_engine.dispose()
    plain_path.parent.mkdir(parents=True, exist_ok=True)
    assert admin.db.clinical_key is not None
    conn = _raw_sqlcipher(admin.db.paths.db, admin.db.db_key)
    try:
        # The plain baseline is one file holding both of the record's files' tables.
        conn.execute("ATTACH DATABASE ? AS clinical KEY ?", (
            str(admin.db.paths.clinical_db), raw_key_pragma_value(admin.db.clinical_key)))
        start = time.perf_counter()
        for schema in ("main", "clinical"):
            conn.execute(f"VACUUM {schema}")
            conn.execute(f"PRAGMA {schema}.wal_checkpoint(TRUNCATE)")
        vacuumed = time.perf_counter()
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain_path),))
        conn.execute("SELECT sqlcipher_export('plain')")
        # Both files have an alembic_version table: the record's is the one kept.
        conn.execute("ALTER TABLE plain.alembic_version RENAME TO record_alembic_version")
        conn.execute("SELECT sqlcipher_export('plain', 'clinical')")
        conn.execute("DROP TABLE plain.alembic_version")
        conn.execute("ALTER TABLE plain.record_alembic_version RENAME TO alembic_version")
        conn.execute("DETACH DATABASE plain")
        exported = time.perf_counter()
        encrypted_counts = _table_counts(conn, ("main", "clinical"))
    finally:
        conn.close()
    with plain_path.open("rb") as f:
        header = f.read(len(PLAIN_SQLITE_HEADER))
    if header != PLAIN_SQLITE_HEADER:
        raise RuntimeError(f"{plain_path} is not a plain SQLite file (header {header!r})")
    with admin.db.paths.db.open("rb") as f:
        if f.read(len(PLAIN_SQLITE_HEADER)) == PLAIN_SQLITE_HEADER:
            raise RuntimeError("the SQLCipher file has a plain SQLite header: not encrypted")
    plain = sqlite3.connect(plain_path)
    try:
        plain_counts = _table_counts(plain)
    finally:
        plain.close()
    if plain_counts != encrypted_counts:
        raise RuntimeError(f"row counts differ: {encrypted_counts} vs {plain_counts}")
    return PlainCopy(plain_path, vacuumed - start, exported - vacuumed, plain_counts)


def sqlcipher_facts(admin: Records) -> dict[str, str]:
    """Versions and settings of the SQLCipher library the record runs on."""
    conn = _raw_sqlcipher(admin.db.paths.db, admin.db.db_key)
    try:
        return {
            "cipher_version": conn.execute("PRAGMA cipher_version").fetchone()[0],
            "sqlite_version": conn.execute("SELECT sqlite_version()").fetchone()[0],
            "page_size": str(conn.execute("PRAGMA page_size").fetchone()[0]),
            "cache_size": str(conn.execute("PRAGMA cache_size").fetchone()[0]),
        }
    finally:
        conn.close()


def plain_facts(plain_path: Path) -> dict[str, str]:
    """Versions and settings of Python's own sqlite3 (the plain baseline's library)."""
    conn = sqlite3.connect(plain_path)
    try:
        return {
            "sqlite_version": sqlite3.sqlite_version,
            "page_size": str(conn.execute("PRAGMA page_size").fetchone()[0]),
            "cache_size": str(conn.execute("PRAGMA cache_size").fetchone()[0]),
        }
    finally:
        conn.close()
