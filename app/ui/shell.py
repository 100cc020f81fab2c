"""Which window is on screen: first run, demo preparation, login, main window.

The shell also ends sessions (log out, switch user: the record is closed and its key
dropped on the worker) and rebuilds the main window in another language, keeping the
session and the open patient.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import CenterMissing
from app.core.i18n import _
from app.records.storage.center import CenterPaths
from app.ui.first_run import FirstRunPage
from app.ui.language import QtTranslations, save_language
from app.ui.login import DemoHint, LoginWindow
from app.ui.main_window import MainWindow
from app.ui.notices import AccountNoticesDialog, needs_notice
from app.ui.operations import EnsureDemoCenter, Logout, SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QGuiApplication,
    QLabel,
    QProgressBar,
    QSettings,
    QVBoxLayout,
    QWidget,
)
from app.ui.sync_runner import NodeStart, PrepareSync, StopSync, SyncConfig, SyncRunner

if TYPE_CHECKING:
    from app.devices.demo_devices import DemoSimulators
    from app.ui.demo_peer import DemoPeer

log = logging.getLogger(__name__)
LAST_CENTER_KEY = "center/last"


def demo_hint() -> DemoHint:
    """The demo users and password (public: the demo holds only synthetic data)."""
    from app.records.demo import DEMO_PASSWORD, DEMO_STAFF

    return DemoHint((*(name for name, _full, _role in DEMO_STAFF), "admin"), DEMO_PASSWORD)


def center_on_screen(window: QWidget) -> None:
    """A small window in the middle of the screen, not in a corner."""
    window.adjustSize()
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        frame = window.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        window.move(frame.topLeft())


class BusyPage(QWidget):
    """A short wait with a reason (e.g. the demo center being generated)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setWindowTitle(_("Medirete"))
        self.setMinimumWidth(420)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # indeterminate until the job reports its progress
        self.bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(QLabel(text))
        layout.addWidget(self.bar)

    def set_progress(self, done: int, total: int) -> None:
        """A long job reports how far it got."""
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setTextVisible(True)


class Shell:
    """Owns the top-level windows; the record itself stays on the executor's worker."""

    def __init__(self, executor: RunsOperations, settings: QSettings,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.executor = executor
        self.settings = settings
        self.clock = clock  # what the main window's inactivity lock measures time with
        self.translations = QtTranslations()
        self.window: QWidget | None = None
        self.session: SessionInfo | None = None
        self.notices: AccountNoticesDialog | None = None
        self._root: Path | None = None
        self._demo = False
        self.simulators: DemoSimulators | None = None
        self.demo_peer: DemoPeer | None = None  # the demo's second workstation
        self.sync_runner: SyncRunner | None = None  # this session's center sync

    def _show(self, window: QWidget) -> None:
        previous, self.window = self.window, window
        if not isinstance(window, MainWindow):  # it places itself (where the user left it)
            center_on_screen(window)
        window.show()
        # End-to-end tests wait on this line (the real program, not a fixture).
        log.info("window shown: %s", type(window).__name__)
        if previous is not None:
            previous.close()
            previous.deleteLater()

    def start(self, center: Path | None, demo_root: Path | None) -> None:
        """Open what the command line asked for, else the last center, else first run."""
        if demo_root is not None:
            self.open_demo(demo_root)
        elif center is not None:
            self.open_center(center)
        elif last := str(self.settings.value(LAST_CENTER_KEY, "") or ""):
            self.open_center(Path(last), forget_if_missing=True)
        else:
            self.show_first_run()

    def show_first_run(self, message: str = "") -> FirstRunPage:
        """The welcome page."""
        page = FirstRunPage()
        page.center_chosen.connect(self.open_center)
        page.demo_requested.connect(self._demo_from_first_run)
        page.pair_requested.connect(lambda: self._join_by_pairing(page))
        if message:
            page.show_message(message)
        self._show(page)
        return page

    def _join_by_pairing(self, page: FirstRunPage) -> None:
        """The pairing dialog; the new replica's login once joined."""
        from app.ui.pairing_dialogs import JoinDialog

        dialog = JoinDialog(self.executor, page)
        dialog.joined.connect(self.open_center)
        dialog.open()
        page.join_dialog = dialog

    def _demo_from_first_run(self) -> None:
        from app.core.paths import demo_center_dir

        self.open_demo(demo_center_dir())

    def open_center(self, root: Path, forget_if_missing: bool = False) -> None:
        """The login on a center folder (a missing center goes back to the first run)."""
        if not CenterPaths(root).exists():
            if forget_if_missing:
                self.settings.remove(LAST_CENTER_KEY)
            self.show_first_run(CenterMissing(path=str(root)).user_message())
            return
        self.show_login(root)

    def open_demo(self, root: Path) -> None:
        """Generate the demo center on the worker if needed, then its login."""
        page = BusyPage(_("Preparing the demo center with synthetic patients..."))
        self.executor.progress.connect(page.set_progress)
        self._show(page)
        self.executor.run(EnsureDemoCenter(root), lambda _created: self._demo_ready(root),
                          self._demo_failed)

    def _demo_ready(self, root: Path) -> None:
        from app.devices.demo_devices import DemoSimulators

        if self.simulators is None:  # the analyzer, oximeter and spirometer of the demo
            self.simulators = DemoSimulators(root)
            self.simulators.start()
        if self.demo_peer is None:  # a second workstation to sync with, in the background
            from app.records.demo import DEMO_PASSWORD
            from app.ui.demo_peer import DemoPeer

            self.demo_peer = DemoPeer(root, DEMO_PASSWORD)
            self.demo_peer.ready.connect(self._demo_peer_ready)
            self.demo_peer.start()
        self.show_login(root, demo=True)

    def stop_simulators(self) -> None:
        """End the demo's simulated devices and second workstation, and this session's
        sync (at quit; the children also end if this process dies)."""
        runner, self.sync_runner = self.sync_runner, None
        if runner is not None:
            runner.stop()
        if self.simulators is not None:
            self.simulators.stop()
            self.simulators = None
        if self.demo_peer is not None:
            self.demo_peer.stop()
            self.demo_peer = None

    def _demo_failed(self, exc: BaseException) -> None:
        self.show_first_run()
        self.executor.report_error(exc)

    def show_login(self, root: Path, demo: bool = False, username: str = "",
                   note: str = "") -> LoginWindow:
        """The login window for ``root`` (``username`` prefilled, ``note`` above the form)."""
        self._root, self._demo = root, demo
        login = LoginWindow(self.executor, root, demo_hint() if demo else None, username, note)
        login.logged_in.connect(lambda session: self._logged_in(session, demo))
        login.language_requested.connect(self.change_language)
        self._show(login)
        return login

    def _logged_in(self, session: SessionInfo, demo: bool) -> None:
        self.session = session
        if not demo:  # the demo is reopened with --demo, never by surprise
            self.settings.setValue(LAST_CENTER_KEY, str(session.center_path))
        self._start_sync(demo)
        window = self._main_window(session)
        self._show(window)
        if needs_notice(session):
            # Shown over the main window: what an admin did to clinical accounts is
            # seen before any chart (hardening item 10).
            self.notices = AccountNoticesDialog(self.executor, session, window)
            self.notices.open()

    def _main_window(self, session: SessionInfo) -> MainWindow:
        window = MainWindow(self.executor, session, self.settings, self.clock,
                            sync=self.sync_runner)
        window.closed.connect(lambda: self._main_closed(window))
        window.logout_requested.connect(self.logout)
        window.switch_user_requested.connect(self.switch_user)
        window.language_requested.connect(self.change_language)
        return window

    def _main_closed(self, window: MainWindow) -> None:
        """The user closed the main window (not a rebuild): close the record."""
        if window is self.window:
            self.session = None
            self._stop_sync()
            self.executor.run(Logout(), lambda _none: None)

    # -- sessions -------------------------------------------------------------------------
    def logout(self) -> None:
        """Close the record, drop its key, back to the login (the same user prefilled)."""
        self._end_session(keep_user=True)

    def switch_user(self) -> None:
        """Close this session without closing the app: the login, ready for another user."""
        self._end_session(keep_user=False)

    def _end_session(self, keep_user: bool) -> None:
        session, window = self.session, self.window
        if session is None or self._root is None:
            return
        self.session = None
        if window is not None:
            window.hide()  # nothing of the session stays on screen meanwhile
        root, demo = self._root, self._demo
        username = session.username if keep_user else ""
        note = _("{user} has logged out.").format(user=session.full_name)

        def to_login(_result: object) -> None:
            self.show_login(root, demo, username, note)

        def failed(exc: BaseException) -> None:
            to_login(None)
            self.executor.report_error(exc)

        log.info("session ended")
        self._stop_sync()
        self.executor.run(Logout(), to_login, failed)

    # -- center sync ----------------------------------------------------------------------
    def _sync_config(self, demo: bool) -> SyncConfig:
        """The environment's and settings' choice; the demo syncs on this computer only."""
        if not demo:
            return SyncConfig.from_environment(self.settings)
        peer = self.demo_peer.address if self.demo_peer is not None else None
        return SyncConfig(("127.0.0.1", 0), (peer,) if peer else (), discovery=False)

    def _start_sync(self, demo: bool) -> None:
        """Run this workstation's sync for the session, if it is paired."""
        runner = SyncRunner(self._sync_config(demo))
        runner.applied.connect(lambda changes: self.executor.changed.emit(changes, None))
        self.sync_runner = runner
        self._prepare_sync(runner)

    def _prepare_sync(self, runner: SyncRunner) -> None:
        def start(prepared: NodeStart | None) -> None:
            if runner is self.sync_runner:  # not a session ended meanwhile
                runner.start(prepared)

        self.executor.run(PrepareSync(), start)

    def _demo_peer_ready(self, address: tuple[str, int]) -> None:
        """The demo's second workstation is up: call it (pairing may have just happened)."""
        runner = self.sync_runner
        if runner is None or not self._demo:
            return
        runner.add_peer(address)
        if not runner.running:
            self._prepare_sync(runner)

    def _stop_sync(self) -> None:
        """Stop the node before the record closes (a barrier ahead of the logout)."""
        runner, self.sync_runner = self.sync_runner, None
        if runner is not None:  # even if not started yet: a late start is then refused
            self.executor.run(StopSync(runner), lambda _none: None)

    # -- language -------------------------------------------------------------------------
    def change_language(self, lang: str) -> None:
        """Rebuild what is on screen in ``lang`` (strings are read at construction)."""
        save_language(self.settings, lang)
        self.translations.apply(lang)
        window = self.window
        if isinstance(window, MainWindow) and self.session is not None:
            state = window.snapshot()
            window.layout_memory.save()
            rebuilt = self._main_window(self.session)
            self._show(rebuilt)
            rebuilt.resume(state)
        elif isinstance(window, LoginWindow) and self._root is not None:
            self.show_login(self._root, self._demo, window.username.text())
