"""The devices of a workstation in the window: real runners on real ptys and folders.

A GP is logged in through the threaded executor (the hub's readers wait on its writer
lane, as in the program); simulated devices talk over pseudo-terminals made by the
product's own ``PeerPty`` and a GDT folder answered by the spirometer simulator.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.devices import gdt
from app.devices.astm.samples import SyntheticPatient, sample_message
from app.devices.astm.simulator import run_simulator
from app.devices.cli_verbs import PeerPty
from app.devices.config import DeviceConfig
from app.devices.runtime import DeviceRunner, DeviceSpec
from app.devices.sim_cms50 import Cms50SimOptions, cms50_ticks
from app.devices.sim_gdt import simulate_gdt
from app.devices.simulators import pump
from app.records.services import Records
from app.records.services.views import PatientSummary
from app.ui.acquire_dialog import AcquireDialog, patient_ref
from app.ui.device_hub import DeviceHub, Stored
from app.ui.devices_page import DevicesPage
from app.ui.operations import Login
from app.ui.ops import Executor
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import problems_in

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="ptys")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    return build_center(tmp_path_factory.mktemp("devices") / "centro")


@pytest.fixture
def threaded(qtbot, tmp_path, template) -> Iterator[tuple[Executor, Records]]:
    """A GP logged in on a copy of the center through the real threaded executor."""
    root = shutil.copytree(template.root, tmp_path / "centro")
    errors: list[BaseException] = []
    executor = Executor(on_error=errors.append)
    sessions: list[object] = []
    executor.run(Login(root, "medico", template.password), sessions.append)
    qtbot.waitUntil(lambda: bool(sessions or errors), timeout=20_000)
    assert sessions, errors
    yield executor, executor.backend.require()
    executor.shutdown()


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _patient(records: Records, name: str) -> PatientSummary:
    return records.patients.search(name, 1)[0]


def _analyzer_patient(patient: PatientSummary) -> SyntheticPatient:
    return SyntheticPatient(patient.codice_fiscale, patient.surname, patient.given_name,
                            patient.birth_date.strftime("%Y%m%d"), patient.sex)


def _analyzer(pty: PeerPty, messages: list[bytes], stop: threading.Event) -> threading.Thread:
    def run() -> None:
        if pty.wait_for_peer(stop):
            run_simulator(pty, messages, stop_event=stop, timeout=30)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_an_analyzer_result_reaches_the_inbox_matched_and_the_panel_says_so(
        qtbot, threaded, stop):
    executor, records = threaded
    luca = _patient(records, "russo luca")
    pty = PeerPty()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    page = DevicesPage(hub)
    qtbot.addWidget(page)
    stored: list[Stored] = []
    hub.stored.connect(stored.append)
    hub.start((DeviceConfig("Analizzatore POC", "astm", port=pty.path),))
    _analyzer(pty, [sample_message(_analyzer_patient(luca))], stop)
    qtbot.waitUntil(lambda: bool(stored), timeout=20_000)
    items = [i for i in records.inbox.items("pending") if i.message_id == stored[0].message_id]
    assert "59261-8" in {i.code for i in items}  # the HbA1c (mmol/mol) of the panel
    assert {i.patient_id for i in items} == {luca.id}
    assert {i.matched_by for i in items} == {"codice_fiscale"}
    model = page.panel.model
    assert [row.name for row in model.rows] == ["Analizzatore POC"]
    qtbot.waitUntil(lambda: model.rows[0].last_message_at is not None, timeout=5_000)
    assert page.oximeter is None and page.empty.isHidden()
    assert not problems_in([page])
    hub.stop()
    pty.close()


def test_acquire_from_the_analyzer_accepts_into_the_open_chart(qtbot, threaded, stop):
    executor, records = threaded
    luca = _patient(records, "russo luca")
    pty = PeerPty()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    hub.start((DeviceConfig("Analizzatore POC", "astm", port=pty.path),))
    dialog = AcquireDialog(executor, hub, luca)
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.waiting_for == "Analizzatore POC"
    _analyzer(pty, [sample_message(_analyzer_patient(luca))], stop)
    qtbot.waitUntil(lambda: dialog.accept_button.isEnabled(), timeout=20_000)
    assert dialog.table.rowCount() == len(dialog.items) >= 4
    assert not problems_in([dialog])
    dialog.accept_results()
    qtbot.waitUntil(lambda: not dialog.items, timeout=10_000)
    assert dialog.state.text().startswith("Risultati accettati nella cartella: ")
    codes = {o.fields.get("code") for o in records.chart.open(luca.id).of("observation")}
    assert "59261-8" in codes
    hub.stop()
    pty.close()


def test_a_result_for_another_patient_cannot_be_accepted_here(qtbot, threaded, stop):
    executor, records = threaded
    luca, other = _patient(records, "russo luca"), _patient(records, "bianchi")
    assert other.id != luca.id
    pty = PeerPty()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    hub.start((DeviceConfig("Analizzatore POC", "astm", port=pty.path),))
    dialog = AcquireDialog(executor, hub, luca)
    qtbot.addWidget(dialog)
    dialog.start()
    _analyzer(pty, [sample_message(_analyzer_patient(other))], stop)
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=20_000)
    assert not dialog.accept_button.isEnabled()
    assert other.codice_fiscale in dialog.state.text()
    assert {i.patient_id for i in records.inbox.items("pending")} == {other.id}
    hub.stop()
    pty.close()


def test_the_live_oximeter_draws_and_saves_a_reading_for_the_open_patient(
        qtbot, threaded, stop):
    executor, records = threaded
    luca = _patient(records, "russo luca")
    pty = PeerPty()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    hub.set_open_patient(luca.id)
    page = DevicesPage(hub)
    qtbot.addWidget(page)
    hub.start((DeviceConfig("Saturimetro", "cms50", port=pty.path),))
    assert page.oximeter is not None
    page.show()

    def stream() -> None:
        if pty.wait_for_peer(stop):
            pump(pty.write, cms50_ticks(Cms50SimOptions(spo2=96, pulse=77)), stop)
    streaming = threading.Thread(target=stream, daemon=True)
    streaming.start()
    oximeter = page.oximeter
    qtbot.waitUntil(lambda: oximeter.spo2.text().isdigit(), timeout=15_000)
    assert 90 <= int(oximeter.spo2.text()) <= 100  # the simulator wanders around 96
    assert 60 <= int(oximeter.pulse.text()) <= 95
    qtbot.waitUntil(lambda: oximeter.frames > 0 and len(oximeter.wave[1]) > 0, timeout=5_000)
    qtbot.waitUntil(lambda: oximeter.spot_button.isEnabled(), timeout=5_000)
    # A reading needs a second of valid samples: clicked earlier, it is refused (below).
    qtbot.waitUntil(lambda: sum(s.valid for s in hub.samples("Saturimetro", 5)) >= 90,
                    timeout=10_000)
    stored: list[Stored] = []
    failed: list[tuple[str, str]] = []
    hub.stored.connect(stored.append)
    hub.spot_check_failed.connect(lambda *args: failed.append(args))
    oximeter.spot_button.click()
    qtbot.waitUntil(lambda: bool(stored or failed), timeout=10_000)
    assert not failed
    items = records.inbox.items("pending")
    assert {i.code for i in items} == {"59408-5", "8867-4"}
    assert all(40 <= (i.value_num or 0) <= 100 for i in items)
    assert {(i.patient_id, i.matched_by) for i in items} == {(luca.id, "open_chart")}
    assert not problems_in([page])
    stop.set()
    streaming.join(5)
    hub.stop()
    pty.close()


def test_a_reading_without_a_steady_signal_is_refused_with_a_reason(qtbot, threaded):
    executor, records = threaded
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    hub.start((DeviceConfig("Saturimetro", "cms50", port=PeerPty().path),))
    failed: list[tuple[str, str]] = []
    hub.spot_check_failed.connect(lambda *args: failed.append(args))
    hub.spot_check("Saturimetro")
    qtbot.waitUntil(lambda: bool(failed), timeout=5_000)
    assert failed == [("Saturimetro", "Nessuna lettura dal saturimetro per ora.")]
    assert records.inbox.items("pending") == []
    hub.stop()


def test_acquire_a_spirometry_through_gdt_files(qtbot, threaded, stop, tmp_path):
    executor, records = threaded
    luca = _patient(records, "russo luca")
    requests, results = tmp_path / "richieste", tmp_path / "risultati"
    requests.mkdir()
    results.mkdir()
    threading.Thread(target=simulate_gdt, args=(requests, stop),
                     kwargs={"result_folder": results}, daemon=True).start()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    hub.start((DeviceConfig("Spirometro", "gdt", request_folder=str(requests),
                            result_folder=str(results), gdt_receiver="SPIRO"),))
    dialog = AcquireDialog(executor, hub, luca)
    qtbot.addWidget(dialog)
    dialog.start()
    request = gdt.decode_record((requests / "SPIROMEDIRETE.gdt").read_bytes()) \
        if (requests / "SPIROMEDIRETE.gdt").exists() else None
    if request is not None:  # the simulator may already have taken it
        assert dict(request.fields)["3000"] == luca.codice_fiscale
    qtbot.waitUntil(lambda: dialog.accept_button.isEnabled(), timeout=30_000)
    assert {"20150-9", "19868-9"} <= {item.code for item in dialog.items}
    assert dialog.table.rowCount() == len(dialog.items)
    dialog.accept_results()
    qtbot.waitUntil(lambda: not dialog.items, timeout=10_000)
    codes = {o.fields.get("code") for o in records.chart.open(luca.id).of("observation")}
    assert {"20150-9", "19868-9"} <= codes  # FEV1, FVC (LOINC)
    hub.stop()


def test_patient_ref_names_the_patient_by_codice_fiscale(threaded):
    _executor, records = threaded
    luca = _patient(records, "russo luca")
    ref = patient_ref(luca)
    assert (ref.identifier, ref.family_name, ref.sex) == (luca.codice_fiscale, luca.surname,
                                                          luca.sex)
    assert ref.birth_date == luca.birth_date.strftime("%Y%m%d")


def test_a_pulled_cable_is_said_on_the_panel_and_in_the_status_bar(qtbot, threaded, stop):
    executor, records = threaded
    pty = PeerPty()
    hub = DeviceHub(executor, Path(records.db.paths.root) / "spool")
    page = DevicesPage(hub)
    qtbot.addWidget(page)
    said: list[str] = []
    page.status_message.connect(said.append)
    hub.start((DeviceConfig("Analizzatore POC", "astm", port=pty.path),))
    assert pty.wait_for_peer(stop)
    qtbot.waitUntil(lambda: page.panel.model.rows[0].state == "waiting", timeout=5_000)
    pty.close()  # the cable is pulled: the line's other end is gone
    qtbot.waitUntil(lambda: page.panel.model.rows[0].state == "error", timeout=10_000)
    row = page.panel.model.rows[0]
    assert row.error and said and said[0].startswith("Analizzatore POC: ")
    assert "nuovo tentativo" in said[0]
    assert hub.runners["Analizzatore POC"].status.state in ("error", "connecting")
    hub.stop()


def test_messages_kept_on_disk_reach_the_inbox_when_the_devices_start_again(
        qtbot, threaded, stop, tmp_path):
    executor, records = threaded
    luca = _patient(records, "russo luca")
    spool = tmp_path / "spool"
    pty = PeerPty()

    def record_closed(_message: object) -> None:
        raise OSError("the record is closed")  # as when nobody is logged in

    runner = DeviceRunner(DeviceSpec("astm", pty.path), record_closed, spool_dir=spool)
    runner.start()
    _analyzer(pty, [sample_message(_analyzer_patient(luca))], stop).join(30)
    runner.stop()
    pty.close()
    (kept,) = spool.glob("*-astm.raw")  # acknowledged to the analyzer, kept on disk
    (spool / "20261205T080000.000000Z-bp.raw").write_bytes(b"\x00garbage\r\n")
    hub = DeviceHub(executor, spool)
    page = DevicesPage(hub)
    qtbot.addWidget(page)
    said: list[str] = []
    page.status_message.connect(said.append)
    hub.recover_spool()
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == ["Messaggi dei dispositivi conservati su disco e ora nella posta dei "
                    "risultati: 1. File non leggibili messi da parte: 1."]
    items = records.inbox.items("pending")
    assert "59261-8" in {i.code for i in items}
    assert {i.patient_id for i in items} == {luca.id}
    assert not list(spool.glob("*.raw"))
    assert (spool / "delivered" / kept.name).exists()
    assert (spool / "unreadable" / "20261205T080000.000000Z-bp.raw").exists()
