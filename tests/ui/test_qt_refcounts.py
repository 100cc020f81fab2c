"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Qt call that returns
nothing and one to True on every signal emitted from Python, until the interpreter
aborts (``Fatal Python error: bool_dealloc``): within about a thousand calls here, so a
GP's session would die within minutes. pyproject pins PySide6 below 6.12 (ADR 0010);
this test fails on a binding that leaks again."""

from __future__ import annotations

import sys

from app.ui.qt import QLabel, QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_qt_calls_and_signals_keep_none_and_true_alive(qapp):
    label, emitter = QLabel(), _Emitter()
    emitter.ping.connect(lambda _value: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(300):  # few enough not to crash a leaking binding mid-test
        label.setText("x")
        emitter.ping.emit(1)
    assert sys.getrefcount(None) - none_before > -50
    assert sys.getrefcount(True) - true_before > -50
