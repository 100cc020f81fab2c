"""The center's certificate authority, workstation certificates and invitations.

Each center is its own certificate authority (ECDSA P-256, ADR 0023). A workstation's
certificate names its center, its name and its role in SAN URIs
(``urn:medirete:center:<id>``, ``urn:medirete:workstation:<name>``,
``urn:medirete:role:<role>``): sync reads who a peer is from there, never from a host
name. An invitation carries what a new workstation needs, sealed with a one-time code
that a person reads on one screen and types on the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from urllib.parse import quote, unquote

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.core.errors import InvalidInput, MedireteError, WrongPassword

ROLES = ("full", "front-desk")
CENTER_URI = "urn:medirete:center:"
WORKSTATION_URI = "urn:medirete:workstation:"
ROLE_URI = "urn:medirete:role:"
CA_YEARS = 20
WORKSTATION_YEARS = 10
# Backdated a week: a certificate issued "now" on a PC whose clock runs a day ahead must
# still be valid for a peer whose clock runs a day behind (a PC's clock off by a day or
# two is common; TLS refuses a certificate that is not valid yet).
BACKDATE = dt.timedelta(days=7)
NAME_LIMIT = 64  # X.509 upper bound of a common or organization name

INVITATION_MAGIC = b"MDRINV1\n"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud safely
CODE_LENGTH = 12  # 60 bits, each guess costing one scrypt
_SALT, _NONCE, _DIGEST = 16, 12, 32
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1


class NotACenterCertificate(MedireteError):
    message = "This certificate is not a Medirete workstation certificate ({detail})"


class AuthorityDamaged(InvalidInput):
    message = (
        "The center's certificate authority files are damaged or do not belong together: "
        "restore them from a backup"
    )


class WrongAuthorityPassword(WrongPassword):
    message = "Wrong password for the center's certificate authority"


class InvitationCodeWrong(InvalidInput):
    message = "Wrong invitation code: check it on the other screen and type it again"


class InvitationDamaged(InvalidInput):
    message = "The invitation file is damaged or is not a Medirete invitation"


@dataclass(frozen=True)
class PeerIdentity:
    """Who a certificate says its holder is."""

    center_id: str
    workstation: str
    role: str


@dataclass(frozen=True)
class Issued:
    """A workstation's certificate and its unencrypted private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes


@dataclass(frozen=True)
class CenterAuthority:
    """The center's CA: its self-signed certificate and its private key."""

    cert_pem: bytes
    key: ec.EllipticCurvePrivateKey

    def encrypted_key_pem(self, password: str) -> bytes:
        """The CA key as PKCS#8 PEM, encrypted with ``password``."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )

    @classmethod
    def load(cls, cert_pem: bytes, encrypted_key_pem: bytes, password: str) -> CenterAuthority:
        """Read a CA back; ``WrongAuthorityPassword`` or ``AuthorityDamaged`` when it cannot."""
        try:
            cert = x509.load_pem_x509_certificate(cert_pem)
        except ValueError as exc:
            raise AuthorityDamaged() from exc
        # Asked without a password, a well-formed encrypted key says so (TypeError);
        # a damaged envelope fails to parse (ValueError). Only then is a failure to
        # decrypt a wrong password. (A flipped byte inside the ciphertext cannot be told
        # from a wrong password: CBC has no tag.)
        try:
            serialization.load_pem_private_key(encrypted_key_pem, None)
        except TypeError:
            pass
        except ValueError as exc:
            raise AuthorityDamaged() from exc
        else:
            raise AuthorityDamaged()  # an unencrypted key is not what we store
        try:
            key = serialization.load_pem_private_key(encrypted_key_pem, password.encode("utf-8"))
        except ValueError as exc:
            raise WrongAuthorityPassword() from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise AuthorityDamaged()
        if _public_der(key.public_key()) != _public_der(cert.public_key()):
            raise AuthorityDamaged()  # the key of another CA
        return cls(cert_pem=cert_pem, key=key)


def create_ca(center_id: str, center_name: str) -> CenterAuthority:
    """A new self-signed CA for the center, valid 20 years."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, center_name[:NAME_LIMIT]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Medirete CA {center_name}"[:NAME_LIMIT]),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS + 5))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.SubjectAlternativeName([_uri(CENTER_URI, center_id)]), False)
        .sign(key, hashes.SHA256())
    )
    return CenterAuthority(cert_pem=cert.public_bytes(serialization.Encoding.PEM), key=key)


def issue_workstation(ca: CenterAuthority, center_id: str, workstation: str, role: str) -> Issued:
    """A certificate and key for one workstation of the center, valid 10 years."""
    if role not in ROLES:
        raise ValueError(f"unknown workstation role {role!r}")
    if not workstation:
        raise ValueError("a workstation needs a name")
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    san = [
        _uri(CENTER_URI, center_id),
        _uri(WORKSTATION_URI, workstation),
        _uri(ROLE_URI, role),
    ]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, workstation[:NAME_LIMIT])])
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=365 * WORKSTATION_YEARS + 2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        # Every workstation is both a server and a client of its peers.
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), False
        )
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the certificate's DER, upper-case hex in groups of 4 (for people)."""
    digest = hashlib.sha256(_load_cert(cert_pem).public_bytes(serialization.Encoding.DER))
    text = digest.hexdigest().upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def identity(cert: bytes) -> PeerIdentity:
    """Center, workstation and role named by a certificate (DER or PEM)."""
    try:
        parsed = _load_cert(cert)
        san = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound) as exc:
        raise NotACenterCertificate(detail=type(exc).__name__) from exc
    uris = san.get_values_for_type(x509.UniformResourceIdentifier)
    center = _one(uris, CENTER_URI)
    workstation = _one(uris, WORKSTATION_URI)
    role = _one(uris, ROLE_URI)
    if role not in ROLES:
        raise NotACenterCertificate(detail=f"{ROLE_URI}{role}")
    return PeerIdentity(center_id=center, workstation=workstation, role=role)


def new_invitation_code() -> str:
    """A fresh one-time code, shown as ``XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def seal_invitation(payload: bytes) -> tuple[bytes, str]:
    """Encrypt ``payload`` under a new one-time code: (the blob, the code to show)."""
    code = new_invitation_code()
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    sealed = AESGCM(_invitation_key(_normalise(code), salt)).encrypt(
        nonce, payload, INVITATION_MAGIC
    )
    body = INVITATION_MAGIC + salt + nonce + sealed
    # The digest tells a damaged file from a wrong code (both would fail the GCM tag).
    return body + hashlib.sha256(body).digest(), code


def open_invitation(blob: bytes, code: str) -> bytes:
    """The payload of an invitation; ``InvitationDamaged`` or ``InvitationCodeWrong``."""
    minimum = len(INVITATION_MAGIC) + _SALT + _NONCE + 16 + _DIGEST
    if len(blob) < minimum or not blob.startswith(INVITATION_MAGIC):
        raise InvitationDamaged()
    body, digest = blob[:-_DIGEST], blob[-_DIGEST:]
    if not secrets.compare_digest(hashlib.sha256(body).digest(), digest):
        raise InvitationDamaged()
    typed = _normalise(code)
    if len(typed) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in typed):
        raise InvitationCodeWrong()
    start = len(INVITATION_MAGIC)
    salt = body[start : start + _SALT]
    nonce = body[start + _SALT : start + _SALT + _NONCE]
    try:
        return AESGCM(_invitation_key(typed, salt)).decrypt(
            nonce, body[start + _SALT + _NONCE :], INVITATION_MAGIC
        )
    except InvalidTag as exc:
        raise InvitationCodeWrong() from exc


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c not in "- \t")


def _invitation_key(code: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return kdf.derive(code.encode("ascii", "replace"))


def _uri(prefix: str, value: str) -> x509.UniformResourceIdentifier:
    # Percent-encoded: workstation names have spaces and accents ("Studio Dr. Rossi").
    return x509.UniformResourceIdentifier(prefix + quote(value, safe=""))


def _one(uris: list[str], prefix: str) -> str:
    found = [unquote(u[len(prefix) :]) for u in uris if u.startswith(prefix)]
    if len(found) != 1 or not found[0]:
        raise NotACenterCertificate(detail=prefix.rstrip(":"))
    return found[0]


def _load_cert(data: bytes) -> x509.Certificate:
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def _public_der(key: object) -> bytes:
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return b""
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
