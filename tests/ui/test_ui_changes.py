"""Lanes and the ``changed`` signal: a write in one screen refreshes another; reads and
writes do not wait for each other; both executors treat failures alike."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from app.records.changes import Changes
from app.records.services.views import PatientInput
from app.ui.contacts_dialog import ContactsDialog
from app.ui.lanes import Backend, Lane
from app.ui.main_window import MainWindow
from app.ui.operations import Login, OpenChartSummary, ReadDemographics, UpdateContacts
from app.ui.ops import Executor, SyncExecutor
from app.ui.qt import Qt
from app.ui.shell_ops import OpenPatient

WAIT_S = 10.0
WAIT_MS = int(WAIT_S * 2000)


def _open(qtbot, window: MainWindow, text: str) -> None:
    window.find_patient()
    search = window.finder.search
    search.clear()
    qtbot.keyClicks(search, text)
    qtbot.waitUntil(lambda: window.finder.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(search, Qt.Key.Key_Return)


def test_a_write_in_the_contacts_dialog_refreshes_the_patient_page(qtbot, logged_in, executor):
    window = logged_in("segreteria")
    _open(qtbot, window, "bianchi giulia")
    panel = window.patient_page.demographics
    assert panel.kind == "demographics" and "02 555 0101" not in panel.toPlainText()
    seen: list[tuple[Changes, object]] = []
    executor.changed.connect(lambda changes, initiator: seen.append((changes, initiator)))

    # Another screen edits the patient (whichever form F6 opens, this one writes).
    details = []
    executor.run(ReadDemographics(window.context.patient_id), details.append)
    dialog = ContactsDialog(executor, details[0], window)
    dialog.open()
    dialog.fields["phone"].setText("02 555 0101")
    dialog.save()

    assert not dialog.isVisible()
    assert len(seen) == 1
    changes, initiator = seen[0]
    assert initiator is dialog
    assert "patient" in changes.kinds and changes.patients == {window.context.patient_id}
    # The page was not asked to refresh by the dialog: it heard ``changed`` and re-read.
    assert "02 555 0101" in panel.toPlainText()


def test_a_write_from_elsewhere_refreshes_the_open_chart(qtbot, logged_in, executor, center):
    window = logged_in("medico")
    _open(qtbot, window, "verdi paolo")
    summary = window.patient_page.summary
    assert "Broncopneumopatia" not in summary.toPlainText()
    patient_id = window.context.patient_id

    def add_problem(backend: Backend) -> None:  # a device or a peer would write like this
        backend.require().clinical.add_problem(patient_id, "496", "Broncopneumopatia cronica")

    executor.run(add_problem, lambda _none: None)
    assert "Broncopneumopatia cronica" in summary.toPlainText()


def test_an_answer_for_another_patient_is_never_shown(qtbot, logged_in, executor):
    window = logged_in("medico")
    _open(qtbot, window, "rossi mario")
    summary = window.patient_page.summary
    mario_page = summary.toPlainText()
    results = []
    executor.run(OpenPatient(window.context.patient_id, clinical=True), results.append)
    ticket = window.requests.ticket
    _open(qtbot, window, "russo luca")  # the user moved on to Russo
    luca_page = summary.toPlainText()
    assert window.context.summary.surname == "Russo"
    window.requests.deliver(ticket, results[0])  # Rossi's answer arrives late
    window.requests.deliver(window.requests.ticket, results[0])  # even as the newest
    assert summary.toPlainText() == luca_page != mario_page
    assert window.context.summary.surname == "Russo"
    assert window.header.patient_id == window.context.patient_id


def _op(lane: Lane, body):
    class Op:
        def __call__(self, backend: Backend):
            return body(backend)

    Op.lane = lane
    return Op()


def test_a_chart_read_and_a_write_finish_without_waiting_for_each_other(qtbot, center, errors):
    """Each op waits (bounded) for the other lane to finish first: one lane would deadlock."""
    executor = Executor(on_error=errors)
    steps: list[str] = []  # appended by the workers, in the order things happened
    read_done = threading.Event()
    write_done = threading.Event()
    delivered: list[object] = []
    try:
        executor.run(Login(center.root, "medico", center.password), lambda _s: None)

        def write_holding_the_lock(backend: Backend) -> None:
            records = backend.require()
            with records.db.write_engine.begin() as conn:  # the write lock, held
                conn.exec_driver_sql("UPDATE meta SET value = value WHERE key = 'center_name'")
                steps.append("write holds the lock")
                steps.append(f"read finished meanwhile: {read_done.wait(WAIT_S)}")

        def read_the_chart(backend: Backend) -> None:
            summary = OpenChartSummary(center.mario_id)(backend)
            steps.append(f"chart read: {len(summary.problems)} problem")
            read_done.set()

        executor.run(_op(Lane.WRITE, write_holding_the_lock), delivered.append)
        executor.run(_op(Lane.READ, read_the_chart), delivered.append)
        qtbot.waitUntil(lambda: len(delivered) + len(errors.errors) >= 2, timeout=WAIT_MS)

        def read_holding_a_snapshot(backend: Backend) -> None:
            with backend.require().db.read_engine.connect() as conn, conn.begin():
                conn.exec_driver_sql("SELECT count(*) FROM patient").all()
                steps.append("read holds a snapshot")
                steps.append(f"write committed meanwhile: {write_done.wait(WAIT_S)}")

        def register(backend: Backend) -> None:
            backend.require().patients.register(
                PatientInput("Lanza", "Irene", "F", date(1980, 8, 8), "Como"))
            steps.append("registered")
            write_done.set()

        executor.run(_op(Lane.READ, read_holding_a_snapshot), delivered.append)
        executor.run(_op(Lane.WRITE, register), delivered.append)
        qtbot.waitUntil(lambda: len(delivered) + len(errors.errors) >= 4, timeout=WAIT_MS)
    finally:
        executor.shutdown()
    assert errors.errors == []
    assert steps[0] == "write holds the lock"
    assert steps[1:3] == ["chart read: 1 problem", "read finished meanwhile: True"]
    assert set(steps[3:5]) == {"read holds a snapshot", "registered"}
    assert steps[5] == "write committed meanwhile: True"


@pytest.mark.parametrize("threaded", [False, True])
def test_both_executors_deliver_any_failure_to_on_error(qtbot, errors, threaded):
    executor = Executor(on_error=errors) if threaded else SyncExecutor(on_error=errors)

    def leave(_backend: Backend) -> None:
        raise SystemExit(2)

    try:
        executor.run(leave, lambda _r: None)
        qtbot.waitUntil(lambda: bool(errors.errors), timeout=5000)
    finally:
        executor.shutdown()
    assert isinstance(errors.errors[0], SystemExit)


def test_update_contacts_refuses_the_admin(qtbot, executor, errors, center):
    executor.run(Login(center.root, "admin", center.password), lambda _s: None)
    executor.run(UpdateContacts(center.mario_id, (("phone", "1"),)), lambda _r: None)
    assert type(errors.errors[-1]).__name__ == "AccessDenied"
