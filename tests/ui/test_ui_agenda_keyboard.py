"""The agenda by keyboard: arrows between slots, Enter books, Del cancels with a reason,
Ctrl+Up/Down moves, the status keys, F5, PgUp/PgDown and a sane tab order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.records.agenda_time import to_local
from app.ui.agenda.cancel_dialog import CancelDialog
from app.ui.qt import QApplication, Qt
from tests.ui.test_ui_agenda import (
    appointments,
    book,
    booking_dialog,
    build_agenda_center,
    column_of,
    log_in,
    minute,
    next_monday,
    open_page,
    patient,
)


@pytest.fixture(scope="module")
def agenda_template(tmp_path_factory):
    """The center with timetables, built once for this module (each test copies it)."""
    return build_agenda_center(tmp_path_factory.mktemp("agenda") / "centro")


@pytest.fixture
def desk(qtbot, executor, agenda_template, tmp_path):
    """The front desk's agenda on next Monday, the grid focused."""
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    return open_page(qtbot, executor, session, next_monday())


def _at(grid) -> tuple[str, int]:
    """The selected column's clinician name and the selected minute."""
    return grid.columns[grid.current.column].title, grid.current.start


def test_arrows_move_between_slots_and_clinicians(qtbot, desk, agenda_template):
    grid = desk.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    grid.select_at(neri, minute("09:00"))
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert _at(grid) == ("Dott.ssa Laura Neri", minute("09:15"))
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert _at(grid) == ("Dott.ssa Laura Neri", minute("08:45"))
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # the nurse's 10-minute slots
    assert _at(grid) == ("Paolo Galli", minute("08:40"))
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert _at(grid) == ("Paolo Galli", minute("08:50"))
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # already the last column
    assert _at(grid)[0] == "Paolo Galli"
    for _ in range(3):
        qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert _at(grid) == ("Dott. Marco Bruni", minute("08:45"))  # before his hours: 15 min
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert _at(grid) == ("Dott. Marco Bruni", minute("09:00"))
    assert grid.current.minutes == 20
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert _at(grid) == ("Dott. Marco Bruni", minute("09:20"))  # his 20-minute slots
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    assert grid.current.start == grid.geometry_.first


def test_an_appointment_is_one_stop_for_the_arrows(qtbot, executor, desk, agenda_template):
    monday = next_monday()
    booked = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:15", 30)
    desk.refresh()
    grid = desk.day_view
    grid.select_at(column_of(grid, agenda_template.clinicians["medico"]), minute("09:00"))
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id == booked
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id is None and grid.current.start == minute("09:45")


def test_enter_books_the_selected_slot(qtbot, executor, errors, desk, agenda_template):
    desk.set_patient_context(patient(executor, "verdi"))
    grid = desk.day_view
    grid.select_at(column_of(grid, agenda_template.clinicians["bruni"]), minute("11:00"))
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    dialog = booking_dialog(desk)
    assert dialog.kind.hasFocus() or dialog.focusWidget() is dialog.kind
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Return)
    [saved] = appointments(executor, next_monday())
    assert to_local(saved.starts_at).strftime("%H:%M") == "11:00"
    assert saved.ends_at - saved.starts_at == timedelta(minutes=20)  # his slot, his visit
    assert grid.selected_id == saved.id
    assert not errors.errors


def test_del_cancels_only_with_a_reason(qtbot, executor, errors, desk, agenda_template):
    monday = next_monday()
    booked = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    desk.refresh()
    grid = desk.day_view
    grid.select_appointment(booked)
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    dialog = desk.cancel_dialog
    assert isinstance(dialog, CancelDialog) and dialog.isVisible()
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: nothing happens
    assert dialog.isVisible()
    assert [a.status for a in appointments(executor, monday)] == ["booked"]
    qtbot.keyClicks(dialog.reason.lineEdit(), "Ha telefonato: influenza")
    assert dialog.ok.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    [saved] = appointments(executor, monday)
    assert (saved.status, saved.cancel_reason) == ("cancelled", "Ha telefonato: influenza")
    assert grid.blocks == []  # hidden until "show cancelled"
    assert not errors.errors


def test_ctrl_arrows_move_the_appointment_by_one_slot(qtbot, executor, errors, desk,
                                                      agenda_template):
    monday = next_monday()
    booked = book(executor, agenda_template, "bruni", "Rossi Anna", monday, "09:20", 20)
    desk.refresh()
    grid = desk.day_view
    grid.select_appointment(booked)
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    [saved] = appointments(executor, monday)
    assert to_local(saved.starts_at).strftime("%H:%M") == "10:00"
    assert grid.selected_id == booked  # still selected, at its new time
    qtbot.keyClick(grid, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    [saved] = appointments(executor, monday)
    assert to_local(saved.starts_at).strftime("%H:%M") == "09:40"
    assert not errors.errors


def test_status_keys_check_in_and_mark_no_shows(qtbot, executor, errors, desk, agenda_template):
    monday = next_monday()
    first = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    second = book(executor, agenda_template, "medico", "Verdi Paolo", monday, "09:15")
    desk.refresh()
    grid = desk.day_view
    grid.select_appointment(first)
    qtbot.keyClick(grid, Qt.Key.Key_A)
    qtbot.keyClick(grid, Qt.Key.Key_V)  # in visit: a clinician's act, not the desk's
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id == second
    qtbot.keyClick(grid, Qt.Key.Key_N)
    saved = {a.id: a for a in appointments(executor, monday)}
    assert saved[first].status == "arrived" and saved[first].arrived_at is not None
    assert saved[second].status == "no-show"
    qtbot.keyClick(grid, Qt.Key.Key_B)  # undone
    assert appointments(executor, monday)[1].status == "booked"
    assert not errors.errors


def test_f5_reads_what_another_workstation_booked(qtbot, executor, desk, agenda_template):
    grid = desk.day_view
    book(executor, agenda_template, "ferri", "Bianchi Giulia", next_monday(), "16:00")
    assert grid.blocks == []  # no signal from another workstation
    qtbot.keyClick(grid, Qt.Key.Key_F5)
    assert [b.appointment.patient_name for b in grid.blocks] == ["Bianchi Giulia"]


def test_page_keys_change_the_day_and_the_week(qtbot, desk):
    monday = next_monday()
    grid = desk.day_view
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert desk.day == monday + timedelta(days=1)
    assert desk.toolbar.title.text().startswith("Martedì")
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    assert desk.day == monday - timedelta(days=1)
    qtbot.keyClick(desk, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert desk.week_mode()
    qtbot.keyClick(desk.week_view, Qt.Key.Key_PageDown)
    assert desk.day == monday + timedelta(days=6)


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen cannot raise a popup
def test_enter_on_an_appointment_opens_its_menu(qtbot, executor, desk, agenda_template):
    booked = book(executor, agenda_template, "medico", "Rossi Anna", next_monday(), "09:00")
    desk.refresh()
    grid = desk.day_view
    grid.select_appointment(booked)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    menu = grid.menu
    assert menu is not None and menu.isVisible()
    assert "Arrivato" in [a.text() for a in menu.actions()]
    menu.close()
    with qtbot.waitSignal(desk.patient_requested) as asked:
        qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked.args == [agenda_template.patients["Rossi Anna"]]


def test_tab_goes_through_the_toolbar_to_the_grid_and_out(qtbot, desk):
    bar = desk.toolbar
    bar.previous.setFocus()
    order = [bar.previous]
    for _ in range(14):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    names = [w.objectName() for w in order]
    assert names[:4] == ["agendaPrevious", "agendaToday", "agendaNext", "agendaDate"]
    # (Tab walks through the day, month and year of the date field, as Qt's date fields do;
    # the day/week pair is one stop, like radio buttons.)
    assert "agendaDayMode" in names
    assert names.index("agendaFirstFree") < names.index("agendaPrint") < names.index(
        "agendaDay")
    assert "agendaClinician" not in names  # only in the week view
    grid_at = names.index("agendaDay")
    assert names[grid_at + 1] != "agendaDay"  # Tab leaves the grid


def test_every_page_command_is_an_action_for_the_menus(qtbot, desk):
    shown = [(a.text(), a.shortcut().toString(), a.isEnabled()) for a in desk.menu_actions]
    assert shown == [
        ("Oggi", "Ctrl+Home", True),
        ("Giorno o settimana precedente", "PgUp", True),
        ("Giorno o settimana successiva", "PgDown", True),
        ("Vista giornaliera", "Ctrl+1", True),
        ("Vista settimanale", "Ctrl+2", True),
        ("Mostra gli appuntamenti annullati", "", True),
        ("Primo posto libero...", "Ctrl+Shift+F", True),
        ("Stampa lista del giorno...", "Ctrl+P", True),
        ("Aggiorna", "F5", True),
        ("Orari, tipi di visita e chiusure...", "", True),
    ]
    assert all(a.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
               for a in desk.menu_actions)
    desk.day_view.setFocus()
    qtbot.keyClick(desk.day_view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert not desk.week_mode()
    qtbot.keyClick(desk.day_view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert desk.week_mode() and desk.stack.currentWidget() is desk.week_view
