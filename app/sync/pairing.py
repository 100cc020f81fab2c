"""Pairing a workstation: the invitation an admin makes, the replica made from it.

One place for what ``medirete-admin sync invite`` / ``sync join`` and the desktop's
pairing dialogs (and its demo) do, so the two never drift: the center's CA is made on
first use on the inviting workstation, a certificate is issued for the new one, and the
bundle (center, key file, staff, certificate, key) is sealed under a one-time code. The
new workstation opens it with the code, shows the center's name and CA fingerprint for a
person to compare, and makes its replica (``replica_files.create_replica``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from app.core.errors import InvalidInput
from app.records.services import Records
from app.records.storage.center import load_keys, workstation_name
from app.sync.ca_store import (
    ca_material,
    keep_ca,
    new_passphrase,
    unlock_ca,
)
from app.sync.identity import WorkstationIdentity, find_identity, save_identity
from app.sync.pki import (
    CenterAuthority,
    create_ca,
    fingerprint,
    issue_workstation,
    open_invitation,
    seal_invitation,
)
from app.sync.replica_files import create_replica, staff_rows

ROLES = ("full", "front-desk")


class InvitationUnreadable(InvalidInput):
    message = "The invitation's content cannot be read"


@dataclass(frozen=True)
class Authority:
    """The center's CA as unlocked here; ``created_for`` names this workstation when
    the CA (and this workstation's own certificate) was made just now."""

    ca: CenterAuthority
    created_for: str | None = None


@dataclass(frozen=True)
class Invitation:
    """A sealed invitation and what the inviting admin reads on screen."""

    blob: bytes
    code: str
    center_name: str
    ca_fingerprint: str
    workstation: str
    role: str
    created_for: str | None = None  # see Authority


@dataclass(frozen=True)
class OpenedInvitation:
    """An invitation opened with its code: what the joining person checks, and the bundle."""

    bundle: Mapping[str, Any]

    @property
    def center_name(self) -> str:
        """The center's name as its creator gave it."""
        return str(self.bundle["center_name"])

    @property
    def ca_fingerprint(self) -> str:
        """To compare with the one on the inviting workstation's screen."""
        return fingerprint(bytes(self.bundle["ca_pem"]))

    @property
    def workstation(self) -> str:
        """The name the new workstation gets."""
        return str(self.bundle["workstation"])

    @property
    def role(self) -> str:
        """``full`` or ``front-desk``."""
        return str(self.bundle["role"])


def center_authority(records: Records, password: str, this_name: str | None) -> Authority:
    """The center's CA, made on first use here (with this workstation's own certificate)."""
    with records.db.read_engine.connect() as conn:
        me = find_identity(conn)
    if me is not None:
        return Authority(unlock_ca(records, password, me.ca_pem))
    # The CA's key is sealed to the admins' keys: the password must be this admin's own
    # (WrongPassword), and only an admin's session goes on (``pair`` checks the right).
    load_keys(records.db.paths).private_key(records.actor.username, password)
    ca = create_ca(records.db.center_id, records.center_name)
    name = this_name or workstation_name()
    issued = issue_workstation(ca, records.db.center_id, name, "full")
    records.workstations.pair(name, "full", fingerprint(issued.cert_pem))
    passphrase = new_passphrase()
    records.users.seal_center_ca(passphrase, fresh=True)
    with records.db.write_engine.begin() as conn:
        keep_ca(conn, ca, passphrase)
        save_identity(conn, WorkstationIdentity(name, "full", records.center_name, ca.cert_pem,
                                                issued.cert_pem, issued.key_pem))
    return Authority(ca, name)


def invite(records: Records, password: str, *, workstation: str | None = None,
           role: str = "full", addresses: Sequence[str] = (),
           this_name: str | None = None) -> Invitation:
    """Issue a certificate for a new workstation and seal the bundle under a new code.

    ``records`` is an admin's session and ``password`` that admin's (it unlocks the CA);
    ``addresses`` (``host:port``) tell the new workstation where to find this one.
    """
    if role not in ROLES:
        raise InvalidInput(detail=role)
    authority = center_authority(records, password, this_name)
    ca = authority.ca
    name = workstation or f"postazione-{len(records.workstations.list()) + 1}"
    issued = issue_workstation(ca, records.db.center_id, name, role)
    with records.db.read_engine.connect() as conn:
        staff = staff_rows(conn)
        material = ca_material(conn) if role == "full" else None
    bundle: dict[str, Any] = {
        "center_id": records.db.center_id, "center_name": records.center_name,
        "keys": records.db.paths.keys.read_text("utf-8"), "staff": staff,
        "ca_pem": ca.cert_pem, "cert_pem": issued.cert_pem, "key_pem": issued.key_pem,
        "workstation": name, "role": role, "peers": list(addresses),
    }
    if material is not None:  # a full workstation may invite and revoke too (ADR 0027)
        bundle["ca"] = material
    blob, code = seal_invitation(cbor2.dumps(bundle))
    records.workstations.pair(name, role, fingerprint(issued.cert_pem))
    return Invitation(blob, code, str(bundle["center_name"]), fingerprint(ca.cert_pem), name,
                      role, authority.created_for)


def open_bundle(blob: bytes, code: str) -> OpenedInvitation:
    """Open an invitation with its one-time code (``InvitationCodeWrong`` otherwise)."""
    payload = open_invitation(blob, code)
    try:
        bundle = cbor2.loads(payload)
    except (ValueError, cbor2.CBORDecodeError):
        raise InvitationUnreadable() from None
    needed = ("center_id", "center_name", "keys", "staff", "ca_pem", "cert_pem", "key_pem",
              "workstation", "role")
    if not isinstance(bundle, dict) or any(key not in bundle for key in needed):
        raise InvitationUnreadable()
    return OpenedInvitation(bundle)


def join(root: Path, opened: OpenedInvitation, username: str, password: str) -> None:
    """Make ``root`` this workstation's new replica (the user must be on the center's
    staff, with the same password as there)."""
    create_replica(root, opened.bundle, username, password)
