"""The center lock: shared by every open record, exclusive for a re-key, bounded waits."""

from __future__ import annotations

import time

import pytest

from app.core.errors import WrongPassword
from app.records.services import Records
from app.records.storage.lock import CenterLock, RecordInUse, RekeyInProgress
from tests.conftest import PASSWORD


def test_openers_share_and_a_rekey_needs_the_lock_alone(tmp_path):
    # Two handles conflict like two programs (flock and LockFileEx lock per open file).
    first, second = CenterLock(tmp_path), CenterLock(tmp_path)
    try:
        first.shared(0)
        second.shared(0)
        with pytest.raises(RecordInUse):
            second.exclusive(0.2)
        assert second.mode == "shared"  # a refused re-key keeps the record open
        first.close()
        second.exclusive(0)
        assert second.mode == "exclusive"
    finally:
        first.close()
        second.close()


def test_an_opener_waits_a_bounded_time_for_a_rekey(tmp_path):
    rekeying, opener = CenterLock(tmp_path), CenterLock(tmp_path)
    try:
        rekeying.exclusive(0)
        started = time.monotonic()
        with pytest.raises(RekeyInProgress):
            opener.shared(0.3)
        assert 0.3 <= time.monotonic() - started < 5
        assert opener.mode is None
        assert not opener.try_exclusive()
        rekeying.shared(0)  # the re-key is over: back to an ordinary open record
        opener.shared(0)
    finally:
        rekeying.close()
        opener.close()


def test_closing_twice_is_harmless_and_the_lock_file_is_owner_only(tmp_path):
    lock = CenterLock(tmp_path)
    lock.shared(0)
    lock.close()
    lock.close()
    assert (tmp_path / "record.lock").stat().st_mode & 0o077 == 0
    assert (tmp_path / "record.lock").read_bytes() == b""


def test_an_open_record_holds_the_lock_until_closed(center):
    records = Records.open(center, "medico", PASSWORD)
    probe = CenterLock(center)
    try:
        assert records.db.lock is not None and records.db.lock.mode == "shared"
        assert not probe.try_exclusive()
        records.close()
        assert probe.try_exclusive()
    finally:
        records.close()
        probe.close()


def test_rekey_in_one_program_is_refused_while_a_second_handle_is_open(center, open_as):
    admin = open_as("admin")
    other = open_as("medico")  # same process, own handle: counts as another program
    with pytest.raises(RecordInUse):
        admin.maintenance.rekey()
    other.close()
    old_key = admin.db.db_key
    admin.maintenance.rekey()
    assert admin.db.db_key != old_key
    assert admin.db.lock is not None and admin.db.lock.mode == "shared"
    assert "medico" in {user.username for user in admin.users.list()}


def test_a_wrong_password_creates_no_lock_file(center):
    (center / "record.lock").unlink(missing_ok=True)
    with pytest.raises(WrongPassword):
        Records.open(center, "medico", "not-the-password")
    assert not (center / "record.lock").exists()


def test_a_rekey_with_a_stale_key_is_refused_and_loses_nothing(center, open_as):
    first, second = open_as("admin"), open_as("admin")

    def between_lock_modes(records):
        # What rekey does before it asks for the lock alone: close connections, release.
        records.db.read_engine.dispose()
        records.db.write_engine.dispose()
        records.db.lock.release()

    between_lock_modes(second)
    first.maintenance.rekey()
    between_lock_modes(first)  # now the other way round: the second gets the lock alone
    with pytest.raises(RecordInUse):
        second.maintenance.rekey()  # its key is the one before the first re-key
    assert not (center / "keys.json.next").exists()
    first.db.lock.shared(0)
    second.close()
    Records.open(center, "medico", PASSWORD).close()
    assert "medico" in {user.username for user in first.users.list()}
