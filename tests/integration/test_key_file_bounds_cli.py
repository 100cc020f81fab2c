"""KDF floor through the real CLI: no weak override, no crash on a hostile key file."""

from __future__ import annotations

import json

import pytest

from app.records.storage.keys import DEFAULT_SCRYPT_LOG_N
from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin, snapshot

GOOD = PASSWORD + "\n"


@pytest.mark.parametrize(
    ("field", "value"),
    [("log_n", 40), ("log_n", 0), ("p", 1_000_000), ("salt", "AAAA")],
)
def test_out_of_range_kdf_parameters_exit_1_with_one_line(center, tmp_path, field, value):
    """Failed on main before: log_n 40 was exit 3, "internal error (MemoryError)"."""
    keys_path = center / "keys.json"
    data = json.loads(keys_path.read_text("utf-8"))
    data["users"]["admin"]["kdf"][field] = value
    keys_path.write_text(json.dumps(data))
    before = snapshot(center)
    done = run_admin("verify", str(center), "--user", "admin", stdin=GOOD, timeout=60)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "keys.json" in lines[0] and "damaged" in lines[0], lines
    assert snapshot(center) == before
    # The other users' entries are intact: they still open the record.
    other = run_admin("user", "list", str(center), "--user", "medico", stdin=GOOD)
    assert other.returncode == 0, other.stderr


def test_the_cli_ignores_an_unsafe_cost_override(tmp_path, monkeypatch):
    """Failed on main before: MEDIRETE_SCRYPT_LOG_N=1 wrapped the admin's key with log_n 1."""
    monkeypatch.setenv("MEDIRETE_SCRYPT_LOG_N", "1")
    root = tmp_path / "c"
    data_dir = tmp_path / "data"
    done = run_admin("center", "init", str(root), "--name", "Centro", "--admin", "capo",
                     stdin=GOOD + GOOD, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    kdf = json.loads((root / "keys.json").read_text("utf-8"))["users"]["capo"]["kdf"]
    assert kdf["log_n"] == DEFAULT_SCRYPT_LOG_N
    log = (data_dir / "logs" / "medirete-admin.log").read_text("utf-8")
    assert "MEDIRETE_SCRYPT_LOG_N='1' ignored" in log
