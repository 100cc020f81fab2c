"""A wrong-patient display cannot happen: the header and every panel name the same patient.

The issue's case first (open Maggi, type "ros": Rossi is highlighted while Maggi is
shown), then random sequences of actions, with answers from the records worker held
back and delivered late and out of order, after each of which every widget that shows
a patient shows the header's patient.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.records.services import Records
from app.records.services.views import PatientInput
from app.ui.lanes import Job, Lane, execute, lane_of
from app.ui.main_window import MainWindow
from app.ui.navigation import AGENDA, CHART, PATIENT, PATIENTS, WAITING_ROOM
from app.ui.operations import UpdateContacts
from app.ui.ops import SyncExecutor
from app.ui.patient_panels import PatientPanel
from app.ui.qt import Qt, QWidget
from tests.ui.conftest import UiCenter, build_center


class HeldExecutor(SyncExecutor):
    """Runs each operation at once, but holds the answers of reads until released, as a
    busy worker would deliver them: late, and in any order."""

    def __init__(self, on_error: Callable[[BaseException], None]) -> None:
        super().__init__(on_error)
        self.holding = False
        self.held: list[Job] = []

    def run(self, op: Any, on_done: Any, on_error: Any = None, initiator: object = None) -> None:
        self.history.append(type(op).__name__)
        job = Job(op, on_done, on_error or self.report_error, initiator)
        execute(job, self.backend)
        if self.holding and lane_of(op) is Lane.READ:
            self.held.append(job)
        else:
            self.deliver(job)

    def release(self, index: int) -> None:
        """Deliver one held answer (``index`` taken modulo the number held)."""
        if self.held:
            self.deliver(self.held.pop(index % len(self.held)))

    def release_all(self, reverse: bool = False) -> None:
        """Deliver every held answer, newest first when ``reverse``."""
        while self.held:
            self.deliver(self.held.pop(-1 if reverse else 0))


@pytest.fixture
def executor(errors):
    """The shell's executor, holding answers back when asked to."""
    held = HeldExecutor(on_error=errors)
    yield held
    held.shutdown()


@pytest.fixture(scope="module")
def maggi_center(tmp_path_factory) -> UiCenter:
    """The test center plus Maggi, the patient of the issue's report."""
    center = build_center(tmp_path_factory.mktemp("maggi") / "centro")
    records = Records.open(center.root, "segreteria", center.password)
    try:
        records.patients.register(PatientInput("Maggi", "Elena", "F", date(1958, 2, 14), "Lodi"))
    finally:
        records.close()
    return center


def _log_in(qtbot, shell, center: UiCenter, username: str) -> MainWindow:
    login = shell.show_login(center.root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, center.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    window = shell.window
    assert isinstance(window, MainWindow)
    with qtbot.waitActive(window):
        window.activateWindow()  # shortcuts go to the active window
    return window


def _type(qtbot, window: MainWindow, text: str) -> None:
    """F2, then the text as keystrokes, then the search runs (no debounce wait)."""
    qtbot.keyClick(window, Qt.Key.Key_F2)
    window.finder.search.clear()
    qtbot.keyClicks(window.finder.search, text)
    window.finder.refresh()


def shown_patient(widget: QWidget) -> str | None:
    """Whom a widget shows: its ``patient_id``, or the id of its patient context."""
    if hasattr(widget, "patient_id"):
        return widget.patient_id
    patient = widget.patient  # a page given the context (set_patient_context)
    return patient.id if patient is not None else None


def patient_widgets(window: MainWindow) -> list[QWidget]:
    """Every widget that shows a patient, or acts for one (the agenda books for them)."""
    return [w for w in window.findChildren(QWidget)
            if w is not window.header and (hasattr(w, "patient_id")
                                           or hasattr(w, "set_patient_context"))]


def assert_one_patient(window: MainWindow) -> None:
    """The safety invariant: the header's patient is the patient of every panel."""
    context = window.context
    expected = context.patient_id if context is not None else None
    assert window.header.patient_id == expected
    widgets = patient_widgets(window)
    assert len(widgets) >= 3  # demographics, appointments, agenda, waiting room (+ chart)
    for widget in widgets:
        assert shown_patient(widget) == expected, widget.objectName()
    if context is None:
        assert not window.header.close_button.isVisible() or not window.isVisible()
        return
    # Not only the ids: the words on screen name the same person.
    summary = context.summary
    assert summary.codice_fiscale in window.header.text()
    assert summary.surname.upper() in window.header.name.text()
    assert summary.codice_fiscale in window.patient_page.demographics.toPlainText()
    if window.current_page == PATIENTS:  # the finder never sits beside a patient's page
        assert not [w for w in window.findChildren(PatientPanel) if w.isVisible()]


def test_the_issue_case_open_maggi_then_type_ros(qtbot, shell, maggi_center, executor, errors):
    window = _log_in(qtbot, shell, maggi_center, "segreteria")
    _type(qtbot, window, "maggi")
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)
    assert window.current_page == PATIENT
    assert window.header.name.text() == "MAGGI Elena"
    maggi = window.context.patient_id

    _type(qtbot, window, "ros")  # Rossi is highlighted in the finder...
    finder = window.finder
    assert finder.model.patient(finder.table.currentIndex().row()).surname == "Rossi"
    assert window.current_page == PATIENTS
    # ...and no page of Maggi is beside it; the header names Maggi, the open patient,
    # and every panel (hidden behind the finder) is Maggi's.
    assert window.header.patient_id == maggi
    assert_one_patient(window)

    executor.holding = True  # now the answer to "open Rossi" is slow
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    assert window.context.patient_id == maggi and window.current_page == PATIENTS
    assert_one_patient(window)
    executor.release_all()
    assert window.header.name.text().startswith("ROSSI ")
    assert window.current_page == PATIENT
    assert_one_patient(window)
    assert errors.errors == []


def test_a_late_answer_for_the_previous_patient_is_dropped(qtbot, shell, maggi_center,
                                                            executor, errors):
    window = _log_in(qtbot, shell, maggi_center, "medico")
    executor.holding = True
    _type(qtbot, window, "maggi")
    executor.release_all()
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)  # Maggi asked for...
    _type(qtbot, window, "verdi")
    executor.release(-1)  # (the search's answer)
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)  # ...then Verdi
    executor.release_all(reverse=True)  # Verdi answers first, Maggi last
    assert window.header.name.text() == "VERDI Paolo"
    assert window.chart_page is not None
    assert window.chart_page.patient_id == window.header.patient_id
    assert_one_patient(window)
    assert errors.errors == []


# -- random sequences -----------------------------------------------------------------------
TEXTS = ("ros", "rossi m", "r", "bia", "verdi", "maggi", "ru", "", "zzz")
PAGES = (AGENDA, WAITING_ROOM, PATIENTS, PATIENT, CHART)

actions = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(TEXTS)),
    st.tuples(st.just("key"), st.sampled_from(("down", "up", "pagedown"))),
    st.tuples(st.just("open"), st.none()),
    st.tuples(st.just("agenda_asks"), st.integers(0, 6)),
    st.tuples(st.just("page"), st.sampled_from(PAGES)),
    st.tuples(st.just("back"), st.none()),
    st.tuples(st.just("close"), st.none()),
    st.tuples(st.just("release"), st.integers(-5, 5)),
    st.tuples(st.just("release_all"), st.booleans()),
    st.tuples(st.just("hold"), st.booleans()),
    st.tuples(st.just("write"), st.integers(0, 6)),
)
KEYS = {"down": Qt.Key.Key_Down, "up": Qt.Key.Key_Up, "pagedown": Qt.Key.Key_PageDown}


def _patient_ids(center: UiCenter) -> list[str]:
    records = Records.open(center.root, "segreteria", center.password)
    try:
        return [p.id for p in records.patients.search("", 50)] or [
            p.id for text in ("r", "b", "v", "m") for p in records.patients.search(text, 50)]
    finally:
        records.close()


def _type_text(window: MainWindow, text: str) -> None:
    window.show_page(PATIENTS)
    window.finder.search.setText(text)
    window.finder.refresh()


def _open_highlighted(window: MainWindow) -> None:
    if window.current_page == PATIENTS:
        window.finder.open_current()


def _act(qtbot, window: MainWindow, executor: HeldExecutor, ids: list[str],
         action: tuple[str, Any]) -> None:
    name, arg = action
    steps: dict[str, Callable[[], object]] = {
        "type": lambda: _type_text(window, arg),
        "key": lambda: qtbot.keyClick(window.finder.search, KEYS.get(arg, Qt.Key.Key_Down)),
        "open": lambda: _open_highlighted(window),
        # the agenda or the waiting room names a patient
        "agenda_asks": lambda: window.agenda.patient_requested.emit(ids[arg % len(ids)]),
        "page": lambda: window.show_page(arg),
        "back": window.back,
        "close": window.close_patient,
        "release": lambda: executor.release(arg),
        "release_all": lambda: executor.release_all(reverse=arg),
        "hold": lambda: setattr(executor, "holding", arg),
        # another screen changes a patient: the window re-reads
        "write": lambda: executor.run(
            UpdateContacts(ids[arg % len(ids)], (("email", f"x{arg}@example.it"),)),
            lambda _none: None),
    }
    steps[name]()


@pytest.mark.parametrize("username", ["segreteria", "medico"])
def test_random_actions_never_show_two_patients(qtbot, shell, maggi_center, executor, errors,
                                                username):
    window = _log_in(qtbot, shell, maggi_center, username)
    ids = _patient_ids(maggi_center)
    assert len(ids) >= 7

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.lists(actions, min_size=1, max_size=25))
    def run(sequence: list[tuple[str, Any]]) -> None:
        for action in sequence:
            _act(qtbot, window, executor, ids, action)
            assert_one_patient(window)
        executor.holding = False
        executor.release_all(reverse=True)
        assert_one_patient(window)
        # Every answer is in: the window shows the patient asked for last, not an older one.
        if window.requested_id is not None:
            assert window.context is not None
            assert window.context.patient_id == window.requested_id

    run()
    assert errors.errors == []
