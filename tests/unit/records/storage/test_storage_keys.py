"""Key wrapping, password changes, re-key and the workstation keyring."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.errors import InvalidInput, WrongPassword
from app.records.services import Records
from app.records.storage.center import CenterPaths, load_keys
from app.records.storage.engine import open_engine
from app.records.storage.keys import KeyFile
from app.records.storage.workstation import enroll, forget, unlock_workstation
from tests.conftest import PASSWORD


@settings(max_examples=10, deadline=None)
@given(password=st.text(min_size=8, max_size=40), other=st.text(min_size=8, max_size=40))
def test_wrap_unwrap_round_trip_and_wrong_password(password, other):
    os.environ["MEDIRETE_SCRYPT_LOG_N"] = "14"
    try:
        key = os.urandom(32)
        keys = KeyFile("center", "k1")
        keys.add_user("u", password, key)
        assert keys.unlock("u", password) == key
        if other != password:
            with pytest.raises(WrongPassword):
                keys.unlock("u", other)
    finally:
        os.environ["MEDIRETE_SCRYPT_LOG_N"] = "14"


def test_key_file_holds_no_key_in_clear(center):
    raw = CenterPaths(center).keys.read_bytes()
    records = Records.open(center, "admin", PASSWORD)
    try:
        key = records.db.db_key
    finally:
        records.close()
    assert key not in raw and key.hex().encode() not in raw


def test_unknown_user_and_wrong_password_say_the_same(center):
    with pytest.raises(WrongPassword) as unknown:
        Records.open(center, "nobody", PASSWORD)
    with pytest.raises(WrongPassword) as wrong:
        Records.open(center, "medico", "not-the-password")
    assert unknown.value.user_message("it") == wrong.value.user_message("it")
    assert "password" in wrong.value.user_message("it").lower()


def test_change_own_password_rewraps(center, open_as):
    gp = open_as("medico")
    gp.users.change_own_password(PASSWORD, "a-new-password-1")
    with pytest.raises(WrongPassword):
        Records.open(center, "medico", PASSWORD)
    Records.open(center, "medico", "a-new-password-1").close()
    with pytest.raises(InvalidInput):
        gp.users.change_own_password("a-new-password-1", "short")


def test_rekey_changes_the_database_key_and_everyone_still_logs_in(center, open_as):
    admin = open_as("admin")
    old_key = admin.db.db_key
    admin.maintenance.rekey()
    assert admin.db.db_key != old_key
    for user in ("admin", "medico", "infermiere", "segreteria"):
        Records.open(center, user, PASSWORD).close()
    engine = open_engine(CenterPaths(center).db, old_key, writer=False)
    with pytest.raises(Exception, match="not a database"), engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM patient"))
    engine.dispose()
    assert admin.audit.verify().ok


def test_interrupted_rekey_is_finished_on_next_unlock(center):
    # Simulate a crash after the database was re-keyed but before keys.json was renamed.
    paths = CenterPaths(center)
    records = Records.open(center, "admin", PASSWORD)
    before = paths.keys.read_bytes()
    records.maintenance.rekey()
    records.close()
    after = paths.keys.read_bytes()
    paths.keys.with_name("keys.json.next").write_bytes(after)
    paths.keys.write_bytes(before)
    reopened = Records.open(center, "medico", PASSWORD)
    reopened.close()
    assert not paths.keys.with_name("keys.json.next").exists()
    assert paths.keys.read_bytes() == after


def test_workstation_keyring_unlock(center, memory_keyring):
    records = Records.open(center, "admin", PASSWORD)
    try:
        enroll(records.db, "ambulatorio-1")
        key = records.db.db_key
    finally:
        records.close()
    assert memory_keyring.store  # the secret went to the keyring, not to a file
    paths = CenterPaths(center)
    assert unlock_workstation(paths, "ambulatorio-1") == key
    with pytest.raises(WrongPassword):
        unlock_workstation(paths, "ambulatorio-2")
    forget(paths, "ambulatorio-1")
    assert "ambulatorio-1" not in load_keys(paths).workstations
    with pytest.raises(WrongPassword):
        unlock_workstation(paths, "ambulatorio-1")
