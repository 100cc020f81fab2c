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

if TYPE_CHECKING:
    from app.devices.demo_devices import DemoSimulators

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
        if message:
            page.show_message(message)
        self._show(page)
        return page

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
        self.show_login(root, demo=True)

    def stop_simulators(self) -> None:
        """End the demo's simulated devices (at quit; they also end if this process dies)."""
        if self.simulators is not None:
            self.simulators.stop()
            self.simulators = None

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
        window = self._main_window(session)
        self._show(window)
        if needs_notice(session):
            # Shown over the main window: what an admin did to clinical accounts is
            # seen before any chart (hardening item 10).
            self.notices = AccountNoticesDialog(self.executor, session, window)
            self.notices.open()

    def _main_window(self, session: SessionInfo) -> MainWindow:
        window = MainWindow(self.executor, session, self.settings, self.clock)
        window.closed.connect(lambda: self._main_closed(window))
        window.logout_requested.connect(self.logout)
        window.switch_user_requested.connect(self.switch_user)
        window.language_requested.connect(self.change_language)
        return window

    def _main_closed(self, window: MainWindow) -> None:
        """The user closed the main window (not a rebuild): close the record."""
        if window is self.window:
            self.session = None
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
        self.executor.run(Logout(), to_login, failed)

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
