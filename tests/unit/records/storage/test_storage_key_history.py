"""What an old copy of keys.json (every old backup header holds one) can still open."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.errors import WrongPassword
from app.records.services import Records
from app.records.storage.center import CenterPaths, load_keys
from app.records.storage.engine import open_engine
from app.records.storage.keys import KeyFile
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-password-7"


def opens_record(center, db_key: bytes) -> bool:
    """True if the live record decrypts with ``db_key``."""
    engine = open_engine(CenterPaths(center).db, db_key, writer=False)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).first()
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def old_private_next_to_current_seal(old: KeyFile, current: KeyFile, username: str) -> KeyFile:
    """What the holder of an old keys.json tries: the old wrapped private key, today's seal."""
    hybrid = copy.deepcopy(current)
    hybrid.users[username] = {
        **current.users[username],
        "kdf": old.users[username]["kdf"],
        "private": old.users[username]["private"],
    }
    return hybrid


def test_own_password_change_makes_a_new_key_pair(center, open_as):
    """Failed on main before: the change re-wrapped the same private key, so the old
    keys.json plus the old password unsealed every key sealed to the user later,
    re-keys included (the hybrid unlock below returned the live key)."""
    paths = CenterPaths(center)
    old = KeyFile.load(paths.keys)
    gp = open_as("medico")
    gp.users.change_own_password(PASSWORD, NEW_PASSWORD)
    # Until the next re-key the old file still opens the live record (documented in 0002).
    old_key = old.unlock("medico", PASSWORD)
    assert old_key == gp.db.db_key and opens_record(center, old_key)
    with pytest.raises(WrongPassword):
        old_private_next_to_current_seal(old, load_keys(paths), "medico").unlock(
            "medico", PASSWORD
        )
    gp.close()
    open_as("admin").maintenance.rekey()
    current = load_keys(paths)
    with pytest.raises(WrongPassword):
        old_private_next_to_current_seal(old, current, "medico").unlock("medico", PASSWORD)
    with pytest.raises(WrongPassword):
        current.unseal("medico", old.private_key("medico", PASSWORD))
    assert not opens_record(center, old_key)
    Records.open(center, "medico", NEW_PASSWORD).close()


def test_admin_reset_makes_a_new_key_pair(center, open_as):
    """(Already true on main: a reset always made a new pair; kept as a regression test.)"""
    paths = CenterPaths(center)
    old = KeyFile.load(paths.keys)
    admin = open_as("admin")
    admin.users.reset_password("medico", NEW_PASSWORD)
    admin.maintenance.rekey()
    current = load_keys(paths)
    with pytest.raises(WrongPassword):
        old_private_next_to_current_seal(old, current, "medico").unlock("medico", PASSWORD)
    assert not opens_record(center, old.unlock("medico", PASSWORD))
    with pytest.raises(WrongPassword):
        Records.open(center, "medico", PASSWORD)
    Records.open(center, "medico", NEW_PASSWORD).close()


def test_a_deactivated_user_and_a_rekey_leave_the_old_material_no_way_in(center, open_as):
    paths = CenterPaths(center)
    old = KeyFile.load(paths.keys)
    old_private = old.private_key("medico2", PASSWORD)
    admin = open_as("admin")
    admin.users.deactivate("medico2")
    # Deactivation alone: the old file still yields the live key (until the re-key).
    assert opens_record(center, old.unlock("medico2", PASSWORD))
    admin.maintenance.rekey()
    current = load_keys(paths)
    assert "medico2" not in current.users
    assert not opens_record(center, old.unlock("medico2", PASSWORD))
    for username in current.users:  # no entry today is sealed to the old key pair
        with pytest.raises(WrongPassword):
            current.unseal(username, old_private)
    assert not current.workstations
    with pytest.raises(WrongPassword):
        Records.open(center, "medico2", PASSWORD)
