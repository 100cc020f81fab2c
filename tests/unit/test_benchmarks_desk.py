"""The front-desk benchmarks' own logic: import-time parsing, targets, the printed table.

Nothing here times anything (benchmarks never fail the suite on time); CI runs
``python -m benchmarks.run --small``, which runs every desk measurement for real.
"""

from __future__ import annotations

from benchmarks.desk import checks
from benchmarks.desk_launch import importtime_summary, parse_importtime
from benchmarks.desk_report import desk_table

# What ``python -X importtime`` prints: children first, each level indented two spaces.
IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       100 |        100 |   shiboken6
import time:      2000 |       2100 | PySide6.QtCore
import time:       300 |        300 |     jaraco.context
import time:       200 |        500 |   keyring.core
import time:       100 |        600 | keyring
import time:      1000 |       1000 |     sqlalchemy.sql
import time:       400 |       1400 |   sqlalchemy
import time:       600 |       2000 | app.records
2026-12-04 14:00:00,000 INFO app.ui.shell: window shown: LoginWindow
import time:        10 |    12
""".splitlines()


def test_importtime_lines_are_parsed_with_their_depth():
    found = parse_importtime(IMPORTTIME)
    assert found[0] == ("shiboken6", 1, 100, 100)
    assert found[1] == ("PySide6.QtCore", 0, 2000, 2100)
    assert ("jaraco.context", 2, 300, 300) in found
    assert len(found) == 8  # the header, the log line and a line cut short are skipped


def test_importtime_summary_counts_each_package_where_it_is_entered():
    summary = importtime_summary(parse_importtime(IMPORTTIME))
    assert summary["total_ms"] == 4.7  # the top-level imports: 2100 + 600 + 2000 us
    packages = {p["package"]: p for p in summary["top_packages"]}
    # sqlalchemy is entered once from app: its cumulative time, its own modules' self time.
    assert packages["sqlalchemy"] == {"package": "sqlalchemy", "cumulative_ms": 1.4,
                                      "self_ms": 1.4}
    assert packages["keyring"]["cumulative_ms"] == 0.6  # includes jaraco, entered from it
    assert packages["jaraco"]["cumulative_ms"] == 0.3
    assert packages["shiboken6"]["cumulative_ms"] == 0.1
    assert summary["top_self"][0] == {"module": "PySide6.QtCore", "self_ms": 2.0}


def test_targets_only_for_what_was_measured():
    desk = {
        "launch": {"available": True, "warm": {"p95_ms": 1200.0}},
        "login": {"available": True, "secretary": {"p95_ms": 400.0}},
        "keystroke": {"available": True, "typed": {"p95_ms": 160.0},
                      "no_debounce": {"available": False, "reason": "no timer"}},
        "day_view": {"available": False, "reason": "ImportError: no agenda page"},
        "move": {"available": True, "p95_ms": 49.0, "confirmed": {"p95_ms": 80.0}},
    }
    found = {c.name: c.met for c in checks(desk)}
    assert found == {
        "launch to login window (warm) p95 <= 1 s": False,
        "login to main window p95 <= 0.5 s": True,
        "keystroke to results p95 <= 50 ms": False,
        "move appointment p95 <= 50 ms": True,
        "move, the record's answer painted, p95 <= 50 ms": False,
    }


def test_the_table_says_what_is_not_available():
    text = desk_table({"center": {"available": False, "reason": "RuntimeError: no slot"},
                       "launch": {"available": False, "reason": "RuntimeError: no line"},
                       "day_view": {"available": False, "reason": "ImportError: page"}})
    assert "launch" in text and "not available: RuntimeError: no line" in text
    assert "day view" in text and "not available: ImportError: page" in text
    assert "move" in text and "not available: not run" in text
