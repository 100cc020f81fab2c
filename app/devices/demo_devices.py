"""The demo center's devices: their configuration and the simulators behind them.

The demo workstation has a point-of-care analyzer (ASTM) and a CMS50D+ oximeter, each on
a TCP port of this computer, and a spirometer program that answers GDT requests in a
folder pair under ``<demo center>/devices``. ``DemoSimulators`` runs the product's own
``devsim`` for each as a child process, so a newcomer sees results arrive through the
same drivers a real studio uses (docs/decisions/0019-demo-devices.md).

Ports: 47201 (analyzer) and 47202 (oximeter), or the ``MEDIRETE_DEMO_DEVICE_PORT``
environment variable's value and the next one, so that two demos or test runs on one
computer do not clash. The ports are stored with the devices when they are installed
(``install_demo_devices``) and used by the simulators each time they start: set the
variable before the demo center is first opened.

The analyzer sends results for some of the demo center's own patients (Maggi Emilia and
a few more with diabetes or on an anticoagulant), so they match by codice fiscale in the
inbox: the first one about 20 seconds after the workstation connects, then one every two
minutes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import app
from app.core.i18n import _
from app.devices.astm.samples import SyntheticPatient, patients_line
from app.devices.config import DeviceConfig, dump_devices
from app.records.storage.center import workstation_name

if TYPE_CHECKING:
    from app.records.services import Records

log = logging.getLogger(__name__)

BASE_PORT_ENV = "MEDIRETE_DEMO_DEVICE_PORT"
DEFAULT_BASE_PORT = 47201  # analyzer; the oximeter takes the next port
HOST = "127.0.0.1"
FIRST_RESULT_DELAY = 20.0  # seconds from the workstation connecting to the first result
RESULT_INTERVAL = 120.0  # seconds between the analyzer's results
SPIRO_ID = "SPIRO"  # the simulated spirometer program's GDT id (devsim gdt's default)
RESTART_FIRST, RESTART_MAX = 1.0, 30.0  # seconds before a simulator that ended restarts
STABLE_AFTER = 10.0  # a simulator that ran this long restarts after RESTART_FIRST again
WATCH_INTERVAL = 0.2
LOG_LIMIT = 1024 * 1024  # a simulator's log is set aside (.1) beyond this size
KINDS = ("astm", "cms50", "gdt")


# -- configuration ------------------------------------------------------------------------


def demo_ports(base_port: int | None = None) -> tuple[int, int]:
    """The analyzer's and the oximeter's TCP ports: ``base_port``, else the environment
    variable ``MEDIRETE_DEMO_DEVICE_PORT``, else 47201; the oximeter's is the next."""
    if base_port is None:
        text = os.environ.get(BASE_PORT_ENV, "").strip()
        base_port = DEFAULT_BASE_PORT
        if text.isdigit() and 1024 <= int(text) <= 65534:
            base_port = int(text)
        elif text:
            log.warning("%s=%r is not a port from 1024 to 65534: using %d",
                        BASE_PORT_ENV, text, DEFAULT_BASE_PORT)  # fmt: skip
    return base_port, base_port + 1


def devices_dir(root: Path) -> Path:
    """Where the demo's device folders, patient list and simulator logs live."""
    return root.absolute() / "devices"


def spirometer_folders(root: Path) -> tuple[Path, Path]:
    """The simulated spirometer program's request and result folders."""
    base = devices_dir(root)
    return base / "spiro-requests", base / "spiro-results"


def demo_patients_path(root: Path) -> Path:
    """The analyzer's patient list (``devsim astm --patients``)."""
    return devices_dir(root) / "analyzer-patients.tsv"


def demo_device_configs(root: Path, base_port: int | None = None) -> tuple[DeviceConfig, ...]:
    """The demo workstation's devices (the spirometer's folders are created)."""
    astm_port, oximeter_port = demo_ports(base_port)
    requests, results = spirometer_folders(root)
    for folder in (requests, results):
        folder.mkdir(parents=True, exist_ok=True)
    return (
        DeviceConfig(_("Point-of-care analyzer (demo)"), "astm",
                     port=f"socket://{HOST}:{astm_port}"),
        DeviceConfig(_("Pulse oximeter (demo)"), "cms50", port=f"socket://{HOST}:{oximeter_port}"),
        DeviceConfig(_("Spirometer (demo)"), "gdt", request_folder=str(requests),
                     result_folder=str(results), gdt_receiver=SPIRO_ID),
    )  # fmt: skip


# -- the analyzer's patients ----------------------------------------------------------------

DEMO_SEED = 1  # ensure_demo_center's seed: the demo center is generated with it
SCAN = 300  # generated patients looked at (the demo center has 300)
MORE_DIABETIC, MORE_ANTICOAGULATED = 3, 2  # besides Maggi Emilia
ANTICOAGULANT_ATC = ("B01AA", "B01AE", "B01AF")  # vitamin K antagonists, DOACs
DIABETES_TESTS, INR_TESTS = ("HbA1c", "GLU"), ("INR",)


@dataclass(frozen=True)
class _Candidate:
    surname: str
    given_name: str
    sex: str
    birth_date: date
    tests: tuple[str, ...]


def _candidates(as_of: date) -> list[_Candidate]:
    """Generated demo patients with diabetes or on an anticoagulant, Maggi Emilia first.

    Names, sex, age and conditions come out of the generator the same whatever the day
    it runs for (a birth date is "today" minus a drawn age), so the demo center's are
    found again without opening a chart; the staff counts matter (they steer the draws).
    """
    from app.records.demo import DEMO_STAFF
    from app.records.synthetic.center import CenterGenerator, CenterSpec

    gps = tuple(name for name, _full, role in DEMO_STAFF if role == "gp")
    nurses = tuple(name for name, _full, role in DEMO_STAFF if role == "nurse")
    spec = CenterSpec(patients=SCAN, seed=DEMO_SEED, gp_ids=gps, nurse_ids=nurses,
                      history="full", as_of=as_of, showcase=True)  # fmt: skip
    found: list[_Candidate] = []
    wanted = {DIABETES_TESTS: 1 + MORE_DIABETIC, INR_TESTS: MORE_ANTICOAGULATED}
    for chart in CenterGenerator(spec):
        diabetic = any(str(row["icd9_code"]).startswith("250")
                       for row in chart.rows.get("problem", []))  # fmt: skip
        anticoagulated = any(str(row["atc_code"]).startswith(ANTICOAGULANT_ATC)
                             and row["end_date"] is None
                             for row in chart.rows.get("medication", []))  # fmt: skip
        tests = (DIABETES_TESTS if diabetic else ()) + (INR_TESTS if anticoagulated else ())
        group = INR_TESTS if anticoagulated else DIABETES_TESTS
        if tests and wanted[group] > 0:
            wanted[group] -= 1
            patient = chart.rows["patient"][0]
            found.append(_Candidate(patient["surname"], patient["given_name"], patient["sex"],
                                    patient["birth_date"], tests))  # fmt: skip
        if not any(wanted.values()):
            break
    return found


def choose_demo_patients(
    records: Records, today: date | None = None
) -> tuple[SyntheticPatient, ...]:
    """The analyzer's patients as the demo center holds them (Maggi Emilia first); empty
    when she is not there (not the demo center). Reads only names (no chart is opened):
    ``records`` may be the admin's session."""
    from app.records.synthetic import showcase as named

    candidates = _candidates(today or date.today())
    if not candidates or (candidates[0].surname, candidates[0].given_name) != (
        named.SURNAME,
        named.GIVEN_NAME,
    ):
        return ()
    showcase = candidates[0]
    chosen: list[SyntheticPatient] = []
    shift: timedelta | None = None  # the generator's "today" minus the demo center's
    for candidate in candidates:
        matches = [p for p in records.patients.search(f"{candidate.surname} {candidate.given_name}")
                   if (p.surname, p.given_name, p.sex)
                   == (candidate.surname, candidate.given_name, candidate.sex)]  # fmt: skip
        if candidate is showcase:
            if len(matches) != 1:
                return ()
            shift = candidate.birth_date - matches[0].birth_date
        born = [p for p in matches if shift is not None and p.birth_date + shift
                == candidate.birth_date]  # fmt: skip
        pick = born[0] if born else matches[0] if len(matches) == 1 else None
        if pick is not None:
            chosen.append(SyntheticPatient(pick.codice_fiscale, pick.surname, pick.given_name,
                                           pick.birth_date.strftime("%Y%m%d"), pick.sex,
                                           candidate.tests))  # fmt: skip
    return tuple(chosen)


def write_demo_patients(patients: Sequence[SyntheticPatient], path: Path) -> None:
    """Write the analyzer's patient list (replaced whole: a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# The demo analyzer's patients: codice fiscale, surname, given name, "
             "birth date, sex, tests (tab-separated)"]  # fmt: skip
    lines += [patients_line(patient) for patient in patients]
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _installed_marker(root: Path) -> Path:
    """The workstations given the demo devices already, one a line."""
    return devices_dir(root) / "installed-on"


def _installed_on(root: Path) -> set[str]:
    try:
        return set(_installed_marker(root).read_text(encoding="utf-8").splitlines())
    except OSError:
        return set()


def install_demo_devices(records: Records, root: Path) -> bool:
    """Give this workstation the demo devices unless it has a device list, and write the
    analyzer's patient list unless there; True when the devices were stored.

    ``records`` is the demo admin's session (storing a device list is the admin's). A
    list the admin changed, even emptied, stays as it is."""
    patients = demo_patients_path(root)
    if not patients.exists():
        chosen = choose_demo_patients(records)
        if chosen:
            write_demo_patients(chosen, patients)
        else:
            log.warning("no demo patient found for the analyzer: it sends invented ones")
    workstation = workstation_name()
    stored = False
    if not records.settings.device_config(workstation):
        records.settings.set_device_config(workstation, dump_devices(demo_device_configs(root)))
        stored = True
    marker = _installed_marker(root)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("\n".join(sorted(_installed_on(root) | {workstation})) + "\n",
                      encoding="utf-8")  # fmt: skip
    return stored


def ensure_demo_devices(root: Path, password: str | None = None) -> bool:
    """``install_demo_devices`` in a session of the demo's admin, unless this workstation
    had it already (then no session is opened: no login in the demo's audit trail at each
    start). A demo center whose admin password is not the demo's is left alone (logged).
    True when the devices were stored."""
    from app.core.errors import MedireteError
    from app.records.demo import DEMO_PASSWORD
    from app.records.services import Records

    if workstation_name() in _installed_on(root) and demo_patients_path(root).exists():
        return False
    try:
        records = Records.open(root, "admin", password or DEMO_PASSWORD)
    except MedireteError as exc:
        log.warning("demo devices not installed: %s", type(exc).__name__)
        return False
    try:
        return install_demo_devices(records, root)
    finally:
        records.close()


# -- the simulators -----------------------------------------------------------------------


@dataclass
class _Child:
    """One simulator: its process while it runs, when to start it again."""

    kind: str
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = RESTART_FIRST
    log_offset: int = 0  # where this run's output starts in the log


class DemoSimulators:
    """The demo's simulated devices, each the real ``devsim`` in a child process.

    ``start`` launches them and restarts any that ends while started (the analyzer's ends
    when the workstation disconnects) after a short, growing pause; ``stop`` ends them
    (SIGTERM, then kill). Output goes to ``<root>/devices/logs/<kind>.log``.

    No child outlives this process, however it ends: each child's stdin is a pipe only
    this process holds, and ``devsim --exit-with-stdin`` stops when the pipe closes, which
    the system does even on SIGKILL. The same holds on Windows (a plain pipe); a Windows
    Job Object (kill on close) would also end a child that hung, and is not needed now.
    """

    def __init__(
        self,
        root: Path,
        *,
        base_port: int | None = None,
        first_delay: float = FIRST_RESULT_DELAY,
        interval: float = RESULT_INTERVAL,
        python: str = sys.executable,
    ) -> None:
        self.root = root
        self.ports = demo_ports(base_port)
        self.first_delay = first_delay
        self.interval = interval
        self.python = python
        self.logs = devices_dir(root) / "logs"
        self._children = {kind: _Child(kind) for kind in KINDS}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Started and not stopped."""
        return self._watcher is not None

    def log_path(self, kind: str) -> Path:
        """The log of the simulator ``kind`` (astm, cms50, gdt)."""
        return self.logs / f"{kind}.log"

    def argv(self, kind: str) -> list[str]:
        """The command line of the simulator ``kind``."""
        requests, results = spirometer_folders(self.root)
        astm_port, oximeter_port = self.ports
        options = {
            "astm": ["--port", f"listen://{HOST}:{astm_port}", "--delay", f"{self.first_delay:g}",
                     "--interval", f"{self.interval:g}"],
            "cms50": ["--port", f"listen://{HOST}:{oximeter_port}"],
            "gdt": ["--folder", str(requests), "--result-folder", str(results)],
        }[kind]  # fmt: skip
        patients = demo_patients_path(self.root)
        if kind == "astm" and patients.is_file():
            options += ["--patients", str(patients)]
        return [self.python, "-m", "app.devices.cli_verbs", "devsim", kind, *options,
                "--exit-with-stdin"]  # fmt: skip

    def start(self) -> None:
        """Launch every simulator (at once: nothing here waits for them)."""
        if self._watcher is not None:
            return
        self.logs.mkdir(parents=True, exist_ok=True)
        for folder in spirometer_folders(self.root):
            folder.mkdir(parents=True, exist_ok=True)
        self._stopping.clear()
        with self._lock:
            for child in self._children.values():
                child.backoff = RESTART_FIRST
                self._spawn(child)
        self._watcher = threading.Thread(target=self._watch, name="demo-simulators",
                                         daemon=True)  # fmt: skip
        self._watcher.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End every simulator: SIGTERM, then a kill for any still there after ``timeout``."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(timeout)
            self._watcher = None
        with self._lock:
            processes = [c.process for c in self._children.values() if c.process is not None]
            for child in self._children.values():
                child.process, child.restart_at = None, None
        for process in processes:
            _close_stdin(process)
            with contextlib.suppress(OSError):
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("demo simulator %d did not end: killed", process.pid)
                process.kill()
                process.wait()

    def pids(self) -> dict[str, int]:
        """The running simulators' process ids by kind."""
        with self._lock:
            return {kind: child.process.pid for kind, child in self._children.items()
                    if child.process is not None and child.process.poll() is None}  # fmt: skip

    def announced(self, kind: str) -> str | None:
        """Where the running simulator ``kind`` said it is (its ``devsim: ... on`` line)."""
        with self._lock:
            offset = self._children[kind].log_offset
        try:
            with self.log_path(kind).open("rb") as stream:
                stream.seek(offset)
                text = stream.read().decode("utf-8", "replace")
        except OSError:
            return None
        prefix = f"devsim: {kind} on "
        return next((line[len(prefix):] for line in text.splitlines()
                     if line.startswith(prefix)), None)  # fmt: skip

    # -- inside --------------------------------------------------------------------------

    def _spawn(self, child: _Child) -> None:
        """Start ``child`` (the lock held); a failure is logged and retried later."""
        path = self.log_path(child.kind)
        argv = self.argv(child.kind)
        try:
            if path.exists() and path.stat().st_size > LOG_LIMIT:
                os.replace(path, path.with_name(path.name + ".1"))
            with path.open("ab") as output:
                output.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv[1:])}\n"
                             .encode())  # fmt: skip
                output.flush()
                child.log_offset = output.tell()
                child.process = subprocess.Popen(
                    argv,
                    stdin=subprocess.PIPE,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    **_popen_options(),
                )
        except OSError as exc:
            log.error("demo simulator %s not started: %s", child.kind, exc)
            child.process = None
            child.restart_at = time.monotonic() + child.backoff
            child.backoff = min(RESTART_MAX, child.backoff * 2)
            return
        child.started_at = time.monotonic()
        child.restart_at = None
        log.info("demo simulator %s started (pid %d)", child.kind, child.process.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_INTERVAL):
            with self._lock:
                if self._stopping.is_set():
                    return
                for child in self._children.values():
                    self._tend(child, time.monotonic())

    def _tend(self, child: _Child, now: float) -> None:
        process = child.process
        if process is not None and process.poll() is not None:
            _close_stdin(process)
            if now - child.started_at >= STABLE_AFTER:
                child.backoff = RESTART_FIRST
            pause, child.backoff = child.backoff, min(RESTART_MAX, child.backoff * 2)
            log.info("demo simulator %s ended (exit %s): restarted in %g s", child.kind,
                     process.returncode, pause)  # fmt: skip
            child.process, child.restart_at = None, now + pause
        if child.process is None and child.restart_at is not None and now >= child.restart_at:
            self._spawn(child)


def _close_stdin(process: subprocess.Popen[bytes]) -> None:
    stdin: IO[bytes] | None = process.stdin
    if stdin is not None:
        with contextlib.suppress(OSError):
            stdin.close()


def _popen_options() -> dict[str, Any]:
    """Children find this program's code, write their output at once, and stay out of the
    terminal's process group (Ctrl+C reaches the app, which then stops them)."""
    source = str(Path(app.__path__[0]).resolve().parent)
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    options: dict[str, Any] = {"env": {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}}
    if sys.platform == "win32":
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        options["start_new_session"] = True
    return options
