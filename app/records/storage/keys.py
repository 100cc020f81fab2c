"""The database key and how it is kept wrapped.

The database key is 32 random bytes, used raw by SQLCipher. It is never stored in
clear. Each user has an X25519 key pair: the private key is wrapped with a key
derived from the user's password by scrypt (memory-hard); the database key is sealed
to every user's public key. So a password change re-wraps one private key, and a
re-key (new database key) can be sealed to all users without knowing their
passwords. A workstation may also keep a wrapping secret in the OS keyring.
"""

from __future__ import annotations

import base64
import json
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

KEY_FILE_FORMAT = 1
DB_KEY_BYTES = 32
# OWASP's scrypt recommendation (128 MiB, about half a second here).
DEFAULT_SCRYPT_LOG_N = 17
KEYRING_SERVICE = "Medirete"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def scrypt_log_n() -> int:
    """KDF cost; MEDIRETE_SCRYPT_LOG_N lowers it for test suites only."""
    value = os.environ.get("MEDIRETE_SCRYPT_LOG_N")
    return int(value) if value else DEFAULT_SCRYPT_LOG_N


def _derive(password: str, salt: bytes, log_n: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=1 << log_n, r=8, p=1)
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
    shared = private.exchange(X25519PublicKey.from_public_bytes(_unb64(sealed["ephemeral"])))
    wrap = HKDF(hashes.SHA256(), 32, salt=None, info=b"medirete-seal-v1").derive(shared)
    return AESGCM(wrap).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ct"]), aad)


@dataclass
class KeyFile:
    """The content of ``keys.json``: one entry per user and per workstation."""

    center_id: str
    key_id: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    workstations: dict[str, dict[str, str]] = field(default_factory=dict)

    # -- persistence -------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read a key file."""
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != KEY_FILE_FORMAT:
                raise InvalidInput(detail=f"unknown key file format in {path}")
            return cls(data["center_id"], data["key_id"], data["users"], data["workstations"])
        except (ValueError, KeyError, AttributeError, TypeError):
            raise KeyFileDamaged(path=str(path)) from None

    def to_json(self) -> str:
        """Serialise for writing."""
        return json.dumps(
            {
                "format": KEY_FILE_FORMAT,
                "center_id": self.center_id,
                "key_id": self.key_id,
                "users": self.users,
                "workstations": self.workstations,
            },
            indent=1,
            sort_keys=True,
        )

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

    def _private_key(self, username: str, password: str) -> X25519PrivateKey:
        entry = self.users.get(username)
        if entry is None:
            # Same message as a wrong password: do not reveal which user names exist.
            raise WrongPassword()
        kdf = entry["kdf"]
        kek = _derive(password, _unb64(kdf["salt"]), int(kdf["log_n"]))
        aad = f"medirete-private|{self.center_id}|{username}".encode()
        try:
            raw = AESGCM(kek).decrypt(
                _unb64(entry["private"]["nonce"]), _unb64(entry["private"]["ct"]), aad
            )
        except InvalidTag:
            raise WrongPassword() from None
        return X25519PrivateKey.from_private_bytes(raw)

    def unlock(self, username: str, password: str) -> bytes:
        """Return the database key for this user and password, or raise WrongPassword."""
        private = self._private_key(username, password)
        try:
            return _unseal(private, self.users[username]["db_key"], self._aad(username))
        except InvalidTag:
            raise WrongPassword() from None

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """Re-wrap the user's private key under a new password."""
        if len(new_password) < 8:
            raise InvalidInput(detail="the password must have at least 8 characters")
        private = self._private_key(username, old_password)
        entry = self.users[username]
        entry.update(self._wrap_private(username, private, new_password))

    def reset_password(self, username: str, new_password: str, db_key: bytes) -> None:
        """An admin sets a new password: a new key pair, sealed with the current db key."""
        self.add_user(username, new_password, db_key)

    def remove_user(self, username: str) -> None:
        """Forget a user's wrapped key (the user row stays, deactivated)."""
        self.users.pop(username, None)

    def reseal_all(self, new_key_id: str, db_key: bytes) -> None:
        """After a re-key: seal the new database key to every user's public key."""
        self.key_id = new_key_id
        for username, entry in self.users.items():
            public = X25519PublicKey.from_public_bytes(_unb64(entry["public"]))
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
            return AESGCM(secret).decrypt(_unb64(entry["nonce"]), _unb64(entry["ct"]), aad)
        except InvalidTag:
            raise WrongPassword() from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a synced temporary file and an atomic rename."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
