"""The sync light and panel on a real paired center: a real replica made from a real
invitation, real nodes over TLS on 127.0.0.1 (the desk's in its own thread, the other
workstation's in a second runner), conflicts made by real concurrent edits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.core import i18n
from app.records.changes import Origin
from app.records.services import Records
from app.records.services.views import PatientInput
from app.sync.identity import find_identity
from app.sync.pairing import invite, join, open_bundle
from app.sync.replica import Replica
from app.ui import sync_status
from app.ui.main_window import MainWindow
from app.ui.qt import QAction, Qt
from app.ui.shell import Shell
from app.ui.sync_runner import NodeStart, SyncConfig, SyncRunner
from tests.sync.test_sync_exchange import sync
from tests.ui.conftest import PASSWORD, UiCenter, build_center
from tests.ui.visible_text import problems_in

WAIT_MS = 30_000


@dataclass(frozen=True)
class Pair:
    """The center (studio-1, where the CA was made) and its replica studio-2."""

    center: UiCenter
    replica: Path


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pair:
    """A center paired by a real invitation, and the replica a GP joined with it."""
    return make_pair(tmp_path, monkeypatch)


def make_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pair:
    """What the ``pair`` fixture gives (for the fixtures of other files)."""
    monkeypatch.setenv("MEDIRETE_SYNC_LISTEN", "127.0.0.1:0")
    monkeypatch.setenv("MEDIRETE_SYNC_DISCOVERY", "0")
    monkeypatch.delenv("MEDIRETE_SYNC_PEERS", raising=False)
    center = build_center(tmp_path / "a")
    admin = Records.open(center.root, "admin", PASSWORD)
    try:
        invitation = invite(admin, PASSWORD, workstation="studio-2", this_name="studio-1")
    finally:
        admin.close()
    opened = open_bundle(invitation.blob, invitation.code)
    assert opened.center_name == "Centro Medico Test"
    assert opened.ca_fingerprint == invitation.ca_fingerprint
    join(tmp_path / "b", opened, "medico", PASSWORD)
    return Pair(center, tmp_path / "b")


class OtherWorkstation:
    """studio-2 running its node, as a desk on another computer would."""

    def __init__(self, root: Path) -> None:
        self.records = Records.open(root, "medico", PASSWORD)
        with self.records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        assert me is not None and me.workstation == "studio-2"
        self.runner = SyncRunner(SyncConfig(("127.0.0.1", 0), (), discovery=False))
        self.runner.start(NodeStart(Records(self.records.db, self.records.user, "studio-2"),
                                    me))

    def close(self) -> None:
        self.runner.stop()
        self.records.close()


@pytest.fixture
def other(pair: Pair, qtbot, monkeypatch) -> Iterator[OtherWorkstation]:
    """studio-2 online; the desk (studio-1) is told its address."""
    workstation = OtherWorkstation(pair.replica)
    qtbot.waitUntil(lambda: workstation.runner.port is not None, timeout=WAIT_MS)
    monkeypatch.setenv("MEDIRETE_SYNC_PEERS", f"127.0.0.1:{workstation.runner.port}")
    yield workstation
    workstation.close()


def log_in(qtbot, shell: Shell, root: Path, username: str) -> MainWindow:
    """Log in through the real login window."""
    login = shell.show_login(root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert isinstance(shell.window, MainWindow)
    return shell.window


def light_text(window: MainWindow) -> str:
    return window.sync.light.light.text


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_an_unpaired_workstation_says_so_and_runs_no_sync(qtbot, shell, logged_in):
    window = logged_in("medico")
    assert window.sync.light.light.colour == "grey"
    assert light_text(window) == "Non associata"
    assert window.sync.light.isVisibleTo(window)
    assert shell.sync_runner is not None and not shell.sync_runner.running
    assert not window.sync.timer.isActive()  # nothing to re-read every few seconds


def test_alone_the_workstation_is_offline_in_plain_words(qtbot, shell, pair, monkeypatch):
    monkeypatch.setattr(sync_status, "GRACE_SECONDS", 0.0)
    window = log_in(qtbot, shell, pair.center.root, "medico")
    runner = shell.sync_runner
    assert runner is not None and runner.running
    qtbot.waitUntil(lambda: runner.state == "listening", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.sync.light.light.colour == "red", timeout=WAIT_MS)
    assert light_text(window) == "Non in linea: nessuna altra postazione raggiungibile"
    assert window.sync.timer.isActive()


def test_a_peer_online_turns_it_green_and_its_writes_reach_the_screens(
        qtbot, shell, pair, other, executor):
    window = log_in(qtbot, shell, pair.center.root, "medico")
    qtbot.waitUntil(lambda: light_text(window) == "Sincronizzata: 1 postazione in linea",
                    timeout=WAIT_MS)
    assert window.sync.light.light.colour == "green"

    def from_the_peer(changes, initiator) -> bool:
        return Origin.SYNC in changes.origins and "patient" in changes.kinds

    with qtbot.waitSignal(executor.changed, timeout=WAIT_MS, check_params_cb=from_the_peer):
        other.records.patients.register(
            PatientInput("Marchi", "Elena", "F", date(1966, 2, 3), "Pavia"))
    records = executor.backend.require()
    assert [p.surname for p in records.patients.search("Marchi Elena")] == ["Marchi"]


def test_sync_stops_before_the_record_closes(qtbot, shell, pair):
    window = log_in(qtbot, shell, pair.center.root, "medico")
    runner = shell.sync_runner
    assert runner is not None
    qtbot.waitUntil(lambda: runner.state == "listening", timeout=WAIT_MS)
    window.request_logout()
    assert not runner.running and shell.sync_runner is None
    qtbot.waitUntil(lambda: runner.state == "stopped", timeout=WAIT_MS)


def _conflicts(pair: Pair) -> str:
    """A demographic edit and a correction made on both workstations before they met;
    the later ones are the center's, so the center keeps the conflicts. The patient's id."""
    a = Replica(Records.open(pair.center.root, "medico", PASSWORD), "studio-1")
    b = Replica(Records.open(pair.replica, "medico", PASSWORD), "studio-2")
    try:
        sync(a, b)
        mario = pair.center.mario_id
        problem = next(p.id for p in a.records.chart.open(mario).of("problem")
                       if p.fields["description"] == "Ipertensione essenziale")
        b.records.patients.update_demographics(mario, {"phone": "0382 222222"})
        b.records.clinical.correct("problem", problem, {"description": "Ipertensione"},
                                   "abbreviato")
        a.records.patients.update_demographics(mario, {"phone": "0382 111111"})
        a.records.clinical.correct("problem", problem,
                                   {"description": "Ipertensione arteriosa"}, "precisato")
        sync(a, b)
        assert a.status().conflicts == 2  # the demographics, and the two corrections
    finally:
        a.records.close()
        b.records.close()
    return mario


def test_conflicts_turn_it_amber_and_the_panel_lists_them(qtbot, shell, pair, other, errors):
    _conflicts(pair)
    window = log_in(qtbot, shell, pair.center.root, "medico")
    qtbot.waitUntil(lambda: window.sync.light.light.colour == "amber", timeout=WAIT_MS)
    assert light_text(window) == ("Sincronizzata: 1 postazione in linea"
                                  " · 2 conflitti da risolvere")
    action(window, "sync.panel").trigger()
    panel = window.sync.panel
    assert panel is not None and panel.isVisible()
    qtbot.waitUntil(lambda: bool(errors.errors)
                    or (panel.view is not None and panel.view.online == 1), timeout=WAIT_MS)
    assert errors.errors == []
    assert panel.counts.text() == ("In linea: 1 di 1 postazioni · Conflitti da risolvere: 2 · "
                                   "In attesa, non ancora applicate: 0")
    assert panel.conflict_box.title() == "Conflitti da risolvere (2)"
    peer = panel.peers.rows[0]
    assert peer[0] == "studio-2" and peer[1].startswith("in linea (ricevute ")
    conflicts = {row[1]: row for row in panel.conflicts.rows}
    demographics = conflicts["Dati anagrafici modificati su due postazioni"]
    assert demographics[3] == "Rossi Mario"
    assert demographics[4] == ("Telefono: tenuto 0382 111111, altra postazione 0382 222222")
    amendment = conflicts["Due correzioni della stessa voce"]
    assert amendment[2] == "Problemi" and amendment[3] == "Rossi Mario"
    assert "scegliere quella giusta nella cartella" in amendment[4]
    journal = panel.view.journal
    assert [line.at for line in journal] == sorted((line.at for line in journal), reverse=True)
    events = [row[1] for row in panel.journal.rows]
    assert "Modifiche ricevute" in events
    assert "Conflitto: Dati anagrafici modificati su due postazioni" in events
    found = problems_in([panel, window])
    assert found == [], "\n".join(found)  # no English left in the Italian screens


def test_the_secretary_sees_the_panel_without_clinical_conflicts(qtbot, shell, pair):
    _conflicts(pair)
    window = log_in(qtbot, shell, pair.center.root, "segreteria")
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = window.sync.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.view is not None, timeout=WAIT_MS)
    assert panel.view.conflicts == 1
    assert [row[1] for row in panel.conflicts.rows] == [
        "Dati anagrafici modificati su due postazioni"]
    assert "Ipertensione" not in " ".join(" ".join(r) for r in panel.conflicts.rows)
    events = [row[1] for row in panel.journal.rows]
    assert "Conflitto: Dati anagrafici modificati su due postazioni" in events
    assert "Conflitto: Due correzioni della stessa voce" not in events  # clinical: not hers
    assert "1 conflitto da risolvere" in light_text(window)


def test_english_words(qtbot, shell, pair, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    monkeypatch.setattr(sync_status, "GRACE_SECONDS", 0.0)
    window = log_in(qtbot, shell, pair.center.root, "medico")
    qtbot.waitUntil(lambda: window.sync.light.light.colour == "red", timeout=WAIT_MS)
    assert light_text(window) == "Offline: no other workstation reachable"
    action(window, "sync.panel").trigger()
    panel = window.sync.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.view is not None, timeout=WAIT_MS)
    assert panel.counts.text().startswith("Online: 0 of 1 workstations")
    assert panel.peers.rows[0][:2] == ("studio-2", "never seen")


def test_another_language_keeps_the_same_sync_running(qtbot, shell, pair, monkeypatch):
    monkeypatch.setattr(sync_status, "GRACE_SECONDS", 0.0)
    monkeypatch.setattr(i18n, "_current", "it")
    window = log_in(qtbot, shell, pair.center.root, "medico")
    runner = shell.sync_runner
    assert runner is not None
    qtbot.waitUntil(lambda: window.sync.light.light.colour == "red", timeout=WAIT_MS)
    window.choose_language("en")
    rebuilt = shell.window
    assert isinstance(rebuilt, MainWindow) and rebuilt is not window
    assert shell.sync_runner is runner and runner.running  # not stopped by the rebuild
    qtbot.waitUntil(lambda: light_text(rebuilt) == "Offline: no other workstation reachable",
                    timeout=WAIT_MS)


@pytest.mark.parametrize(("lang", "label", "detail"), [
    ("it", "Cartella copiata da un'altra postazione",
     "976831 voci in 40.2 s (ricevute in 7.8 s, controllate in 31.6 s)"),
    ("en", "Record copied from a peer",
     "976831 entries in 40.2 s (received in 7.8 s, checked in 31.6 s)"),
])
def test_the_copy_line_of_the_journal_in_words(monkeypatch, lang, label, detail):
    from app.ui.sync_view import journal_detail, journal_event_label

    monkeypatch.setattr(i18n, "_current", lang)
    written = "976831 entries in 40.2 s (received in 7.8 s, checked in 31.6 s)"  # snapshot.py
    assert journal_event_label("snapshot") == label
    assert journal_detail("snapshot", written) == detail
