"""Two sync nodes in one process over real TLS on 127.0.0.1: a change is pushed, and a
workstation whose certificate says front-desk never receives a clinical entry, even
when the record it runs on could hold them."""

from __future__ import annotations

import asyncio
import socket
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.admin.sync_verbs import center_authority
from app.records.model import ClinicalChange
from app.records.services import Records
from app.records.services.views import PatientInput
from app.sync.identity import WorkstationIdentity, find_identity
from app.sync.node import SyncNode
from app.sync.pki import issue_workstation
from app.sync.replica import Replica
from app.sync.replica_files import create_replica, staff_rows
from tests.conftest import PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _join(center: Path, root: Path, name: str, role: str) -> None:
    """The invitation's work, in process: a certificate for ``name`` and a new replica
    opened by the GP (so the record could hold clinical entries, whatever the role)."""
    admin = Records.open(center, "admin", PASSWORD)
    try:
        ca = center_authority(admin, PASSWORD, "studio-1")
        issued = issue_workstation(ca, admin.db.center_id, name, role)
        admin.workstations.pair(name, role, "-")
        with admin.db.read_engine.connect() as conn:
            bundle = {"center_id": admin.db.center_id, "center_name": admin.center_name,
                      "keys": admin.db.paths.keys.read_text("utf-8"),
                      "staff": staff_rows(conn), "ca_pem": ca.cert_pem,
                      "cert_pem": issued.cert_pem, "key_pem": issued.key_pem,
                      "workstation": name, "role": role}
    finally:
        admin.close()
    create_replica(root, bundle, "medico", PASSWORD)


def _identity(records: Records) -> WorkstationIdentity:
    with records.db.read_engine.connect() as conn:
        me = find_identity(conn)
    assert me is not None
    return me


async def _until(check, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await loop.run_in_executor(None, check):
        if loop.time() > deadline:
            raise AssertionError("sync did not get there in time")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("role", ["full", "front-desk"])
def test_a_change_is_pushed_and_clinical_entries_only_go_to_full_workstations(
        center: Path, tmp_path: Path, role: str):
    _join(center, tmp_path / "b", "studio-2", role)
    a = Replica(Records.open(center, "medico", PASSWORD), "studio-1")
    b = Replica(Records.open(tmp_path / "b", "medico", PASSWORD), "studio-2")
    assert b.db.clinical  # the GP's replica could hold clinical entries
    said: list[str] = []

    async def scenario() -> None:
        stop = asyncio.Event()
        port = _free_port()
        nodes = [SyncNode(a, _identity(a.records), say=said.append),
                 SyncNode(b, _identity(b.records), say=said.append)]
        runs = [asyncio.ensure_future(nodes[0].run(("127.0.0.1", port), [], stop)),
                asyncio.ensure_future(nodes[1].run(("127.0.0.1", 0), [("127.0.0.1", port)],
                                                   stop))]
        try:
            await _until(lambda: b.vectors()["record"] == a.vectors()["record"])
            gp = a.records
            patient = gp.patients.register(
                PatientInput("Neri", "Lucia", "F", date(1958, 3, 4), "Pavia")).id
            gp.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
            # Pushed: the new patient arrives without anyone asking.
            await _until(lambda: bool(b.records.patients.search("Neri Lucia")))
            if role == "full":
                await _until(lambda: b.vectors()["clinical"] == a.vectors()["clinical"])
            else:
                await asyncio.sleep(1.0)  # time enough for a clinical entry to arrive
            # The panel's "to receive / to send" of each open session: nothing either way.
            await _until(lambda: all(e.pending() == (0, 0)
                                     for n in nodes for e in n.exchanges))
        finally:
            stop.set()
            await asyncio.gather(*runs)

    try:
        asyncio.run(scenario())
        with b.db.read_engine.connect() as conn:
            clinical = conn.execute(select(func.count()).select_from(ClinicalChange).where(
                ClinicalChange.origin == a.origin())).scalar_one()
        if role == "full":
            assert clinical > 0 and a.digests() == b.digests()
        else:
            assert clinical == 0, "a front-desk workstation received clinical entries"
            assert a.digests()[0] == b.digests()[0]  # the record file: the same
    finally:
        a.records.close()
        b.records.close()
    assert any("online" in line for line in said), said
