"""The database key and how it is kept wrapped.

The database key is 32 random bytes, used raw by SQLCipher. It is never stored in
clear. Each user has an X25519 key pair: the private key is wrapped with a key
derived from the user's password by scrypt (memory-hard); the database key is sealed
to every user's public key. So a re-key (new database key) can be sealed to all users
without knowing their passwords, and a password change makes the user a new key pair
(an old copy of the key file plus the old password then opens nothing sealed later).
A workstation may also keep a wrapping secret in the OS keyring.

Clinical content lives in a second database under a second key, the clinical key
(docs/decisions/0011-clinical-key.md). It is sealed only to clinical users, each copy
under the user's public key; an admin cannot seal it to anyone, since an admin never
holds it: a clinical user who holds it grants it to a new colleague.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.core.errors import InvalidInput, KeyFileDamaged, WrongPassword
from app.core.files import fsync_dir, open_private

log = logging.getLogger(__name__)

KEY_FILE_FORMAT = 1
DB_KEY_BYTES = 32
CENTER_CA_FIELD = "center_ca"  # an admin's seal of the center CA's passphrase (ADR 0027)
# OWASP's scrypt recommendation (128 MiB, about half a second here).
DEFAULT_SCRYPT_LOG_N = 17
# MEDIRETE_SCRYPT_LOG_N may lower the cost to this floor, for test suites only
# (16 MiB, about 40 ms here), or raise it to the ceiling; other values are ignored.
MIN_SCRYPT_LOG_N = 14
MAX_SCRYPT_LOG_N = 20
# What a key file may ask of scrypt when read: a damaged or hostile file declaring
# log_n = 40 would otherwise ask for 128 TiB. Older files below the floor still open.
MAX_SCRYPT_MEMORY = 1 << 30
MAX_SCRYPT_R = 32
MAX_SCRYPT_P = 4
SALT_BYTES = (16, 64)
NONCE_BYTES = 12
SEALED_BYTES = 32 + 16  # a 32-byte key and its AES-GCM tag
PUBLIC_BYTES = 32
KEYRING_SERVICE = "Medirete"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _field(data: dict[str, Any], name: str, low: int, high: int | None = None) -> bytes:
    """A base64 field of a key-file entry whose length is in bounds; ValueError otherwise."""
    raw = base64.b64decode(str(data[name]).encode("ascii"), validate=True)
    if not low <= len(raw) <= (low if high is None else high):
        raise ValueError(f"{name}: {len(raw)} bytes")
    return raw


def _scrypt_params(kdf: dict[str, Any]) -> tuple[bytes, int, int, int]:
    """Salt, log_n, r and p of a stored wrapping, within bounds; ValueError otherwise."""
    log_n, r, p = kdf["log_n"], kdf["r"], kdf["p"]
    if kdf["alg"] != "scrypt" or not all(type(v) is int for v in (log_n, r, p)):
        raise ValueError("not scrypt with integer parameters")
    in_bounds = 1 <= log_n <= MAX_SCRYPT_LOG_N and 1 <= r <= MAX_SCRYPT_R
    if not in_bounds or not 1 <= p <= MAX_SCRYPT_P or 128 * r * (1 << log_n) > MAX_SCRYPT_MEMORY:
        raise ValueError(f"scrypt parameters out of bounds: log_n={log_n} r={r} p={p}")
    return _field(kdf, "salt", *SALT_BYTES), log_n, r, p


def scrypt_log_n() -> int:
    """KDF cost of new wrappings; MEDIRETE_SCRYPT_LOG_N may set it within safe bounds."""
    value = os.environ.get("MEDIRETE_SCRYPT_LOG_N")
    if not value:
        return DEFAULT_SCRYPT_LOG_N
    try:
        log_n = int(value)
    except ValueError:
        log_n = 0
    if MIN_SCRYPT_LOG_N <= log_n <= MAX_SCRYPT_LOG_N:
        return log_n
    log.warning(
        "MEDIRETE_SCRYPT_LOG_N=%r ignored (allowed: %d to %d); using %d",
        value[:20], MIN_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N, DEFAULT_SCRYPT_LOG_N,
    )
    return DEFAULT_SCRYPT_LOG_N


def _derive(password: str, salt: bytes, log_n: int, r: int = 8, p: int = 1) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=1 << log_n, r=r, p=p)
    return kdf.derive(password.encode("utf-8"))


def _seal(public: X25519PublicKey, secret: bytes, aad: bytes) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(public)
    wrap = HKDF(hashes.SHA256(), 32, salt=None, info=b"medirete-seal-v1").derive(shared)
    nonce = os.urandom(12)
    eph_pub = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return {
        "ephemeral": _b64(eph_pub),
        "nonce": _b64(nonce),
        "ct": _b64(AESGCM(wrap).encrypt(nonce, secret, aad)),
    }


def _unseal(private: X25519PrivateKey, sealed: dict[str, str], aad: bytes) -> bytes:
    # Lengths are checked first: a damaged file is KeyFileDamaged, never a crash.
    ephemeral = _field(sealed, "ephemeral", PUBLIC_BYTES)
    nonce, ct = _field(sealed, "nonce", NONCE_BYTES), _field(sealed, "ct", SEALED_BYTES)
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    wrap = HKDF(hashes.SHA256(), 32, salt=None, info=b"medirete-seal-v1").derive(shared)
    return AESGCM(wrap).decrypt(nonce, ct, aad)


@dataclass
class KeyFile:
    """The content of ``keys.json``: one entry per user and per workstation."""

    center_id: str
    key_id: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    workstations: dict[str, dict[str, str]] = field(default_factory=dict)
    # Where the entries came from, for KeyFileDamaged (a path, or a backup's header).
    source: str = field(default="keys.json", compare=False)
    # The generation of the clinical key; None until a clinical user first opens the record.
    clinical_key_id: str | None = None

    # -- persistence -------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read a key file."""
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise KeyFileDamaged(path=str(path)) from None
        return cls.load_text(text, str(path))

    @classmethod
    def load_text(cls, text: str, path: str) -> KeyFile:
        """A key file's text (e.g. carried by an invitation); ``path`` names it in errors."""
        try:
            data = json.loads(text)
            if data.get("format") != KEY_FILE_FORMAT:
                raise InvalidInput(detail=f"unknown key file format in {path}")
            users, workstations = data["users"], data["workstations"]
            entries = [*users.values(), *workstations.values()]
            if not all(isinstance(entry, dict) for entry in entries):
                raise TypeError("an entry is not an object")
            clinical = data.get("clinical_key_id")
            if clinical is not None and not isinstance(clinical, str):
                raise TypeError("clinical_key_id is not a string")
            return cls(data["center_id"], data["key_id"], users, workstations, str(path),
                       clinical)
        except (ValueError, KeyError, AttributeError, TypeError):
            raise KeyFileDamaged(path=str(path)) from None

    def to_json(self) -> str:
        """Serialise for writing."""
        data: dict[str, Any] = {
            "format": KEY_FILE_FORMAT,
            "center_id": self.center_id,
            "key_id": self.key_id,
            "users": self.users,
            "workstations": self.workstations,
        }
        if self.clinical_key_id is not None:
            data["clinical_key_id"] = self.clinical_key_id
        return json.dumps(data, indent=1, sort_keys=True)

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves either the old file or the new one."""
        write_atomically(path, self.to_json().encode("utf-8"))

    # -- users -------------------------------------------------------------------
    def _aad(self, username: str) -> bytes:
        return f"medirete|{self.center_id}|{self.key_id}|{username}".encode()

    def add_user(self, username: str, password: str, db_key: bytes) -> None:
        """Create the user's key pair, wrap it with the password and seal the db key."""
        if len(password) < 8:
            raise InvalidInput(detail="the password must have at least 8 characters")
        private = X25519PrivateKey.generate()
        entry = self._wrap_private(username, private, password)
        entry["public"] = _b64(
            private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        )
        entry["db_key"] = _seal(private.public_key(), db_key, self._aad(username))
        self.users[username] = entry

    def _wrap_private(
        self, username: str, private: X25519PrivateKey, password: str
    ) -> dict[str, Any]:
        salt = os.urandom(16)
        log_n = scrypt_log_n()
        kek = _derive(password, salt, log_n)
        nonce = os.urandom(12)
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        aad = f"medirete-private|{self.center_id}|{username}".encode()
        return {
            "kdf": {"alg": "scrypt", "log_n": log_n, "r": 8, "p": 1, "salt": _b64(salt)},
            "private": {"nonce": _b64(nonce), "ct": _b64(AESGCM(kek).encrypt(nonce, raw, aad))},
        }

    def private_key(self, username: str, password: str) -> X25519PrivateKey:
        """The user's private key (scrypt: the slow step), or raise WrongPassword."""
        entry = self.users.get(username)
        if entry is None:
            # Same message as a wrong password: do not reveal which user names exist.
            raise WrongPassword()
        try:
            salt, log_n, r, p = _scrypt_params(entry["kdf"])
            stored = entry["private"]
            nonce, ct = _field(stored, "nonce", NONCE_BYTES), _field(stored, "ct", SEALED_BYTES)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileDamaged(path=self.source) from None
        if log_n < MIN_SCRYPT_LOG_N:
            log.warning("a key in %s is wrapped with a weak KDF (log_n=%d): change that "
                        "password to re-wrap it", self.source, log_n)
        kek = _derive(password, salt, log_n, r, p)
        aad = f"medirete-private|{self.center_id}|{username}".encode()
        try:
            raw = AESGCM(kek).decrypt(nonce, ct, aad)
        except InvalidTag:
            raise WrongPassword() from None
        return X25519PrivateKey.from_private_bytes(raw)

    def unseal(self, username: str, private: X25519PrivateKey) -> bytes:
        """The database key sealed to ``private``; WrongPassword if it is not that user's."""
        entry = self.users.get(username)
        if entry is None:
            raise WrongPassword()
        try:
            return _unseal(private, entry["db_key"], self._aad(username))
        except InvalidTag:
            raise WrongPassword() from None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileDamaged(path=self.source) from None

    def unlock(self, username: str, password: str) -> bytes:
        """Return the database key for this user and password, or raise WrongPassword."""
        return self.unseal(username, self.private_key(username, password))

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """A new key pair under the new password, sealed with the keys the old one opens.

        Not a re-wrap of the old private key: an old copy of this file and the old
        password must not open what is sealed to the user from now on. The clinical key
        and the center CA's passphrase, when the user holds them, are sealed to the new
        key pair too.
        """
        if len(new_password) < 8:
            raise InvalidInput(detail="the password must have at least 8 characters")
        private = self.private_key(username, old_password)
        db_key = self.unseal(username, private)
        clinical = self.unseal_clinical(username, private)
        center_ca = self.unseal_center_ca(username, private)
        self.add_user(username, new_password, db_key)
        if clinical is not None:
            self.seal_clinical(username, clinical)
        if center_ca is not None:
            self.seal_center_ca(username, center_ca)

    def reset_password(self, username: str, new_password: str, db_key: bytes) -> None:
        """An admin sets a new password: a new key pair, sealed with the current db key.

        The admin does not hold the clinical key, so a clinical user reset this way
        waits for a colleague to grant it again (the colleague sees the reset first).
        """
        self.add_user(username, new_password, db_key)

    # -- the clinical key ------------------------------------------------------------
    def _clinical_aad(self, username: str) -> bytes:
        return f"medirete-clinical|{self.center_id}|{self.clinical_key_id}|{username}".encode()

    def public_key(self, username: str) -> X25519PublicKey:
        """The user's public key (KeyFileDamaged when the entry has none)."""
        try:
            raw = _field(self.users[username], "public", PUBLIC_BYTES)
            return X25519PublicKey.from_public_bytes(raw)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileDamaged(path=self.source) from None

    def has_clinical(self, username: str) -> bool:
        """True if the clinical key is sealed to this user."""
        entry = self.users.get(username)
        return isinstance(entry, dict) and "clinical_key" in entry

    def seal_clinical(self, username: str, clinical_key: bytes) -> None:
        """Seal the clinical key to ``username``'s public key (a grant)."""
        if self.clinical_key_id is None:
            raise ValueError("no clinical key generation to seal")
        self.users[username]["clinical_key"] = _seal(
            self.public_key(username), clinical_key, self._clinical_aad(username)
        )

    def unseal_clinical(self, username: str, private: X25519PrivateKey) -> bytes | None:
        """The clinical key sealed to this user, or None if it is not (not granted)."""
        entry = self.users.get(username)
        if not isinstance(entry, dict) or "clinical_key" not in entry:
            return None
        try:
            return _unseal(private, entry["clinical_key"], self._clinical_aad(username))
        except InvalidTag:
            # Sealed to an older key pair or another generation: not usable, not damage.
            return None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileDamaged(path=self.source) from None

    # -- the center's CA passphrase (ADR 0027) ----------------------------------------
    def _ca_aad(self, username: str) -> bytes:
        return f"medirete-center-ca|{self.center_id}|{username}".encode()

    def has_center_ca(self, username: str) -> bool:
        """True if the CA passphrase is sealed to this user."""
        entry = self.users.get(username)
        return isinstance(entry, dict) and CENTER_CA_FIELD in entry

    def seal_center_ca(self, username: str, passphrase: bytes) -> None:
        """Seal the center CA's passphrase to ``username``'s public key (an admin)."""
        self.users[username][CENTER_CA_FIELD] = _seal(
            self.public_key(username), passphrase, self._ca_aad(username))

    def unseal_center_ca(self, username: str, private: X25519PrivateKey) -> bytes | None:
        """The CA passphrase sealed to this user, or None (not sealed to this key pair)."""
        entry = self.users.get(username)
        if not isinstance(entry, dict) or CENTER_CA_FIELD not in entry:
            return None
        try:
            return _unseal(private, entry[CENTER_CA_FIELD], self._ca_aad(username))
        except InvalidTag:
            return None  # sealed to an older key pair
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileDamaged(path=self.source) from None

    def remove_user(self, username: str) -> None:
        """Forget a user's wrapped key (the user row stays, deactivated)."""
        self.users.pop(username, None)

    def reseal_all(self, new_key_id: str, db_key: bytes) -> None:
        """After a re-key: seal the new database key to every user's public key."""
        self.key_id = new_key_id
        for username, entry in self.users.items():
            try:
                public = X25519PublicKey.from_public_bytes(_field(entry, "public", PUBLIC_BYTES))
            except (KeyError, TypeError, ValueError):
                raise KeyFileDamaged(path=self.source) from None
            entry["db_key"] = _seal(public, db_key, self._aad(username))
        self.workstations.clear()

    # -- workstation (OS keyring) ----------------------------------------------------
    def add_workstation(self, name: str, secret: bytes, db_key: bytes) -> None:
        """Wrap the db key with a workstation secret kept in the OS keyring."""
        nonce = os.urandom(12)
        aad = f"medirete-ws|{self.center_id}|{self.key_id}|{name}".encode()
        self.workstations[name] = {
            "nonce": _b64(nonce),
            "ct": _b64(AESGCM(secret).encrypt(nonce, db_key, aad)),
        }

    def unlock_workstation(self, name: str, secret: bytes) -> bytes:
        """The db key through the workstation secret."""
        entry = self.workstations.get(name)
        if entry is None:
            raise WrongPassword()
        aad = f"medirete-ws|{self.center_id}|{self.key_id}|{name}".encode()
        try:
            nonce, ct = _field(entry, "nonce", NONCE_BYTES), _field(entry, "ct", SEALED_BYTES)
            return AESGCM(secret).decrypt(nonce, ct, aad)
        except InvalidTag:
            raise WrongPassword() from None
        except (KeyError, TypeError, ValueError):
            raise KeyFileDamaged(path=self.source) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (owner-only) via a synced temporary file and a rename."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open_private(tmp) as handle:  # 0600 even if an old .tmp was left behind
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves the old file and no debris
        raise
    fsync_dir(path.parent)
