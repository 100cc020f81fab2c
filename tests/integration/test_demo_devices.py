"""The demo's devices: real ``devsim`` child processes behind the demo workstation's
configuration, read by the real runners; no child outlives its parent, even a killed one;
the devices and the analyzer's patients installed in a real demo center.

Ports are a free pair found per test (the base-port override); every wait is bounded.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import serial

from app.devices.astm import LinkSettings
from app.devices.astm.samples import SyntheticPatient, read_patients
from app.devices.cms50 import Cms50Decoder, Sample
from app.devices.config import dump_devices, parse_devices
from app.devices.demo_devices import (
    BASE_PORT_ENV,
    KINDS,
    DemoSimulators,
    demo_device_configs,
    demo_patients_path,
    demo_ports,
    ensure_demo_devices,
    spirometer_folders,
    write_demo_patients,
)
from app.devices.gdt import decode_record, write_request
from app.devices.inbox_bridge import to_incoming
from app.devices.results import DeviceMessage, PatientRef
from app.devices.runtime import DeviceRunner, DeviceSpec
from app.records.demo import DEMO_PASSWORD, create_demo_center
from app.records.services import Records
from app.records.storage.center import workstation_name
from tests.integration.processes import LineReader

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

WAIT = 15.0
REPO = Path(__file__).resolve().parents[2]
FAST = LinkSettings(reply_timeout=3.0, receive_timeout=3.0, busy_wait=0.2)
DIABETIC = SyntheticPatient("MGGMLE40R70F205D", "Maggi", "Emilia", "19401030", "F",
                            ("HbA1c", "GLU"))  # fmt: skip
ANTICOAGULATED = SyntheticPatient("BSCCRI28B28F205U", "Bosco", "Ciro", "19280228", "M", ("INR",))
PARENT = """
import json, sys, time
from pathlib import Path
from app.devices.demo_devices import DemoSimulators

simulators = DemoSimulators(Path(sys.argv[1]), base_port=int(sys.argv[2]))
simulators.start()
end = time.monotonic() + 20
while len(simulators.pids()) < 3 and time.monotonic() < end:
    time.sleep(0.05)
print(json.dumps(simulators.pids()), flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    """A process that has not ended (a zombie waiting for its reaper has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_until(condition: Callable[[], bool], wait: float = WAIT) -> bool:
    end = time.monotonic() + wait
    while not condition() and time.monotonic() < end:
        time.sleep(0.05)
    return condition()


def free_port_pair() -> int:
    """A port whose next one is free too (the analyzer's and the oximeter's)."""
    for _ in range(50):
        base = random.randint(30000, 60000)
        try:
            with (
                socket.create_server(("127.0.0.1", base)),
                socket.create_server(("127.0.0.1", base + 1)),
            ):
                return base
        except OSError:
            continue
    pytest.skip("no free pair of TCP ports")


@pytest.fixture
def simulators(tmp_path: Path) -> Iterator[DemoSimulators]:
    root = tmp_path / "demo"
    write_demo_patients([DIABETIC, ANTICOAGULATED], demo_patients_path(root))
    running = DemoSimulators(root, base_port=free_port_pair(), first_delay=0.2, interval=0.3)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def read_oximeter(url: str) -> list[Sample]:
    decoder, samples = Cms50Decoder(), list[Sample]()
    line = serial.serial_for_url(url, timeout=0.1)
    try:
        end = time.monotonic() + WAIT
        while not samples and time.monotonic() < end:
            samples += decoder.feed(line.read(64))
    finally:
        line.close()
    return samples


def analyzer(url: str, spool: Path) -> tuple[DeviceRunner, list[DeviceMessage]]:
    got: list[DeviceMessage] = []
    runner = DeviceRunner(DeviceSpec("astm", url), got.append, spool_dir=spool,
                          astm_settings=FAST)  # fmt: skip
    runner.start()
    return runner, got


def test_the_three_simulators_answer_on_the_configured_lines(
    simulators: DemoSimulators, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert wait_until(lambda: all(simulators.announced(kind) for kind in KINDS))
    base, _next = simulators.ports
    configs = {c.driver: c for c in demo_device_configs(simulators.root, base)}
    requests, results = spirometer_folders(simulators.root)
    assert simulators.announced("astm") == configs["astm"].port == f"socket://127.0.0.1:{base}"
    assert simulators.announced("cms50") == configs["cms50"].port
    assert simulators.announced("gdt") == str(requests) == configs["gdt"].request_folder

    assert read_oximeter(configs["cms50"].port)  # 5-byte packets, decoded

    runner, got = analyzer(configs["astm"].port, tmp_path / "spool")
    try:
        assert wait_until(lambda: len(got) >= 2)
    finally:
        assert runner.stop(WAIT)
    assert [m.patient.identifier for m in got[:2]] == [DIABETIC.codice_fiscale,
                                                       ANTICOAGULATED.codice_fiscale]  # fmt: skip
    assert [r.display for r in got[1].results] == ["INR"]

    write_request(requests, PatientRef("X1", "Lucà", "Maria", "19480101", "F"),
                  receiver_id=configs["gdt"].gdt_receiver)  # fmt: skip

    def result() -> str:
        files = [p for p in results.iterdir() if p.suffix.lower() == ".gdt"]
        return decode_record(files[0].read_bytes()).record_type if files else ""

    assert wait_until(lambda: result() == "6310")
    logs = {kind: simulators.log_path(kind).read_text(encoding="utf-8") for kind in KINDS}
    assert all(f"devsim: {kind} on " in logs[kind] for kind in KINDS)
    assert "devsim" not in "".join(capfd.readouterr())  # the children write to their logs


def test_a_simulator_that_ends_starts_again_and_stop_leaves_none(
    simulators: DemoSimulators, tmp_path: Path
) -> None:
    assert wait_until(lambda: len(simulators.pids()) == 3)
    first = simulators.pids()
    url = f"socket://127.0.0.1:{simulators.ports[0]}"
    runner, got = analyzer(url, tmp_path / "spool")
    assert wait_until(lambda: len(got) >= 1)
    assert runner.stop(WAIT)  # the workstation leaves: the analyzer's simulator ends ...
    assert wait_until(lambda: simulators.pids().get("astm", first["astm"]) != first["astm"])
    assert not alive(first["astm"])
    runner, got = analyzer(url, tmp_path / "spool")  # ... and is there again
    try:
        assert wait_until(lambda: len(got) >= 1)
    finally:
        assert runner.stop(WAIT)
    second = simulators.pids()
    assert second["cms50"] == first["cms50"] and second["gdt"] == first["gdt"]
    simulators.stop()
    assert simulators.pids() == {} and not simulators.running
    assert not any(alive(pid) for pid in [*first.values(), *second.values()])


def test_a_killed_parent_leaves_no_simulator(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "demo"), str(free_port_pair())],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    children: list[int] = []
    try:
        assert parent.stdout is not None
        line = LineReader(parent.stdout, "parent").next_line(time.monotonic() + WAIT)
        children = list(json.loads(line or "{}").values())
        assert len(children) == 3 and all(alive(pid) for pid in children)
        time.sleep(1.0)  # the children are running devsim, not just starting
        parent.send_signal(signal.SIGKILL)
        parent.wait(WAIT)
        assert wait_until(lambda: not any(alive(pid) for pid in children), 5.0)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(WAIT)
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        for stream in (parent.stdout, parent.stderr):
            if stream is not None:
                stream.close()


def test_the_port_base_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_PORT_ENV, raising=False)
    assert demo_ports() == (47201, 47202)
    monkeypatch.setenv(BASE_PORT_ENV, "50100")
    assert demo_ports() == (50100, 50101)
    assert demo_ports(40000) == (40000, 40001)
    for bad in ("80", "65535", "port"):
        monkeypatch.setenv(BASE_PORT_ENV, bad)
        assert demo_ports() == (47201, 47202)


def test_the_demo_center_gets_its_devices_and_the_analyzer_its_patients(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASE_PORT_ENV, "50100")
    root = tmp_path / "demo"
    # Built on another day than today: the patients are found again all the same.
    create_demo_center(root, DEMO_PASSWORD, patients=80, seed=1, as_of=date(2025, 3, 10))
    assert ensure_demo_devices(root, password="not-the-demo-one") is False  # logged, no raise
    assert ensure_demo_devices(root) is True
    assert ensure_demo_devices(root) is False  # installed once

    admin = Records.open(root, "admin", DEMO_PASSWORD)
    try:
        stored = parse_devices(admin.settings.device_config(workstation_name()))
        admin.settings.set_device_config("another-ws", dump_devices(()))
    finally:
        admin.close()
    monkeypatch.setenv("MEDIRETE_WORKSTATION", "another-ws")
    assert ensure_demo_devices(root) is False  # the admin emptied that list: it stays empty
    monkeypatch.setenv("MEDIRETE_WORKSTATION", "third-ws")
    assert ensure_demo_devices(root) is True  # a workstation without a list gets the devices
    assert stored == demo_device_configs(root)
    assert [d.port for d in stored[:2]] == ["socket://127.0.0.1:50100", "socket://127.0.0.1:50101"]
    assert all(Path(folder).is_dir() for folder in (stored[2].request_folder,
                                                    stored[2].result_folder))  # fmt: skip

    patients = read_patients(demo_patients_path(root))
    assert (patients[0].family_name, patients[0].given_name) == ("Maggi", "Emilia")
    assert any("INR" in p.tests for p in patients) and len(patients) >= 4
    gp = Records.open(root, "medico", DEMO_PASSWORD)
    try:
        for patient in patients:
            (found,) = gp.patients.search(patient.codice_fiscale)  # they match in the inbox
            assert found.birth_date.strftime("%Y%m%d") == patient.birth_date
            chart = gp.chart.open(found.id)
            problems = {e.fields["icd9_code"][:3] for e in chart.of("problem")}
            drugs = {e.fields["atc_code"][:5] for e in chart.of("medication")}
            assert ("250" in problems) == ("HbA1c" in patient.tests), patient
            assert bool(drugs & {"B01AA", "B01AE", "B01AF"}) == ("INR" in patient.tests), patient
    finally:
        gp.close()


def test_the_analyzer_results_match_the_demo_patients_in_the_inbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASE_PORT_ENV, str(free_port_pair()))
    root = tmp_path / "demo"
    create_demo_center(root, DEMO_PASSWORD, patients=40, seed=1)
    assert ensure_demo_devices(root)
    patients = read_patients(demo_patients_path(root))
    (astm,) = [d for d in demo_device_configs(root) if d.driver == "astm"]
    simulators = DemoSimulators(root, first_delay=0.2, interval=0.2)
    simulators.start()
    try:
        runner, got = analyzer(astm.port, tmp_path / "spool")
        try:
            assert wait_until(lambda: len(got) >= 2)
        finally:
            assert runner.stop(WAIT)
    finally:
        simulators.stop()
    gp = Records.open(root, "medico", DEMO_PASSWORD)
    try:
        for message in got[:2]:
            gp.inbox.receive(to_incoming(message))
        items = gp.inbox.items()
    finally:
        gp.close()
    by_patient = {(i.codice_fiscale, i.display) for i in items if i.patient_id is not None}
    assert (patients[0].codice_fiscale, "HbA1c") in by_patient  # Maggi Emilia, matched
    assert (patients[1].codice_fiscale, "Glucose") in by_patient
