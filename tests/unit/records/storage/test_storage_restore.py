"""A failed restore leaves the target folder exactly as it was (issue 6, item 4).

Before the fix a header without ``center`` moved ``record.db`` and ``keys.json`` in and
then failed with a KeyError: half a center, which the next restore refused to replace.
A header without ``content_digest`` (or with ``center`` lacking its id) failed after the
target folder had been created, or restored a center that could not be opened.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import MedireteError
from app.records.services import Records
from app.records.storage.backup import MAGIC, restore_backup
from app.records.storage.center import CenterPaths
from tests.conftest import PASSWORD

# Dotted paths into the header; "keys" is the key file, "center" is center.json.
FIELDS = [
    "format",
    "center_id",
    "created_at",
    "db_size",
    "db_sha256",
    "content_digest",
    "content_digest_version",
    "keys",
    "keys.format",
    "keys.center_id",
    "keys.key_id",
    "keys.users",
    "keys.users.admin",
    "keys.workstations",
    "center",
    "center.format",
    "center.center_id",
]
# A restore needs neither: the time is informative, and without a digest version the
# digest is one an earlier program defined (the database's SHA-256 still protects it).
OPTIONAL = {"created_at", "content_digest_version"}
TARGETS = ("absent", "empty", "holding an unrelated file")


@pytest.fixture(scope="module")
def good_backup(template_center: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("restore")
    center = folder / "center"
    shutil.copytree(template_center, center)
    records = Records.open(center, "admin", PASSWORD)
    try:
        return records.maintenance.backup(folder / "good.mrb").path
    finally:
        records.close()


def _parts(backup: Path) -> tuple[dict[str, Any], bytes]:
    data = backup.read_bytes()
    line, body = data[len(MAGIC) :].split(b"\n", 1)
    return json.loads(line), body


def _write(path: Path, header: dict[str, Any], body: bytes) -> Path:
    path.write_bytes(MAGIC + json.dumps(header).encode("utf-8") + b"\n" + body)
    return path


def _without(header: dict[str, Any], field: str) -> dict[str, Any]:
    changed = copy.deepcopy(header)
    *parents, last = field.split(".")
    node = changed
    for name in parents:
        node = node[name]
    del node[last]
    return changed


def _target(folder: Path, state: str) -> Path:
    target = folder / "restored"
    if state != "absent":
        target.mkdir()
    if state == "holding an unrelated file":
        (target / "leggimi.txt").write_text("note of the admin")
    return target


def _state(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with the content of each file."""
    return {
        str(p.relative_to(folder)): (
            "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        )
        for p in sorted(folder.rglob("*"))
    }


def _restored_center_opens(target: Path) -> None:
    assert CenterPaths(target).exists()
    records = Records.open(target, "admin", PASSWORD)
    try:
        assert records.audit.verify().ok
    finally:
        records.close()


@pytest.mark.parametrize("state", TARGETS)
@pytest.mark.parametrize("field", FIELDS)
def test_a_header_missing_a_field_restores_fully_or_not_at_all(good_backup, tmp_path, field, state):
    header, body = _parts(good_backup)
    backup = _write(tmp_path / "b.mrb", _without(header, field), body)
    target = _target(tmp_path, state)
    before = _state(tmp_path)
    if field in OPTIONAL:
        restore_backup(backup, target, "admin", PASSWORD)
        _restored_center_opens(target)
        return
    with pytest.raises(MedireteError):
        restore_backup(backup, target, "admin", PASSWORD)
    assert _state(tmp_path) == before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
DAMAGE = st.lists(
    st.tuples(st.sampled_from(FIELDS), st.one_of(st.just("delete"), JSON)),
    min_size=1,
    max_size=3,
)


def _damaged(header: dict[str, Any], damage: list[tuple[str, Any]]) -> dict[str, Any]:
    changed = copy.deepcopy(header)
    for field, value in damage:
        *parents, last = field.split(".")
        node: Any = changed
        for name in parents:
            node = node.get(name) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue  # an earlier change already replaced the parent
        if value == "delete":
            node.pop(last, None)
        else:
            node[last] = value
    return changed


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(damage=DAMAGE, state=st.sampled_from(TARGETS))
def test_any_damaged_header_restores_fully_or_leaves_the_target_as_it_was(
    good_backup, tmp_path_factory, damage, state
):
    folder = tmp_path_factory.mktemp("damaged")
    header, body = _parts(good_backup)
    backup = _write(folder / "b.mrb", _damaged(header, damage), body)
    target = _target(folder, state)
    before = _state(folder)
    try:
        restore_backup(backup, target, "admin", PASSWORD)
    except MedireteError:
        assert _state(folder) == before
    else:
        _restored_center_opens(target)


def test_a_failure_while_moving_in_takes_back_what_was_moved(good_backup, tmp_path, monkeypatch):
    """The last step (center.json) fails: keys.json and record.db are taken back out."""
    target = tmp_path / "restored"
    real_replace = os.replace

    def full_at_the_end(src: Any, dst: Any) -> None:
        if Path(dst) == target / "center.json":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_at_the_end)
    with pytest.raises(OSError):
        restore_backup(good_backup, target, "admin", PASSWORD)
    assert not target.exists()


@pytest.mark.parametrize("leftover", ["record.db-wal", "record.db", "keys.json"])
def test_a_folder_with_pieces_of_a_center_is_refused(good_backup, tmp_path, leftover):
    """A stray WAL beside a restored record.db would be replayed into it: never write there."""
    target = tmp_path / "restored"
    target.mkdir()
    (target / leftover).write_bytes(b"left over by a crash")
    before = _state(tmp_path)
    with pytest.raises(MedireteError, match="already exists"):
        restore_backup(good_backup, target, "admin", PASSWORD)
    assert _state(tmp_path) == before
