"""A revocation is a statement signed with the center CA's key: every peer checks it.

The ``workstation`` row travels in the log like any shared data; what makes a peer
refuse the workstation is the signature in its ``revocation`` field, which only the
holder of the CA key (an admin who knows its password) can make. A revocation whose
signature does not verify is ignored and written to the sync journal's reasons.
"""

from __future__ import annotations

import base64
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.core.clock import utc_now
from app.sync.pki import CenterAuthority


def _statement(center_id: str, workstation: str, revoked_at: str, by: str) -> bytes:
    return json.dumps({"center": center_id, "workstation": workstation,
                       "revoked_at": revoked_at, "by": by}, sort_keys=True).encode("utf-8")


def sign_revocation(ca: CenterAuthority, center_id: str, workstation: str, by: str) -> str:
    """The signed revocation of ``workstation`` (JSON), to store in its row."""
    revoked_at = utc_now().isoformat()
    statement = _statement(center_id, workstation, revoked_at, by)
    signature = ca.key.sign(statement, ec.ECDSA(hashes.SHA256()))
    return json.dumps({"center": center_id, "workstation": workstation,
                       "revoked_at": revoked_at, "by": by,
                       "signature": base64.b64encode(signature).decode("ascii")},
                      sort_keys=True)


def revocation_valid(signed: str, ca_pem: bytes, workstation: str) -> bool:
    """True when ``signed`` revokes ``workstation`` under the center CA's signature."""
    try:
        data = json.loads(signed)
        statement = _statement(str(data["center"]), str(data["workstation"]),
                               str(data["revoked_at"]), str(data["by"]))
        signature = base64.b64decode(str(data["signature"]), validate=True)
        public = x509.load_pem_x509_certificate(ca_pem).public_key()
        if not isinstance(public, ec.EllipticCurvePublicKey):
            return False
        public.verify(signature, statement, ec.ECDSA(hashes.SHA256()))
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return False
    return bool(data["workstation"] == workstation)
