"""The front desk's benchmarks (issue 7): launch, login, search as typed, the agenda.

Run by ``python -m benchmarks.run`` on its benchmark center once the record benchmarks
are done (the desk's staff, timetables and a booked day are added to that center):

| figure | what is timed | target |
|---|---|---|
| launch | spawn of ``python -m app.ui.main --center DIR`` to its log line | 1.0 s |
|        | ``window shown: LoginWindow`` (benchmarks/desk_launch.py) | |
| login | login button to ``window shown: MainWindow`` (real scrypt cost) | 0.5 s |
| keystroke | one letter typed in the search field to a changed results model | 50 ms |
| day view | ``AgendaPage.show_day`` of 24 booked columns to the day view painted | 150 ms |
| move | Ctrl+Down on an appointment to the day view repainted with it moved | 50 ms |
|      | (and to the record's answer painted: the write, the day read again) | |

A figure whose code is missing (or broken) is reported ``available: false`` with the
reason, never a failure of the run: benchmarks report numbers.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.desk_center import SECRETARY, SECRETARY_CHEAP, DeskCenter, build_desk_center
from benchmarks.report import Check

LAUNCH_MS, LOGIN_MS, KEYSTROKE_MS, DAY_VIEW_MS, MOVE_MS = 1000.0, 500.0, 50.0, 150.0, 50.0
SMALL = {"launch": 5, "phases": 3, "login": 3, "login_cheap": 3, "keystroke": 15,
         "day_view": 10, "move": 10}
FULL = {"launch": 10, "phases": 5, "login": 10, "login_cheap": 10, "keystroke": 50,
        "day_view": 30, "move": 30}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _measured(name: str, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one measurement; a missing or broken piece becomes ``available: false``."""
    _say(f"desk: {name}")
    start = time.perf_counter()
    try:
        found = measure()
    except Exception as exc:  # noqa: BLE001 - reported in the results, never fatal
        _say("".join(traceback.format_exception(exc)).rstrip())
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}"[:300]}
    return {"available": True, **found, "seconds": round(time.perf_counter() - start, 1)}


def desk_benchmarks(root: Path, small: bool) -> dict[str, Any]:
    """Every desk figure on the center at ``root`` (built by benchmarks.build)."""
    runs = SMALL if small else FULL
    from benchmarks.desk_launch import launch_breakdown, launch_series

    load_before = os.getloadavg()[0]
    result: dict[str, Any] = {
        "repetitions": runs,
        "launch": _measured("launch to login window", lambda: {
            **launch_series(root, runs["launch"]),
            "breakdown": launch_breakdown(root, runs["phases"])}),
    }
    built: list[DeskCenter] = []

    def build() -> dict[str, Any]:
        center = build_desk_center(root)
        built.append(center)
        return {"day": center.day.isoformat(), "clinicians": center.clinicians,
                "appointments": center.appointments,
                "build_seconds": {k: round(v, 2) for k, v in center.seconds.items()}}

    result["center"] = _measured("20 GPs + 4 nurses, timetables, a booked day", build)
    if built:
        result |= _in_process(built[0], runs)
    else:
        for name in ("login", "keystroke", "day_view", "move"):
            result[name] = {"available": False, "reason": "the desk center was not built"}
    # Other work on the machine shows up in every figure here (nothing is interleaved).
    result["load_average_1m"] = {"before": round(load_before, 2),
                                 "after": round(os.getloadavg()[0], 2)}
    return result


def _in_process(center: DeskCenter, runs: dict[str, int]) -> dict[str, Any]:
    """Login, keystroke and agenda, in one application with the real executor and shell."""
    from benchmarks.desk_qt import Waiter, WindowLog, application, tap_executor

    app = application()
    waiter = Waiter()
    executor = tap_executor(waiter)
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="medirete-desk-settings-") as tmp, \
            WindowLog(waiter) as windows:
        try:
            sessions: list[Any] = []
            result["login"] = _measured("login to main window", lambda: _logins(
                sessions, _desk_session(app, waiter, executor, windows, center.root,
                                        Path(tmp)), runs))
            if sessions:
                result |= _front_desk(sessions[0], center, runs)
            else:
                result |= {name: {"available": False, "reason": "no session (login failed)"}
                           for name in ("keystroke", "day_view", "move")}
        finally:  # as the program ends: its windows closed, then the executor
            for widget in app.topLevelWidgets():
                widget.close()
                widget.deleteLater()
            app.processEvents()
            executor.shutdown()
            app.processEvents()
    return result


def _desk_session(app: Any, waiter: Any, executor: Any, windows: Any, root: Path,
                  settings_dir: Path) -> Any:
    from app.ui.qt import QSettings
    from app.ui.shell import Shell
    from benchmarks.desk_window import DeskSession

    # Whatever the windows remember (splitters, columns, last center) goes to a temp dir,
    # never to the settings of the person running the benchmark.
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(settings_dir))
    settings = QSettings(str(settings_dir / "shell.ini"), QSettings.Format.IniFormat)
    return DeskSession(app, waiter, executor, Shell(executor, settings), windows, root)


def _logins(sessions: list[Any], desk: Any, runs: dict[str, int]) -> dict[str, Any]:
    """The three logins; ``sessions`` gets the desk, logged in as the secretary, at the end."""
    from app.records.storage.keys import DEFAULT_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N
    from benchmarks.desk_window import login_series

    real = login_series(desk, SECRETARY, runs["login"], DEFAULT_SCRYPT_LOG_N)
    gp = login_series(desk, "medico", runs["login_cheap"])
    cheap = login_series(desk, SECRETARY_CHEAP, runs["login_cheap"], MIN_SCRYPT_LOG_N)
    sessions.append(desk)  # logged in as the secretary: the front desk's session
    return {"secretary": real, "secretary_log_n_14": cheap,
            "gp_log_n_14": {**gp, "scrypt_log_n": MIN_SCRYPT_LOG_N}}


def _front_desk(desk: Any, center: DeskCenter, runs: dict[str, int]) -> dict[str, Any]:
    from benchmarks.desk_agenda import agenda_page, day_view_series, move_series
    from benchmarks.desk_qt import PaintProbe
    from benchmarks.desk_window import keystroke_series

    result = {"keystroke": _measured("keystroke to results",
                                     lambda: keystroke_series(desk, runs["keystroke"]))}
    pages: list[tuple[Any, PaintProbe]] = []

    def day_view() -> dict[str, Any]:
        page, where = agenda_page(desk)
        probe = PaintProbe(page.day_view, desk.waiter)
        pages.append((page, probe))
        return {"page": where, **day_view_series(desk, center, page, probe, runs["day_view"])}

    result["day_view"] = _measured("agenda day view", day_view)
    if pages:
        result["move"] = _measured("move an appointment", lambda: move_series(
            desk, center, *pages[0], runs["move"]))
    else:
        result["move"] = {"available": False, "reason": "no agenda page"}
    return result


def checks(desk: dict[str, Any]) -> list[Check]:
    """The issue's targets, for the figures that could be measured (p95 each)."""

    def p95(*path: str) -> float | None:
        node: Any = desk
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return float(node) if isinstance(node, int | float) else None

    wanted = [
        ("launch to login window (warm) p95 <= 1 s", ("launch", "warm", "p95_ms"), LAUNCH_MS),
        ("login to main window p95 <= 0.5 s", ("login", "secretary", "p95_ms"), LOGIN_MS),
        ("keystroke to results p95 <= 50 ms", ("keystroke", "typed", "p95_ms"), KEYSTROKE_MS),
        ("keystroke, no debounce, p95 <= 50 ms", ("keystroke", "no_debounce", "p95_ms"),
         KEYSTROKE_MS),
        ("agenda day view p95 <= 150 ms", ("day_view", "p95_ms"), DAY_VIEW_MS),
        ("move appointment p95 <= 50 ms", ("move", "p95_ms"), MOVE_MS),
        ("move, the record's answer painted, p95 <= 50 ms", ("move", "confirmed", "p95_ms"),
         MOVE_MS),
    ]
    return [Check(name, value, limit) for name, path, limit in wanted
            if (value := p95(*path)) is not None]
