"""pytest-qt set-up: offscreen Qt, fast scrypt, Italian UI, a real center.

Qt warnings fail a test through pytest-qt's own ``qt_log_level_fail`` (pyproject.toml).
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIRETE_SCRYPT_LOG_N", "14")
os.environ.setdefault("MEDIRETE_WORKSTATION", "test-ui")

from collections.abc import Iterator  # noqa: E402 - the environment must come first
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.core import i18n  # noqa: E402
from app.records.services import Records  # noqa: E402
from app.records.services.views import PatientInput  # noqa: E402
from app.records.storage.center import create_center  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.ops import SyncExecutor  # noqa: E402
from app.ui.qt import QSettings, Qt  # noqa: E402
from app.ui.shell import Shell  # noqa: E402

PASSWORD = "prova-password-1"
CENTER_NAME = "Centro Medico Test"
PATIENTS = (
    ("Rossi", "Mario", "M", date(1950, 3, 12), "Milano"),
    ("Rossi", "Anna", "F", date(1962, 7, 1), "Roma"),
    ("Rossini", "Carla", "F", date(1971, 11, 30), "Bergamo"),
    ("Russo", "Luca", "M", date(1985, 1, 5), "Napoli"),
    ("Bianchi", "Giulia", "F", date(1990, 5, 20), "Torino"),
    ("Verdi", "Paolo", "M", date(1948, 9, 9), "Brescia"),
)


@dataclass(frozen=True)
class UiCenter:
    """A real encrypted center with staff of every role and a few patients."""

    root: Path
    password: str
    mario_id: str


def build_center(root: Path, password: str = PASSWORD) -> UiCenter:
    """Create the center, its staff, patients and one small chart."""
    create_center(root, CENTER_NAME, "admin", password, "Amministratore")
    admin = Records.open(root, "admin", password)
    try:
        admin.users.add("medico", "Dott.ssa Laura Neri", "gp", password)
        admin.users.add("infermiere", "Paolo Galli", "nurse", password)
        admin.users.add("segreteria", "Sara Conti", "secretary", password)
    finally:
        admin.close()
    gp = Records.open(root, "medico", password)
    try:
        gp.users.grant_clinical("infermiere")  # the first GP founded the clinical file
        ids = [gp.patients.register(PatientInput(*p)).id for p in PATIENTS]
        mario = ids[0]
        gp.clinical.add_allergy(mario, "Penicillina", reaction="orticaria", criticality="high")
        gp.clinical.add_problem(mario, "401.9", "Ipertensione essenziale",
                                clinical_status="chronic", onset=date(2010, 4, 1))
        gp.clinical.add_problem(mario, "465.9", "Infezione acuta vie respiratorie",
                                clinical_status="resolved")
        gp.clinical.add_medication(mario, "C09AA05", "Ramipril 5 mg", dosage="1 cp al mattino",
                                   chronic=True)
        gp.clinical.record_observation(mario, "8480-6", datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
                                       value_num=135.0, unit="mm[Hg]", display="PA sistolica")
    finally:
        gp.close()
    return UiCenter(root, password, mario)


@pytest.fixture(scope="session")
def center(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    """One center for the whole UI suite (logins only append audit rows)."""
    return build_center(tmp_path_factory.mktemp("center") / "centro")


@pytest.fixture(autouse=True)
def collect_on_the_test_thread() -> Iterator[None]:
    """As the app does (``app.ui.collector``): no cycle collection in the threads a test
    starts (sync, devices, the record's worker), where a Qt object found as garbage
    would be destroyed off the GUI thread; everything is collected here afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def italian(monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI language is Italian unless a test says otherwise."""
    monkeypatch.setattr(i18n, "_current", "it")


class ErrorSink:
    """Stands in for the error dialogs: records what would have been shown."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []

    def __call__(self, exc: BaseException) -> None:
        self.errors.append(exc)


@pytest.fixture
def errors() -> ErrorSink:
    """Errors the executor would have shown."""
    return ErrorSink()


@pytest.fixture
def executor(errors: ErrorSink) -> Iterator[SyncExecutor]:
    """Operations run at once on the test thread; the record is closed afterwards."""
    sync = SyncExecutor(on_error=errors)
    yield sync
    sync.shutdown()


@pytest.fixture
def shell(executor: SyncExecutor, tmp_path: Path, qtbot: object) -> Iterator[Shell]:
    """The window manager with settings in a temporary file."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shell = Shell(executor, settings)
    yield shell
    if shell.window is not None:
        shell.window.close()
        shell.window.deleteLater()


@pytest.fixture
def logged_in(qtbot: object, shell: Shell, center: UiCenter) -> object:
    """Log in through the real login window; returns the main window."""

    def log_in(username: str) -> MainWindow:
        login = shell.show_login(center.root)
        qtbot.keyClicks(login.username, username)
        qtbot.keyClicks(login.password, center.password)
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
        assert isinstance(shell.window, MainWindow)
        return shell.window

    return log_in
