"""Unlocking on a trusted workstation through the OS keyring (Windows Credential Manager).

The keyring holds a random 32-byte secret for this workstation; ``keys.json`` holds
the database key wrapped with it. Neither alone opens the record.
"""

from __future__ import annotations

import os

from app.core.errors import MedireteError, WrongPassword
from app.records.storage.center import CenterPaths, Database, load_keys
from app.records.storage.keys import KEYRING_SERVICE


class KeyringUnavailable(MedireteError):
    message = "The system keyring is not available on this workstation"


def _account(center_id: str, workstation: str) -> str:
    return f"{center_id}:{workstation}"


def enroll(db: Database, workstation: str) -> None:
    """Let this workstation open the record without a password (admin's choice)."""
    import keyring.errors  # ~70 ms of imports (urllib, email): only when used

    secret = os.urandom(32)
    try:
        keyring.set_password(KEYRING_SERVICE, _account(db.center_id, workstation), secret.hex())
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable() from exc
    keys = load_keys(db.paths)
    keys.add_workstation(workstation, secret, db.db_key)
    keys.save(db.paths.keys)


def unlock_workstation(paths: CenterPaths, workstation: str) -> bytes:
    """The database key through the keyring, or WrongPassword when not enrolled."""
    import keyring.errors

    keys = load_keys(paths)
    try:
        stored = keyring.get_password(KEYRING_SERVICE, _account(keys.center_id, workstation))
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable() from exc
    if stored is None:
        raise WrongPassword()
    return keys.unlock_workstation(workstation, bytes.fromhex(stored))


def forget(paths: CenterPaths, workstation: str) -> None:
    """Remove this workstation's entry from the keyring and the key file."""
    import keyring.errors

    keys = load_keys(paths)
    try:
        keyring.delete_password(KEYRING_SERVICE, _account(keys.center_id, workstation))
    except keyring.errors.PasswordDeleteError:
        pass  # already absent: the goal is reached
    keys.workstations.pop(workstation, None)
    keys.save(paths.keys)
