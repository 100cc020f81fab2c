"""``medirete-admin`` turns known SQLite failures into one line, logged by code only."""

from __future__ import annotations

import os

from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin

PAGE = 4096  # SQLCipher 4's default page size


def _our_lines(stderr: str) -> list[str]:
    """Our lines of stderr; SQLCipher's own log ("... ERROR CORE ...") is the only other."""
    lines = stderr.strip().splitlines()
    ours = [line for line in lines if " CORE " not in line]
    assert all(line.startswith("medirete-admin:") for line in ours), stderr
    return ours


def _run_verify(center, data_dir):
    done = run_admin("verify", str(center), "--user", "admin", stdin=PASSWORD + "\n",
                     data_dir=data_dir)
    log = (data_dir / "logs" / "medirete-admin.log").read_text("utf-8")
    return done, log


def test_a_record_that_is_not_a_database_is_one_line(center, tmp_path):
    (center / "record.db").write_bytes(os.urandom(8 * PAGE))
    done, log = _run_verify(center, tmp_path / "data")
    assert done.returncode == 1, done.stderr
    assert _our_lines(done.stderr) == [
        "medirete-admin: The record file cannot be read with this key, "
        "or is not a Medirete record"
    ]
    assert "SQLITE_NOTADB (26)" in log
    assert "Traceback" not in log and "[SQL:" not in log


def test_a_damaged_record_is_one_line(center, tmp_path):
    db = center / "record.db"
    data = bytearray(db.read_bytes())
    assert len(data) > 8 * PAGE and not (center / "record.db-wal").exists()
    # Every page but the first fails its HMAC: the key opens the file, the rest is damaged.
    data[PAGE:] = b"\xa5" * (len(data) - PAGE)
    db.write_bytes(bytes(data))
    done, log = _run_verify(center, tmp_path / "data")
    assert done.returncode == 1, done.stderr
    assert _our_lines(done.stderr) == [
        "medirete-admin: The record file is damaged: restore the latest backup (SQLITE_CORRUPT)"
    ]
    assert "SQLITE_CORRUPT (11)" in log
    assert "Traceback" not in log and "[SQL:" not in log
