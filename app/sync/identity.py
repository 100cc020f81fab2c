"""This workstation's place in the center: its name, role, certificate and key, the CA.

Kept in the record's own metadata, inside the encrypted file: the TLS key is readable
only by someone who unlocks the record, goes wherever the record goes (a backup, a
re-key), and never replicates (metadata is not logged). The CA's private key is kept
where the center's first invitation was made and on the full workstations invited since,
encrypted under a passphrase sealed to the admins (``app.sync.ca_store``, ADR 0027).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection

from app.core.errors import MedireteError
from app.records.journal import get_meta, set_meta

IDENTITY_KEY = "sync_identity"
CA_KEY_KEY = "sync_ca_key"  # the CA's private key, encrypted PEM (app.sync.ca_store)


class NotPaired(MedireteError):
    message = ("This workstation is not paired for sync yet: an admin makes an invitation "
               "(sync invite) on a paired workstation, then it joins (sync join)")


@dataclass(frozen=True)
class WorkstationIdentity:
    """Who this workstation is to its peers."""

    workstation: str
    role: str  # "full" or "front-desk"
    center_name: str
    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes
    peers: tuple[str, ...] = ()  # addresses learnt at pairing (host:port)

    def to_json(self) -> str:
        """The stored form."""
        return json.dumps({
            "workstation": self.workstation, "role": self.role,
            "center_name": self.center_name, "ca_pem": self.ca_pem.decode("ascii"),
            "cert_pem": self.cert_pem.decode("ascii"), "key_pem": self.key_pem.decode("ascii"),
            "peers": list(self.peers)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> WorkstationIdentity:
        """Read the stored form back."""
        data = json.loads(text)
        return cls(str(data["workstation"]), str(data["role"]), str(data["center_name"]),
                   str(data["ca_pem"]).encode("ascii"), str(data["cert_pem"]).encode("ascii"),
                   str(data["key_pem"]).encode("ascii"),
                   tuple(str(p) for p in data.get("peers", [])))


def load_identity(conn: Connection) -> WorkstationIdentity:
    """This workstation's identity; ``NotPaired`` when it has none."""
    stored = get_meta(conn, IDENTITY_KEY)
    if not stored:
        raise NotPaired()
    return WorkstationIdentity.from_json(stored)


def find_identity(conn: Connection) -> WorkstationIdentity | None:
    """The identity, or None before pairing."""
    stored = get_meta(conn, IDENTITY_KEY)
    return WorkstationIdentity.from_json(stored) if stored else None


def save_identity(conn: Connection, identity: WorkstationIdentity) -> None:
    """Store the identity (in the caller's transaction)."""
    set_meta(conn, IDENTITY_KEY, identity.to_json())


def ca_key(conn: Connection) -> bytes | None:
    """The CA's encrypted private key, where this workstation holds it."""
    stored = get_meta(conn, CA_KEY_KEY)
    return stored.encode("ascii") if stored else None


def save_ca_key(conn: Connection, encrypted_pem: bytes) -> None:
    """Keep the CA's encrypted private key (in the caller's transaction)."""
    set_meta(conn, CA_KEY_KEY, encrypted_pem.decode("ascii"))
