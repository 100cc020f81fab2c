"""Where the center's CA key is kept, and who may unlock it (ADR 0027).

The CA's private key is stored (record metadata) encrypted under a random passphrase
fixed when the CA is made; the passphrase is sealed to each admin's key pair, inside that
admin's entry of ``keys.json`` (beside the sealed record key). A user's key entry travels
to every workstation with the ``user`` row, and a password change seals the passphrase to
the new key pair, so the CA opens with an admin's current password wherever it is held,
whichever workstation the password was changed on. Each unlock seals it to the active
admins who lack it (added since, or reset: a reset makes a new key pair).

A CA stored by an earlier version (encrypted under the admin's password of that day)
opens with that password once and is then stored this way.

An invitation for a full workstation carries the encrypted key (the seals come with the
key file it carries anyway), so that an admin can invite or revoke from any full
workstation paired since, not only from the one where the center began. A front desk
never receives it.
"""

from __future__ import annotations

import base64
import secrets

from sqlalchemy import Connection

from app.core.errors import AccessDenied, MedireteError, WrongPassword
from app.core.formats import role_msgid
from app.records.journal import get_meta, set_meta
from app.records.services import Records
from app.records.storage.center import load_keys
from app.sync.identity import ca_key, save_ca_key
from app.sync.pki import CenterAuthority

CA_FORMAT_KEY = "sync_ca_format"  # "sealed-1": under a passphrase sealed to the admins
SEALED = "sealed-1"
ADMIN_ROLE = "admin"


class CenterAuthorityElsewhere(MedireteError):
    message = ("The center's certificate authority is kept on another workstation: "
               "make invitations and revocations there")


class CenterAuthorityNotSealedToYou(WrongPassword):
    message = ("The center's certificate authority is not open to {user} yet (an admin "
               "added or whose password was reset since): it opens for another admin once, "
               "and then for every admin")


def new_passphrase() -> bytes:
    """The passphrase of a CA made now: sealed to the admins (``seal_center_ca`` with
    ``fresh``) before the key is stored under it, so that a stop in between never
    leaves a key nobody can open."""
    return secrets.token_bytes(32)


def keep_ca(conn: Connection, ca: CenterAuthority, passphrase: bytes) -> None:
    """Store the CA key under ``passphrase`` (in the caller's transaction)."""
    save_ca_key(conn, ca.encrypted_key_pem(_text(passphrase)))
    set_meta(conn, CA_FORMAT_KEY, SEALED)


def unlock_ca(records: Records, password: str, ca_pem: bytes) -> CenterAuthority:
    """The CA, opened with the admin's password (``records`` is the admin's session);
    then sealed to the active admins who lack it."""
    with records.db.read_engine.connect() as conn:
        encrypted, stored_as = ca_key(conn), get_meta(conn, CA_FORMAT_KEY)
    if encrypted is None:
        raise CenterAuthorityElsewhere()
    if records.actor.role != ADMIN_ROLE:
        raise AccessDenied(role=role_msgid(records.actor.role),
                           action="unlock the center's certificate authority")
    user = records.actor.username
    if stored_as != SEALED:  # an earlier version's: under the admin's password of that day
        ca = CenterAuthority.load(ca_pem, encrypted, password)
        passphrase = new_passphrase()
        # Sealed first: a stop in between leaves the old form, which this redoes.
        records.users.seal_center_ca(passphrase, fresh=True)
        with records.db.write_engine.begin() as conn:
            keep_ca(conn, ca, passphrase)
        return ca
    keys = load_keys(records.db.paths)
    sealed = keys.unseal_center_ca(user, keys.private_key(user, password))
    if sealed is None:
        raise CenterAuthorityNotSealedToYou(user=user)
    ca = CenterAuthority.load(ca_pem, encrypted, _text(sealed))
    records.users.seal_center_ca(sealed)
    return ca


def ca_material(conn: Connection) -> str | None:
    """The encrypted CA key an invitation for a full workstation carries, when held
    here and stored this way."""
    encrypted = ca_key(conn)
    if encrypted is None or get_meta(conn, CA_FORMAT_KEY) != SEALED:
        return None
    return encrypted.decode("ascii")


def save_ca_material(conn: Connection, material: object) -> None:
    """Keep the CA key an invitation carried (anything else is ignored: the workstation
    then simply cannot invite)."""
    if isinstance(material, str) and material.startswith("-----BEGIN"):
        save_ca_key(conn, material.encode("ascii"))
        set_meta(conn, CA_FORMAT_KEY, SEALED)


def _text(passphrase: bytes) -> str:
    return base64.b64encode(passphrase).decode("ascii")
