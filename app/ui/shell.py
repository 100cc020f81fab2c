"""Which window is on screen: first run, demo preparation, login, main window."""

from __future__ import annotations

import logging
from pathlib import Path

from app.core.errors import CenterMissing
from app.core.i18n import _
from app.records.storage.center import CenterPaths
from app.ui.first_run import FirstRunPage
from app.ui.login import DemoHint, LoginWindow
from app.ui.main_window import MainWindow
from app.ui.notices import AccountNoticesDialog, needs_notice
from app.ui.operations import EnsureDemoCenter, Logout, SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import QLabel, QProgressBar, QSettings, QVBoxLayout, QWidget

log = logging.getLogger(__name__)
LAST_CENTER_KEY = "center/last"


def demo_hint() -> DemoHint:
    """The demo users and password (public: the demo holds only synthetic data)."""
    from app.records.demo import DEMO_PASSWORD, DEMO_STAFF

    return DemoHint((*(name for name, _full, _role in DEMO_STAFF), "admin"), DEMO_PASSWORD)


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

    def __init__(self, executor: RunsOperations, settings: QSettings) -> None:
        self.executor = executor
        self.settings = settings
        self.window: QWidget | None = None
        self.session: SessionInfo | None = None
        self.notices: AccountNoticesDialog | None = None

    def _show(self, window: QWidget) -> None:
        previous, self.window = self.window, window
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
        self.show_login(root, demo=True)

    def _demo_failed(self, exc: BaseException) -> None:
        self.show_first_run()
        self.executor.report_error(exc)

    def show_login(self, root: Path, demo: bool = False) -> LoginWindow:
        """The login window for ``root``."""
        login = LoginWindow(self.executor, root, demo_hint() if demo else None)
        login.logged_in.connect(lambda session: self._logged_in(session, demo))
        self._show(login)
        return login

    def _logged_in(self, session: SessionInfo, demo: bool) -> None:
        self.session = session
        if not demo:  # the demo is reopened with --demo, never by surprise
            self.settings.setValue(LAST_CENTER_KEY, str(session.center_path))
        window = MainWindow(self.executor, session)
        window.closed.connect(self._main_closed)
        self._show(window)
        if needs_notice(session):
            # Shown over the main window: what an admin did to clinical accounts is
            # seen before any chart (hardening item 10).
            self.notices = AccountNoticesDialog(self.executor, session, window)
            self.notices.open()

    def _main_closed(self) -> None:
        if self.window is not None and isinstance(self.window, MainWindow):
            self.executor.run(Logout(), lambda _none: None)
