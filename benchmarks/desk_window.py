"""Login to main window, and keystroke to search results, in the real windows.

Both run in this process with the real threaded executor and the real ``Shell``:
- **login**: the login window's fields filled, its button clicked (the ``Login``
  operation: scrypt, SQLCipher open, the session), until the program logs
  ``window shown: MainWindow`` (and, when the window opens on the agenda, until its
  day is painted: a part of the figure). scrypt is also timed alone with the same
  parameters right after each login, so its share of a login is known;
- **keystroke**: in the main window's search field (objectName ``patientSearch``, F2
  brings it forward) a prefix is set, then one more letter typed with ``QTest``, until
  the results model changes (modelReset, layoutChanged or rows inserted/removed). Three
  figures: end to end as the desk types; the same with the search debounce timer set to
  0 ms (the window's own path without the wait); and the search operation the window ran,
  run again alone through the executor (queue, reader thread, callback).
"""

from __future__ import annotations

import importlib
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.build import PASSWORD, SEED
from benchmarks.desk_qt import PaintProbe, Waiter, WindowLog, median_parts, series_of

SEARCH_FIELD = "patientSearch"
RESULT_VIEWS = ("patientTable", "patientResults", "searchResults")
DEBOUNCE_MODULES = ("app.ui.patients_page", "app.ui.main_window")
CHANGE_SIGNALS = ("modelReset", "layoutChanged", "rowsInserted", "rowsRemoved")


def scrypt_once_ms(log_n: int) -> float:
    """scrypt alone (the key-unwrapping step of a login) with the program's r and p."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    start = time.perf_counter_ns()
    Scrypt(salt=os.urandom(16), length=32, n=1 << log_n, r=8, p=1).derive(b"bench-password")
    return (time.perf_counter_ns() - start) / 1e6


class DeskSession:
    """The application, the executor, the shell and the log of windows shown."""

    def __init__(self, app: Any, waiter: Waiter, executor: Any, shell: Any,
                 windows: WindowLog, root: Path) -> None:
        self.app, self.waiter, self.executor = app, waiter, executor
        self.shell, self.windows, self.root = shell, windows, root

    def login_window(self) -> Any:
        """The shell's login window on the center (shown, laid out)."""
        login = self.shell.show_login(self.root)
        self.app.processEvents()
        return login

    def log_in(self, username: str) -> tuple[float, dict[str, float]]:
        """Fill the login, click it; ms until the main window is shown, and the parts.

        The parts: the ``Login`` operation from the click to its callback (scrypt, the
        record opened), then the callback until the main window is shown (built).
        """
        login = self.login_window()
        login.username.setText(username)
        login.password.setText(PASSWORD)
        start = time.perf_counter_ns()
        login.submit.click()
        self.waiter.until(lambda: self.windows.shown_since("MainWindow", start) is not None,
                          f"login as {username}")
        shown = self.windows.shown_since("MainWindow", start)
        assert shown is not None
        parts = {}
        login = next(iter(self.executor.after("Login", start)), None)
        if login is not None:
            parts = {"Login operation": (login.started_ns - start) / 1e6,
                     "main window built and shown": (shown - login.started_ns) / 1e6}
        painted = self._agenda_painted()
        if painted is not None:
            parts["then its agenda painted"] = (painted - shown) / 1e6
        self.app.processEvents()  # whatever the window still does, before the next step
        return (shown - start) / 1e6, parts

    def _agenda_painted(self) -> int | None:
        """When the main window opens on the agenda: the end of its first paint of the day."""
        try:
            from app.ui.agenda.page import AgendaPage
        except ImportError:
            return None  # no agenda yet: the login figure stands without this part
        page = self.main_window().findChild(AgendaPage)
        if page is None or not page.isVisible():
            return None
        probe = PaintProbe(page.day_view, self.waiter)
        self.waiter.until(lambda: probe.first_since(0, page.day, booked=False) is not None,
                          "the agenda of the main window painted")
        paint = probe.first_since(0, page.day, booked=False)
        assert paint is not None
        return paint.ended_ns

    def main_window(self) -> Any:
        """The main window on screen now."""
        window = getattr(self.shell, "window", None)
        if window is None or type(window).__name__ != "MainWindow":
            raise RuntimeError(f"no main window on screen (the shell shows {window!r})")
        return window


def login_series(desk: DeskSession, username: str, runs: int,
                 log_n: int | None = None) -> dict[str, Any]:
    """``runs`` logins as ``username``, each from a fresh login window.

    With ``log_n``, scrypt at that cost is timed alone right after each login, so both
    see the same load on the machine and its share of a login is fair.
    """
    logins, parts, scrypts = [], [], []
    for _ in range(runs):
        ms, where = desk.log_in(username)
        logins.append(ms)
        parts.append(where)
        if log_n is not None:
            scrypts.append(scrypt_once_ms(log_n))
    result: dict[str, Any] = {**series_of(logins), "parts_p50_ms": median_parts(parts)}
    if log_n is not None:
        result["scrypt_log_n"] = log_n
        result["scrypt_alone"] = series_of(scrypts)
        result["scrypt_share_p50"] = round(statistics.median(scrypts)
                                           / statistics.median(logins), 3)
    return result


def _debounce_ms() -> int | None:
    for name in DEBOUNCE_MODULES:
        try:
            value = getattr(importlib.import_module(name), "SEARCH_DEBOUNCE_MS", None)
        except ImportError:
            continue
        if isinstance(value, int):
            return value
    return None


def _results_model(window: Any) -> Any:
    from app.ui.qt import QAbstractItemView

    views = window.findChildren(QAbstractItemView)
    for name in RESULT_VIEWS:
        for view in views:
            if view.objectName() == name:
                return view.model()
    for view in views:  # the patient list's model knows patients
        if hasattr(view.model(), "set_patients"):
            return view.model()
    raise RuntimeError("no patient results view in the main window")


def search_texts(desk: DeskSession, count: int) -> list[tuple[str, str]]:
    """(prefix, next letter) pairs from real surnames: 2-3 letters, then one more."""
    records = desk.executor.backend.require()
    with records.db.read_engine.connect() as conn:
        surnames = [str(r[0]) for r in conn.exec_driver_sql(
            "SELECT DISTINCT surname FROM patient ORDER BY surname")]
    rng = random.Random(SEED)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        surname = rng.choice(surnames)
        cut = rng.randint(2, 3)
        if len(surname) > cut and surname[cut].isalpha():
            pairs.append((surname[:cut], surname[cut].lower()))
    return pairs


def _bring_search_forward(desk: DeskSession, window: Any, field: Any) -> None:
    """F2, as the desk does, when the window opened on another page (the agenda)."""
    from PySide6.QtTest import QTest  # TODO(lead): qt.py

    from app.ui.qt import Qt

    if field.isVisible():
        return
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F2)
    desk.app.processEvents()
    if not field.isVisible():
        raise RuntimeError("F2 did not bring the patient search forward")


class _SearchProbe:
    """The search field, its results model (changes counted) and the debounce timer."""

    def __init__(self, desk: DeskSession) -> None:
        from app.ui.qt import QLineEdit, QTimer

        window = desk.main_window()
        self.desk = desk
        self.field = window.findChild(QLineEdit, SEARCH_FIELD)
        if self.field is None:
            raise RuntimeError(f"no search field named {SEARCH_FIELD!r} in the main window")
        _bring_search_forward(desk, window, self.field)
        self.model = _results_model(window)
        self.changes: list[int] = []
        for name in CHANGE_SIGNALS:
            getattr(self.model, name).connect(self._changed)
        self.debounce_ms = _debounce_ms()
        self.timer = next((t for t in window.findChildren(QTimer)
                           if t.isSingleShot() and t.interval() == self.debounce_ms), None)

    def _changed(self, *_args: Any) -> None:
        self.changes.append(time.perf_counter_ns())
        self.desk.waiter.poke()

    def changed_since(self, since_ns: int) -> int | None:
        return next((t for t in self.changes if t >= since_ns), None)

    def set_text(self, text: str) -> None:
        """Put ``text`` in the field (without the debounce when it can) and wait for results."""
        if self.timer is not None:
            self.timer.setInterval(0)
        start = time.perf_counter_ns()
        self.field.setText(text)
        self.desk.waiter.until(lambda: self.changed_since(start) is not None, "search results")
        if self.timer is not None and self.debounce_ms is not None:
            self.timer.setInterval(self.debounce_ms)

    def type_key(self, key: str, debounce: bool = True) -> float:
        """One keystroke; ms until the results model changed."""
        from PySide6.QtTest import QTest  # TODO(lead): qt.py

        if not debounce and self.timer is not None:
            self.timer.setInterval(0)
        start = time.perf_counter_ns()
        QTest.keyClicks(self.field, key)  # one letter: one key press and release
        self.desk.waiter.until(lambda: self.changed_since(start) is not None, "search results")
        changed = self.changed_since(start)
        assert changed is not None
        if self.timer is not None and self.debounce_ms is not None:
            self.timer.setInterval(self.debounce_ms)
        return (changed - start) / 1e6

    def last_search_op(self) -> Any:
        """The operation the window ran for its last search."""
        for delivery in reversed(self.desk.executor.deliveries):
            if delivery.operation is not None and "Search" in delivery.op:
                return delivery.operation
        raise RuntimeError("the window ran no search operation")

    def run_op(self, op: Any) -> float:
        """The operation alone through the executor: ms from run to its callback."""
        done: list[int] = []
        start = time.perf_counter_ns()
        self.desk.executor.run(op, lambda _r: done.append(time.perf_counter_ns()))
        self.desk.waiter.until(lambda: bool(done), "search operation")
        return (done[0] - start) / 1e6


def keystroke_series(desk: DeskSession, runs: int) -> dict[str, Any]:
    """Keystroke to results: as typed, without the debounce, and the operation alone."""
    probe = _SearchProbe(desk)
    typed: list[float] = []
    undebounced: list[float] = []
    operation: list[float] = []
    for prefix, key in search_texts(desk, runs + 2):
        probe.set_text(prefix)
        typed.append(probe.type_key(key))
        op = probe.last_search_op()
        if probe.timer is not None:
            probe.set_text(prefix)
            undebounced.append(probe.type_key(key, debounce=False))
        operation.append(probe.run_op(op))
    warm = slice(2, None)  # the first two (first search, cold caches) are not counted
    result: dict[str, Any] = {
        "debounce_ms": probe.debounce_ms,
        "typed": series_of(typed[warm]),
        "operation": series_of(operation[warm]),
        "rows": probe.model.rowCount(),
    }
    result["no_debounce"] = (series_of(undebounced[warm]) if undebounced else
                             {"available": False,
                              "reason": "the debounce timer was not found in the window"})
    return result
