"""The key file follows the users of the log (users added, passwords changed, users
deactivated on another workstation): each active user's key entry as logged, checked
before it reaches the file, which would otherwise lock every user out."""

from __future__ import annotations

import json

from sqlalchemy import Connection, select

from app.records.model import User
from app.records.storage.center import CenterPaths, load_keys
from app.sync.merges import journal

KEY_ENTRY_FIELDS = frozenset({"kdf", "private", "public", "db_key"})


def key_entry(text: str) -> dict[str, object] | None:
    """A user's key entry from a peer, or None when it is not one (a damaged entry must
    never reach the key file: it would lock every user out of this workstation)."""
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entry, dict) or not KEY_ENTRY_FIELDS <= entry.keys():
        return None
    return entry


def merged_entry(held: dict[str, object] | None, logged: dict[str, object],
                  ) -> dict[str, object]:
    """The key entry to keep: the logged one, unless it is the same key pair as the one
    held here (the same password), whose seals made here without a log entry (the
    clinical key sealed at the first clinical login, this file's record key) are kept.
    A password change or reset makes a new key pair: then the logged entry wins whole."""
    if held is None or held.get("public") != logged.get("public"):
        return logged
    return logged | held


def follow_users(conn: Connection, paths: CenterPaths, peer: str) -> None:
    """Users added, passwords changed or users deactivated on another workstation:
    the key file follows the ``user`` rows (in the batch's transaction, under the
    record's write lock, as a local change of users does)."""
    keys = load_keys(paths)
    changed = []
    for name, active, entry in conn.execute(
            select(User.username, User.active, User.key_entry)).all():
        if not active and name in keys.users:
            keys.remove_user(name)
            changed.append(name)
        elif active and entry is not None:
            wanted = key_entry(entry)
            if wanted is None:
                journal(conn, "key-entry-refused", peer, name)
                continue
            wanted = merged_entry(keys.users.get(name), wanted)
            if keys.users.get(name) != wanted:
                keys.users[name] = wanted
                changed.append(name)
    if changed:
        keys.save(paths.keys)
        journal(conn, "key-file", peer, ", ".join(sorted(changed)))
