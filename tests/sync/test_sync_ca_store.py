"""The center's CA opens with any admin's current password, on any full workstation
paired since (app/sync/ca_store.py, ADR 0027): real invitations, real replicas."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import AccessDenied, WrongPassword
from app.records.journal import get_meta, set_meta
from app.records.services import Records
from app.sync.ca_store import (
    CA_FORMAT_KEY,
    CenterAuthorityElsewhere,
    CenterAuthorityNotSealedToYou,
    unlock_ca,
)
from app.sync.identity import find_identity, save_ca_key
from app.sync.pairing import invite, join, open_bundle
from app.sync.pki import CenterAuthority, fingerprint
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.sync.test_sync_exchange import sync

NEW_PASSWORD = "battery-staple-77"


def _open(root: Path, user: str = "admin", password: str = PASSWORD) -> Records:
    return Records.open(root, user, password)


def _join(center: Path, root: Path, name: str, role: str = "full",
          password: str = PASSWORD) -> None:
    admin = _open(center, password=password)
    try:
        invitation = invite(admin, password, workstation=name, role=role,
                            this_name="studio-1")
    finally:
        admin.close()
    join(root, open_bundle(invitation.blob, invitation.code), "admin", password)


def _invite_from(root: Path, name: str, password: str = PASSWORD) -> str:
    """Invite ``name`` from the workstation at ``root``; the CA fingerprint shown."""
    admin = _open(root, password=password)
    try:
        return invite(admin, password, workstation=name).ca_fingerprint
    finally:
        admin.close()


def test_the_ca_opens_with_the_admins_password_after_it_changed(center: Path):
    first = _invite_from(center, "studio-2")
    admin = _open(center)
    try:
        admin.users.change_own_password(PASSWORD, NEW_PASSWORD)
    finally:
        admin.close()
    assert _invite_from(center, "studio-3", NEW_PASSWORD) == first
    admin = _open(center, password=NEW_PASSWORD)
    try:
        with pytest.raises(WrongPassword):
            invite(admin, PASSWORD, workstation="studio-4")  # the old one no longer
    finally:
        admin.close()


def test_a_full_workstation_paired_since_can_invite_a_front_desk_cannot(center: Path,
                                                                          tmp_path: Path):
    ca = _invite_from(center, "studio-0")  # the CA is made here
    _join(center, tmp_path / "b", "studio-b")
    _join(center, tmp_path / "c", "reception", role="front-desk")
    assert _invite_from(tmp_path / "b", "studio-d") == ca
    with pytest.raises(CenterAuthorityElsewhere):
        _invite_from(tmp_path / "c", "studio-e")


def test_only_an_admin_opens_it(center: Path):
    _invite_from(center, "studio-2")
    gp = _open(center, "medico")
    try:
        with gp.db.read_engine.connect() as conn:
            me = find_identity(conn)
        assert me is not None
        with pytest.raises(AccessDenied):
            unlock_ca(gp, PASSWORD, me.ca_pem)
    finally:
        gp.close()


def test_an_admin_added_later_opens_it_once_another_admin_has(center: Path):
    _invite_from(center, "studio-2")
    admin = _open(center)
    try:
        admin.users.add("admin2", "Seconda Amministratrice", "admin", PASSWORD)
    finally:
        admin.close()
    with pytest.raises(CenterAuthorityNotSealedToYou):
        _invite_from_as(center, "admin2", "studio-3")
    _invite_from(center, "studio-4")  # the first admin opens it: sealed to both now
    _invite_from_as(center, "admin2", "studio-5")


def _invite_from_as(root: Path, user: str, name: str) -> None:
    records = _open(root, user)
    try:
        invite(records, PASSWORD, workstation=name)
    finally:
        records.close()


def test_a_ca_kept_under_the_password_by_an_earlier_version_opens_and_is_sealed(
        center: Path):
    _invite_from(center, "studio-2")
    admin = _open(center)
    try:
        with admin.db.read_engine.connect() as conn:
            me = find_identity(conn)
        assert me is not None
        ca = unlock_ca(admin, PASSWORD, me.ca_pem)
        with admin.db.write_engine.begin() as conn:  # as the previous version stored it
            save_ca_key(conn, ca.encrypted_key_pem(PASSWORD))
            set_meta(conn, CA_FORMAT_KEY, "")
        again = unlock_ca(admin, PASSWORD, me.ca_pem)
        assert fingerprint(again.cert_pem) == fingerprint(ca.cert_pem)
        with admin.db.read_engine.connect() as conn:
            assert get_meta(conn, CA_FORMAT_KEY) == "sealed-1"
            stored = conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = 'sync_ca_key'").scalar_one()
        with pytest.raises(WrongPassword):  # no longer under the password itself
            CenterAuthority.load(me.ca_pem, stored.encode("ascii"), PASSWORD)
        assert unlock_ca(admin, PASSWORD, me.ca_pem).cert_pem == ca.cert_pem  # and opens
    finally:
        admin.close()


def test_a_password_changed_on_another_workstation_opens_it_on_both(center: Path,
                                                                    tmp_path: Path):
    ca = _invite_from(center, "studio-0")
    _join(center, tmp_path / "b", "studio-b")
    a, b = Replica(_open(center), "studio-1"), Replica(_open(tmp_path / "b"), "studio-b")
    try:
        sync(a, b)
        b.records.users.change_own_password(PASSWORD, NEW_PASSWORD)
        sync(a, b)  # the new key entry, with the CA sealed to it, reaches the center
    finally:
        a.records.close()
        b.records.close()
    assert _invite_from(center, "studio-c", NEW_PASSWORD) == ca
    assert _invite_from(tmp_path / "b", "studio-d", NEW_PASSWORD) == ca
