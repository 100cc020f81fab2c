"""A new workstation replica on disk, made from an invitation's bundle.

The bundle carries what the log alone cannot: the center's identity (id, name, CA),
the key file (every user's keys, wrapped under their own passwords, so a user logs in
here with the same password), the staff as they are now (the first admin was created
before anything was logged), and this workstation's certificate and key (kept in the
record's metadata, ``app.sync.identity``). Everything else
arrives from the peers' logs once ``sync serve`` runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from app.core.clock import new_id
from app.core.errors import CenterExists, InvalidInput
from app.core.files import open_private, private_dirs
from app.records.codes.store import load_shipped_codes
from app.records.journal import SCHEMA_VERSION_KEY, canonical_json, set_meta
from app.records.model import Role, User
from app.records.storage.center import CENTER_FORMAT, ROLES, CenterPaths, _open
from app.records.storage.clinical import create_clinical_file
from app.records.storage.engine import checkpoint
from app.records.storage.keys import KeyFile, write_atomically
from app.records.storage.migrate import PROGRAM_VERSION_KEY, head_revision, program_version, upgrade
from app.records.storage.sqlerrors import translating_db_errors
from app.sync.ca_store import save_ca_material
from app.sync.identity import WorkstationIdentity, save_identity


def staff_rows(conn: Connection) -> list[dict[str, Any]]:
    """The users as they are now, as JSON-safe rows (for an invitation)."""
    rows = conn.execute(select(*User.__table__.columns)).mappings().all()
    return [json.loads(canonical_json(dict(row))) for row in rows]


def _user_row(data: Mapping[str, Any]) -> dict[str, Any]:
    created = datetime.fromisoformat(str(data["created_at"]))
    return {"id": str(data["id"]), "username": str(data["username"]),
            "full_name": str(data["full_name"]), "role": str(data["role"]),
            "active": bool(data["active"]),
            "key_entry": data.get("key_entry"),
            "created_at": created if created.tzinfo else created.replace(tzinfo=UTC)}


def create_replica(root: Path, bundle: Mapping[str, Any], username: str, password: str) -> None:
    """Make ``root`` a new, empty replica of the bundle's center; the user must unlock it.

    The password is checked against the bundle's key file before anything is written.
    """
    paths = CenterPaths(root)
    if paths.exists() or paths.info.exists():
        raise CenterExists(path=str(root))
    keys = KeyFile.load_text(str(bundle["keys"]), str(paths.keys))
    if keys.center_id != bundle["center_id"]:
        raise InvalidInput(detail="the invitation's key file belongs to another center")
    private = keys.private_key(username, password)  # WrongPassword before any file
    db_key = keys.unseal(username, private)
    clinical_key = keys.unseal_clinical(username, private)
    private_dirs(root)
    open_private(paths.db).close()
    db = _open(paths, db_key, keys.center_id)
    try:
        with translating_db_errors(), db.write_engine.begin() as conn:
            upgrade(conn)
            set_meta(conn, "center_id", keys.center_id)
            set_meta(conn, "center_name", str(bundle["center_name"]))
            set_meta(conn, "node_id", new_id())
            set_meta(conn, SCHEMA_VERSION_KEY, head_revision())
            set_meta(conn, PROGRAM_VERSION_KEY, program_version())
            load_shipped_codes(conn)
            conn.execute(insert(Role), [{"name": k, "description": v} for k, v in ROLES.items()])
            conn.execute(insert(User), [_user_row(r) for r in bundle["staff"]])
            save_identity(conn, WorkstationIdentity(
                str(bundle["workstation"]), str(bundle["role"]), str(bundle["center_name"]),
                bytes(bundle["ca_pem"]), bytes(bundle["cert_pem"]), bytes(bundle["key_pem"]),
                tuple(str(p) for p in bundle.get("peers", []))))
            if bundle["role"] == "full":
                save_ca_material(conn, bundle.get("ca"))
        with translating_db_errors():
            checkpoint(db.write_engine)
    finally:
        db.close()
    keys.save(paths.keys)
    if clinical_key is not None and keys.clinical_key_id is not None:
        create_clinical_file(paths, clinical_key, keys.center_id, keys.clinical_key_id)
    info = {"format": CENTER_FORMAT, "center_id": keys.center_id}
    write_atomically(paths.info, json.dumps(info, indent=1).encode("utf-8"))
