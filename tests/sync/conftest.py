"""Fixtures of the sync tests: a center and a new replica of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.services import Records
from app.sync.replica import Replica
from app.sync.replica_files import create_replica, staff_rows
from tests.conftest import PASSWORD


def _bundle(records: Records) -> dict[str, object]:
    with records.db.read_engine.connect() as conn:
        staff = staff_rows(conn)
    return {"center_id": records.db.center_id, "center_name": records.center_name,
            "keys": records.db.paths.keys.read_text("utf-8"), "staff": staff,
            "ca_pem": b"ca", "cert_pem": b"cert", "key_pem": b"key",
            "workstation": "studio-2", "role": "full"}


@pytest.fixture
def pair(center: Path, tmp_path: Path):
    """The center (A) and a new replica of it (B), both opened by the same GP."""
    a = Records.open(center, "medico", PASSWORD)
    create_replica(tmp_path / "b", _bundle(a), "medico", PASSWORD)
    b = Records.open(tmp_path / "b", "medico", PASSWORD)
    yield Replica(a, "A"), Replica(b, "B")
    a.close()
    b.close()
