"""The waiting room: the desk checks patients in, a GP calls the next one in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.records.agenda_time import local_today
from app.ui.agenda_ops import LoadWaitingRoom
from app.ui.qt import Qt
from app.ui.waiting_room import REFRESH_MS, TICK_MS, WaitingRoomPage
from tests.ui.test_ui_agenda import (
    book,
    build_agenda_center,
    log_in,
    open_page,
)


@pytest.fixture(scope="module")
def agenda_template(tmp_path_factory):
    """The center with timetables, built once for this module (each test copies it)."""
    return build_agenda_center(tmp_path_factory.mktemp("agenda") / "centro")


@pytest.fixture
def today_booked(executor, agenda_template, tmp_path):
    """Today's bookings, made by the desk; returns a function logging a user in."""
    log_in(executor, agenda_template, tmp_path, "segreteria")
    today = local_today()
    ids = {
        "anna": book(executor, agenda_template, "medico", "Rossi Anna", today, "09:00"),
        "paolo": book(executor, agenda_template, "medico", "Verdi Paolo", today, "08:45"),
        "luca": book(executor, agenda_template, "bruni", "Russo Luca", today, "09:00", 20),
        "giulia": book(executor, agenda_template, "ferri", "Bianchi Giulia", today, "15:00"),
    }
    return ids


def _page(qtbot, executor, session) -> WaitingRoomPage:
    page = WaitingRoomPage(executor, session)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    return page


def _expected(page: WaitingRoomPage) -> list[str]:
    return [page.expected.topLevelItem(n).text(1) for n in range(page.expected.topLevelItemCount())]


def _waiting(page: WaitingRoomPage) -> list[list[str]]:
    """Each clinician's group: its title, then its patients."""
    groups = []
    for n in range(page.waiting.topLevelItemCount()):
        group = page.waiting.topLevelItem(n)
        groups.append([group.text(0)] + [group.child(c).text(0) for c in range(group.childCount())])
    return groups


def _select_expected(page: WaitingRoomPage, name: str) -> None:
    for n in range(page.expected.topLevelItemCount()):
        item = page.expected.topLevelItem(n)
        if item.text(1) == name:
            page.expected.setCurrentItem(item)
            return
    raise AssertionError(f"{name} is not expected")


def test_the_desk_checks_patients_in_and_sees_them_in_arrival_order(
        qtbot, executor, errors, agenda_template, tmp_path, today_booked):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    page = _page(qtbot, executor, session)
    assert not page.call_next.isVisible()  # calling in is the clinician's act
    assert [a.text() for a in page.menu_actions] == ["Aggiorna"]
    assert _expected(page) == ["Verdi Paolo", "Rossi Anna", "Russo Luca", "Bianchi Giulia"]
    assert page.expected_title.text() == "Ancora attesi oggi: 4"
    assert not page.check_in.isEnabled()
    messages: list[str] = []
    page.status_message.connect(messages.append)
    for name in ("Rossi Anna", "Russo Luca", "Verdi Paolo"):  # Anna comes first, then...
        _select_expected(page, name)
        qtbot.keyClick(page.expected, Qt.Key.Key_Return)
    assert messages[0] == "Rossi Anna è arrivato"
    assert _expected(page) == ["Bianchi Giulia"]
    assert _waiting(page) == [
        ["Dott. Marco Bruni - 1 in attesa", "Russo Luca"],
        ["Dott.ssa Laura Neri - 2 in attesa", "Rossi Anna", "Verdi Paolo"],
    ]
    assert page.waiting_title.text() == "In sala d'attesa: 3"
    anna = page.waiting.topLevelItem(1).child(0)
    assert (anna.text(2), anna.text(4), anna.text(5)) == ("09:00", "0 min", "In attesa")
    _select_expected(page, "Bianchi Giulia")
    qtbot.mouseClick(page.no_show, Qt.MouseButton.LeftButton)
    assert _expected(page) == []
    statuses = {a.patient_name: a.status
                for a in executor.backend.require().agenda.day(local_today())}
    assert statuses == {"Rossi Anna": "arrived", "Verdi Paolo": "arrived",
                        "Russo Luca": "arrived", "Bianchi Giulia": "no-show"}
    assert not errors.errors


def test_a_gp_calls_the_next_patient_of_their_own_list(qtbot, executor, errors, agenda_template,
                                                       tmp_path, today_booked):
    agenda = executor.backend.require().agenda
    for key in ("luca", "paolo", "anna"):  # Luca (Bruni's) first, then Paolo, then Anna
        agenda.check_in(today_booked[key])
    executor.shutdown()
    session = log_in(executor, agenda_template, tmp_path, "medico")
    page = _page(qtbot, executor, session)
    # Her own list first, then her colleagues'.
    assert [g[0] for g in _waiting(page)] == ["Dott.ssa Laura Neri - 2 in attesa",
                                              "Dott. Marco Bruni - 1 in attesa"]
    assert page.call_next.isVisible() and page.call_next.isEnabled()
    assert [(a.text(), a.shortcut().toString()) for a in page.menu_actions] == [
        ("Chiama il prossimo", "F12"), ("Aggiorna", "F5")]
    with qtbot.waitSignal(page.patient_requested) as asked:
        qtbot.mouseClick(page.call_next, Qt.MouseButton.LeftButton)
    assert asked.args == [agenda_template.patients["Verdi Paolo"]]  # the first to arrive
    paolo = page.waiting.topLevelItem(0).child(0)
    assert paolo.text(0) == "Verdi Paolo" and paolo.text(5).startswith("In visita dalle ")
    assert _waiting(page)[0][0] == "Dott.ssa Laura Neri - 1 in attesa"
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.waiting.setFocus()
    with qtbot.waitSignal(page.patient_requested) as asked:
        qtbot.keyClick(page.waiting, Qt.Key.Key_F12)
    assert asked.args == [agenda_template.patients["Rossi Anna"]]
    messages: list[str] = []
    page.status_message.connect(messages.append)
    page.call_next_patient()  # nobody left: Luca waits for Dr Bruni, not for her
    assert messages == ["Nessun paziente in attesa per te"]
    assert agenda.day(local_today(), agenda_template.clinicians["bruni"])[0].status == "arrived"
    assert not errors.errors


def test_waiting_times_tick_without_reading_the_record(qtbot, executor, agenda_template,
                                                      tmp_path, today_booked):
    agenda = executor.backend.require().agenda
    agenda.check_in(today_booked["anna"])
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    page = _page(qtbot, executor, session)
    arrived = agenda.day(local_today(), agenda_template.clinicians["medico"])[1].arrived_at
    assert arrived is not None
    assert page.tick.interval() == TICK_MS == 30_000 and page.tick.isActive()
    assert page.poll.interval() == REFRESH_MS == 20_000 and page.poll.isActive()
    reads = list(executor.history)
    page.now = lambda: arrived + timedelta(minutes=12, seconds=40)
    page.tick.timeout.emit()
    anna = page.waiting.topLevelItem(0).child(0)
    assert anna.text(4) == "12 min"
    page.now = lambda: arrived + timedelta(minutes=75)
    page.update_waits()
    assert anna.text(4) == "1 h 15 min"
    assert executor.history == reads  # no operation ran


def test_the_waiting_room_follows_the_agenda_and_other_workstations(
        qtbot, executor, errors, agenda_template, tmp_path, today_booked):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    page = _page(qtbot, executor, session)
    agenda_page = open_page(qtbot, executor, session, local_today())
    grid = agenda_page.day_view
    grid.select_appointment(today_booked["luca"])
    qtbot.keyClick(grid, Qt.Key.Key_A)  # checked in from the agenda
    assert _waiting(page) == [["Dott. Marco Bruni - 1 in attesa", "Russo Luca"]]
    # Another workstation checks Anna in: no signal here, the 20-second poll finds it.
    executor.backend.require().agenda.check_in(today_booked["anna"])
    assert len(_waiting(page)) == 1
    reads = executor.history.count(LoadWaitingRoom.__name__)
    page.poll.timeout.emit()
    assert executor.history.count(LoadWaitingRoom.__name__) == reads + 1
    assert [g[0] for g in _waiting(page)] == ["Dott. Marco Bruni - 1 in attesa",
                                              "Dott.ssa Laura Neri - 1 in attesa"]
    assert not errors.errors
