"""Fuzzing ``medirete-admin``: bad passwords, paths, damaged files and stdin bytes.

Each generated case is a bad input (a wrong password, a damaged or missing file, bytes
that are not text, a path that is not a center), run through the real ``main()`` with
real stdin bytes on a real copy of an encrypted center. The answer is exit 1 with exactly
one line on stderr, or exit 2 for wrong usage; never exit 3 (a bug). A wrong password
leaves the center's files byte for byte as they were. The right password on a damaged
center may still succeed for a verb that never reads the damage, except ``verify``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.admin import cli
from tests.conftest import PASSWORD
from tests.integration.admin_cli import snapshot

CASES = 1000
CENTER_FILES = ("record.db", "keys.json", "center.json")
VERBS = (
    ("verify", "{c}", "--user", "{u}"),
    ("user", "list", "{c}", "--user", "{u}"),
    ("backup", "{c}", "{out}/copy.mrb", "--user", "{u}"),
    ("user", "add", "{c}", "--as", "{u}", "--user", "nuovo", "--role", "gp"),
    ("user", "passwd", "{c}", "--user", "{u}"),
    ("rekey", "{c}", "--user", "{u}"),
    ("enroll-workstation", "{c}", "--user", "{u}"),
    ("import-codes", "{c}", "{out}/codes.csv", "--kind", "icd9cm", "--user", "{u}"),
    ("restore", "{out}/garbage.mrb", "{out}/restored", "--user", "{u}"),
    ("demo", "{c}", "--patients", "3"),
    ("center", "init", "{c}", "--name", "Doppio", "--admin", "{u}"),
)
USERS = st.sampled_from(["admin", "medico", "segreteria", "nessuno", "ADMIN", "admin "])
WRONG_PASSWORD = st.one_of(
    st.binary(max_size=40).filter(lambda b: b"\n" not in b),  # any bytes, UTF-8 or not
    st.text(max_size=30).filter(lambda t: "\n" not in t and "\r" not in t)
    .map(lambda t: t.encode("utf-8", "surrogatepass")),
).filter(lambda b: b != PASSWORD.encode())
DAMAGES = st.sampled_from(
    ["none", "truncate-keys", "garbage-keys", "empty-center", "garbage-center",
     "delete-db", "flip-db", "truncate-db", "empty-db", "db-is-folder"])


def _damage(root: Path, how: str, offset: int) -> None:
    db, keys, info = root / "record.db", root / "keys.json", root / "center.json"
    if how == "truncate-keys":
        keys.write_bytes(keys.read_bytes()[: offset % 200])
    elif how == "garbage-keys":
        keys.write_bytes(b'{"format": 1, "users": [1, 2')
    elif how == "empty-center":
        info.write_bytes(b"")
    elif how == "garbage-center":
        info.write_bytes(b"\xff\xfe not json")
    elif how == "delete-db":
        db.unlink()
    elif how == "flip-db":
        data = bytearray(db.read_bytes())
        for i in range(offset % len(data), min(len(data), offset % len(data) + 64)):
            data[i] ^= 0xFF
        db.write_bytes(bytes(data))
    elif how == "truncate-db":
        db.write_bytes(db.read_bytes()[: 4096 * (1 + offset % 50)])
    elif how == "empty-db":
        db.write_bytes(b"")
    elif how == "db-is-folder":
        db.unlink()
        db.mkdir()


def _run(argv: list[str], stdin: bytes) -> tuple[int, str]:
    """``main(argv)`` with these bytes on a real (non-terminal) stdin; (code, stderr)."""
    err = io.StringIO()
    fake_in = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
    saved = sys.stdin
    sys.stdin = fake_in
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:  # argparse's usage errors
                code = int(exit_.code or 0)
    finally:
        sys.stdin = saved
    return code, err.getvalue()


@pytest.fixture
def quiet_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No log set-up per case (handlers would pile up) and no log line on stderr.

    The real program logs to its file only (its console handler takes nothing below
    CRITICAL); here a null handler stands in, so Python's last-resort handler never
    writes a warning to the stderr under test.
    """
    monkeypatch.setattr(cli, "setup_logging", lambda *_a, **_k: None)
    root = logging.getLogger()
    null = logging.NullHandler()
    root.addHandler(null)
    yield
    root.removeHandler(null)


@settings(max_examples=CASES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(verb=st.sampled_from(VERBS), user=USERS, password=WRONG_PASSWORD, damage=DAMAGES,
       offset=st.integers(min_value=0, max_value=10**7), good_password=st.booleans())
def test_bad_inputs_exit_1_or_2_with_one_line_and_change_nothing(
    template_center, tmp_path_factory, quiet_logging, verb, user, password, damage, offset,
    good_password,
):
    work = tmp_path_factory.mktemp("fuzz")
    center = work / "center"
    shutil.copytree(template_center, center)
    _damage(center, damage, offset)
    (work / "garbage.mrb").write_bytes(password + b"MEDIRETE" * (offset % 7))
    (work / "codes.csv").write_bytes(password)
    # The right password only on a damaged center: otherwise the case would be valid.
    right = good_password and damage != "none"
    secret = PASSWORD.encode() if right else password
    before = snapshot(center)
    argv = [a.format(c=center, u=user, out=work) for a in verb]
    code, stderr = _run(argv, (secret + b"\n") * 3)
    if right:
        # A verb that never reads the damaged page may succeed (and its login writes an
        # audit event), but verify checks every page: it must fail on a flipped byte.
        allowed = (1, 2) if verb[0] == "verify" and user == "admin" else (0, 1, 2)
    else:
        allowed = (1, 2)
    assert code in allowed, (argv, damage, code, stderr)
    if code == 1:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("medirete-admin: "), stderr
    if not right:  # a refused password must leave every file as it was
        after = snapshot(center)
        changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)
                   and Path(p).name in CENTER_FILES}
        assert not changed, (argv, damage, changed)
    shutil.rmtree(work, ignore_errors=True)
