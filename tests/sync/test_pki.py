"""The center's CA, workstation certificates, fingerprints and sealed invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.core.errors import InvalidInput, MedireteError, WrongPassword
from app.sync import pki

CENTER = "c-7f3a"
NAME = "Studio Dr. Rossi (Vicenza)"


@dataclass(frozen=True)
class Pki:
    ca: pki.CenterAuthority
    full: pki.Issued
    desk: pki.Issued


@pytest.fixture(scope="module")
def keys() -> Pki:
    ca = pki.create_ca(CENTER, "Centro Medico San Marco")
    return Pki(
        ca=ca,
        full=pki.issue_workstation(ca, CENTER, NAME, "full"),
        desk=pki.issue_workstation(ca, CENTER, "Reception", "front-desk"),
    )


def _cert(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def _years(cert: x509.Certificate) -> float:
    return (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365.25


def test_the_ca_is_a_self_signed_p256_authority_naming_the_center(keys: Pki) -> None:
    cert = _cert(keys.ca.cert_pem)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)
    org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert (org, common) == ("Centro Medico San Marco", "Medirete CA Centro Medico San Marco")
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.UniformResourceIdentifier) == [
        f"urn:medirete:center:{CENTER}"
    ]
    assert 19.9 < _years(cert) < 20.1


def test_a_workstation_certificate_names_center_workstation_and_role(keys: Pki) -> None:
    cert = _cert(keys.full.cert_pem)
    cert.verify_directly_issued_by(_cert(keys.ca.cert_pem))
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == NAME
    assert 9.9 < _years(cert) < 10.1
    assert cert.not_valid_before_utc < dt.datetime.now(dt.UTC)
    assert pki.identity(keys.full.cert_pem) == pki.PeerIdentity(CENTER, NAME, "full")
    der = cert.public_bytes(serialization.Encoding.DER)
    assert pki.identity(der) == pki.identity(keys.full.cert_pem)
    assert pki.identity(keys.desk.cert_pem).role == "front-desk"
    # The key handed out is the one certified, unencrypted.
    key = serialization.load_pem_private_key(keys.full.key_pem, None)
    assert key.public_key() == cert.public_key()


def test_serials_are_random_and_distinct(keys: Pki) -> None:
    again = pki.issue_workstation(keys.ca, CENTER, NAME, "full")
    serials = {_cert(c).serial_number for c in (keys.full.cert_pem, again.cert_pem)}
    assert len(serials) == 2 and min(serials) > 2**64


def test_an_unknown_role_is_a_bug(keys: Pki) -> None:
    with pytest.raises(ValueError, match="role"):
        pki.issue_workstation(keys.ca, CENTER, "X", "admin")


def test_a_certificate_without_the_uris_is_not_a_center_certificate(keys: Pki) -> None:
    with pytest.raises(pki.NotACenterCertificate, match="urn:medirete:workstation") as caught:
        pki.identity(keys.ca.cert_pem)  # the CA names the center only
    assert isinstance(caught.value, MedireteError)
    with pytest.raises(pki.NotACenterCertificate):
        pki.identity(b"\x30\x03\x02\x01\x00")  # DER, but no certificate


def test_fingerprint_is_sha256_of_der_in_groups_of_four(keys: Pki) -> None:
    text = pki.fingerprint(keys.full.cert_pem)
    assert re.fullmatch(r"([0-9A-F]{4} ){15}[0-9A-F]{4}", text)
    der = _cert(keys.full.cert_pem).public_bytes(serialization.Encoding.DER)
    assert text.replace(" ", "") == hashlib.sha256(der).hexdigest().upper()
    assert pki.fingerprint(der) == text
    assert pki.fingerprint(keys.desk.cert_pem) != text


def test_the_ca_key_round_trips_with_its_password(keys: Pki) -> None:
    sealed = keys.ca.encrypted_key_pem("una frase lunga e segreta")
    assert b"ENCRYPTED PRIVATE KEY" in sealed
    loaded = pki.CenterAuthority.load(keys.ca.cert_pem, sealed, "una frase lunga e segreta")
    assert loaded.key.private_numbers() == keys.ca.key.private_numbers()
    # The reloaded CA issues certificates the original CA's certificate verifies.
    issued = pki.issue_workstation(loaded, CENTER, "Ambulatorio 2", "full")
    _cert(issued.cert_pem).verify_directly_issued_by(_cert(keys.ca.cert_pem))


def test_a_wrong_password_is_wrong_password(keys: Pki) -> None:
    sealed = keys.ca.encrypted_key_pem("giusta")
    with pytest.raises(WrongPassword, match="certificate authority"):
        pki.CenterAuthority.load(keys.ca.cert_pem, sealed, "sbagliata")


def test_damaged_or_mismatched_authority_files_are_invalid_input(keys: Pki) -> None:
    sealed = keys.ca.encrypted_key_pem("giusta")
    lines = sealed.splitlines(keepends=True)
    truncated = b"".join(lines[:2] + lines[-1:])
    other = pki.create_ca("other", "Altro Centro")
    plain = keys.ca.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cases = [
        (keys.ca.cert_pem, truncated),
        (keys.ca.cert_pem, b"not a key at all"),
        (keys.ca.cert_pem, plain),
        (keys.ca.cert_pem[:100], sealed),
        (other.cert_pem, sealed),  # the key of another CA
    ]
    for cert_pem, key_pem in cases:
        with pytest.raises(pki.AuthorityDamaged) as caught:
            pki.CenterAuthority.load(cert_pem, key_pem, "giusta")
        assert isinstance(caught.value, InvalidInput)
        assert not isinstance(caught.value, WrongPassword)


def test_an_invitation_opens_with_its_code_typed_loosely() -> None:
    payload = b"\x00certificates and keys\xff" * 50
    blob, code = pki.seal_invitation(payload)
    assert re.fullmatch(r"[23456789A-HJ-NP-Z]{4}(-[23456789A-HJ-NP-Z]{4}){2}", code)
    assert blob.startswith(b"MDRINV1\n") and payload not in blob
    typed = " " + code.lower().replace("-", " ") + " "
    assert pki.open_invitation(blob, typed) == payload
    assert pki.seal_invitation(payload)[1] != code  # a new code each time


def test_a_wrong_code_and_a_damaged_file_are_told_apart() -> None:
    blob, code = pki.seal_invitation(b"payload")
    wrong = ("2" if code[0] != "2" else "3") + code[1:]
    with pytest.raises(pki.InvitationCodeWrong) as wrong_code:
        pki.open_invitation(blob, wrong)
    with pytest.raises(pki.InvitationCodeWrong):
        pki.open_invitation(blob, "ABCD")  # too short: refused without running scrypt
    flipped = bytearray(blob)
    flipped[len(b"MDRINV1\n") + 30] ^= 0x01
    damaged_cases = [bytes(flipped), blob[:-1], blob[:20], b"PK\x03\x04" + blob[4:], b""]
    messages = set()
    for damaged in damaged_cases:
        with pytest.raises(pki.InvitationDamaged) as damaged_file:
            pki.open_invitation(damaged, code)
        messages.add(damaged_file.value.user_message("en"))
    assert isinstance(wrong_code.value, InvalidInput)
    assert isinstance(damaged_file.value, InvalidInput)
    assert messages == {damaged_file.value.user_message("en")}
    assert wrong_code.value.user_message("en") not in messages
    assert "code" in wrong_code.value.user_message("en")
    assert "damaged" in damaged_file.value.user_message("en")
