"""The real executor, the error dialog and the stall watchdog."""

from __future__ import annotations

import threading
import time

from app.core.errors import WrongPassword
from app.ui.errors import BugReportDialog, bug_report
from app.ui.login import LoginWindow
from app.ui.ops import Executor
from app.ui.qt import QGuiApplication, Qt
from app.ui.watchdog import StallWatchdog


def test_callbacks_run_on_the_gui_thread(qtbot, errors):
    executor = Executor(on_error=errors)
    seen: dict[str, int] = {}

    def on_done(worker: int) -> None:
        seen["worker"] = worker
        seen["callback"] = threading.get_ident()

    try:
        executor.run(lambda _backend: threading.get_ident(), on_done)
        qtbot.waitUntil(lambda: "callback" in seen, timeout=5000)
    finally:
        executor.shutdown()
    assert seen["callback"] == threading.main_thread().ident
    assert seen["worker"] != threading.main_thread().ident
    assert errors.errors == []


def test_errors_from_the_worker_reach_on_error(qtbot, errors):
    executor = Executor(on_error=errors)
    try:
        executor.run(lambda _backend: 1 / 0, lambda _r: None)
        qtbot.waitUntil(lambda: bool(errors.errors), timeout=5000)
    finally:
        executor.shutdown()
    assert isinstance(errors.errors[0], ZeroDivisionError)


def test_threaded_login_keeps_the_gui_responsive(qtbot, center, errors):
    executor = Executor(on_error=errors)
    login = LoginWindow(executor, center.root)
    qtbot.addWidget(login)
    login.show()
    try:
        qtbot.keyClicks(login.username, "medico")
        qtbot.keyClicks(login.password, "sbagliata")
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
        assert login.busy.isVisible() and not login.submit.isEnabled()
        qtbot.waitUntil(login.message.isVisible, timeout=10_000)
    finally:
        executor.shutdown()
    assert login.message.text() == WrongPassword().user_message()
    assert login.username.text() == "medico" and login.submit.isEnabled()


def test_the_bug_report_can_be_copied(qtbot):
    try:
        raise ValueError("boom")
    except ValueError as exc:
        report = bug_report(exc)
    dialog = BugReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Errore imprevisto - Medirete"
    dialog.copy_button.click()
    assert "ValueError: boom" in QGuiApplication.clipboard().text()
    assert "Traceback" in report


def test_the_watchdog_notices_a_blocked_event_loop(qtbot, caplog):
    watchdog = StallWatchdog(interval_ms=20, threshold_ms=100)
    watchdog.start()
    try:
        qtbot.wait(60)
        time.sleep(0.25)  # a slot that blocks the GUI thread
        qtbot.waitUntil(lambda: bool(watchdog.stalls), timeout=2000)
    finally:
        watchdog.stop()
    assert watchdog.stalls[0] > 100
    assert "GUI thread blocked" in caplog.text
