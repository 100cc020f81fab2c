"""The center's agenda: day and week views, booking by mouse, statuses, first free slot.

Every test runs against a real encrypted center whose clinicians have timetables set
through records.schedules; the operations run at once on the SyncExecutor.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from app.core.errors import MedireteError
from app.records.agenda_time import local_to_utc, local_today, to_local
from app.records.services import Records
from app.records.services.agenda_views import ScheduleSpan
from app.ui.agenda import AgendaPage, PatientAppointments
from app.ui.agenda.booking_dialog import BookingDialog
from app.ui.agenda.first_free_dialog import FirstFreeDialog
from app.ui.agenda.grid import AgendaGrid
from app.ui.operations import Login, SessionInfo
from app.ui.qt import QLocale, QPoint, Qt
from tests.ui.conftest import PASSWORD, build_center

EXTRA_CLINICIANS = (
    ("bruni", "Dott. Marco Bruni", "gp"),
    ("ferri", "Dott.ssa Elena Ferri", "gp"),
)


@dataclass(frozen=True)
class AgendaCenter:
    """A center whose GPs and nurse have weekly timetables."""

    root: Path
    password: str
    clinicians: dict[str, str]  # username -> user id
    patients: dict[str, str]  # "Surname Given" -> patient id


def _span(weekday: int, starts: str, ends: str, slot: int) -> ScheduleSpan:
    h1, m1 = map(int, starts.split(":"))
    h2, m2 = map(int, ends.split(":"))
    return ScheduleSpan(weekday, time(h1, m1), time(h2, m2), slot)


def build_agenda_center(root: Path, extra: int = 0) -> AgendaCenter:
    """The UI suite's center, two more GPs (and ``extra`` more), everyone's timetable."""
    build_center(root)
    admin = Records.open(root, "admin", PASSWORD)
    try:
        for username, name, role in EXTRA_CLINICIANS:
            admin.users.add(username, name, role, PASSWORD)
        for n in range(extra):
            admin.users.add(f"gp{n:02d}", f"Dott. Medico {n:02d}", "gp", PASSWORD)
    finally:
        admin.close()
    desk = Records.open(root, "segreteria", PASSWORD)
    try:
        clinicians = {c.username: c.id for c in desk.agenda.clinicians()}
        weekdays = range(5)
        timetables = {
            "medico": [_span(d, "08:00", "12:00", 15) for d in weekdays]
            + [_span(d, "15:00", "18:00", 15) for d in weekdays] + [_span(5, "09:00", "12:00", 15)],
            "bruni": [_span(d, "09:00", "13:00", 20) for d in weekdays],
            "ferri": [_span(d, "14:00", "19:00", 15) for d in weekdays],
            "infermiere": [_span(d, "08:00", "11:00", 10) for d in weekdays],
        }
        for username, user_id in clinicians.items():
            desk.schedules.set_timetable(
                user_id, timetables.get(username, [_span(d, "08:00", "13:00", 15)
                                                   for d in weekdays]))
        patients = {f"{p.surname} {p.given_name}": p.id for p in desk.patients.search("r", 50)}
        patients |= {f"{p.surname} {p.given_name}": p.id for p in desk.patients.search("b", 50)}
        patients |= {f"{p.surname} {p.given_name}": p.id for p in desk.patients.search("v", 50)}
    finally:
        desk.close()
    return AgendaCenter(root, PASSWORD, clinicians, patients)


def next_monday() -> date:
    """A working day a week ahead at most (bookings there are never in the past)."""
    today = local_today()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture(scope="module")
def agenda_template(tmp_path_factory: pytest.TempPathFactory) -> AgendaCenter:
    """Built once per module; each test works on a copy."""
    return build_agenda_center(tmp_path_factory.mktemp("agenda") / "centro")


def log_in(executor, template: AgendaCenter, tmp_path: Path, username: str) -> SessionInfo:
    """Copy the template and log ``username`` in on the executor."""
    root = tmp_path / "centro"
    if not root.exists():
        shutil.copytree(template.root, root)
    sessions: list[SessionInfo] = []
    executor.run(Login(root, username, template.password), sessions.append)
    assert sessions, "login failed"
    return sessions[0]


def book(executor, template: AgendaCenter, clinician: str, patient: str, day: date,
         at: str, minutes: int = 15, **fields) -> str:
    """Book straight through the records layer (the setting of a test)."""
    hours, mins = map(int, at.split(":"))
    return executor.backend.require().agenda.book(
        template.clinicians[clinician], template.patients[patient],
        local_to_utc(day, time(hours, mins)), minutes, **fields)


def open_page(qtbot, executor, session: SessionInfo, day: date) -> AgendaPage:
    """The agenda page, shown and active, on ``day``."""
    page = AgendaPage(executor, session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.show_day(day)
    page.day_view.setFocus()
    return page


def column_of(grid: AgendaGrid, clinician_id: str, day: date | None = None) -> int:
    """The number of a clinician's column (on ``day`` in the week view)."""
    return next(n for n, c in enumerate(grid.columns)
                if c.clinician_id == clinician_id and (day is None or c.day == day))


def minute(at: str) -> int:
    """"09:30" as a minute of the day."""
    hours, mins = map(int, at.split(":"))
    return hours * 60 + mins


def click(qtbot, grid: AgendaGrid, column: int, at: int, *, double: bool = False) -> None:
    """Click (or double click) the middle of a minute of a column."""
    grid.ensure_visible_minute(column, at)
    point = grid.point_of(column, at)
    if double:
        qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)


def drag(qtbot, grid: AgendaGrid, start: QPoint, end: QPoint) -> None:
    """Press, move in steps, release: a real drag with the mouse."""
    viewport = grid.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    steps = 6
    for n in range(1, steps + 1):
        x = start.x() + (end.x() - start.x()) * n // steps
        y = start.y() + (end.y() - start.y()) * n // steps
        qtbot.mouseMove(viewport, QPoint(x, y))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def appointments(executor, day: date, clinician_id: str | None = None):
    """What the record holds for a day."""
    return executor.backend.require().agenda.day(day, clinician_id)


def booking_dialog(page: AgendaPage) -> BookingDialog:
    """The booking dialog the page opened."""
    dialog = page.booking
    assert isinstance(dialog, BookingDialog) and dialog.isVisible()
    return dialog


def patient(executor, name: str):
    """A PatientSummary by "Surname Given"."""
    return executor.backend.require().patients.search(name, 1)[0]


# -- the day view -----------------------------------------------------------------------------
def test_the_day_view_has_a_column_per_clinician_with_their_bookings(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "bruni", "Verdi Paolo", monday, "09:20", 20, note="Digiuno")
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    assert [c.title for c in grid.columns] == [
        "Dott. Marco Bruni", "Dott.ssa Elena Ferri", "Dott.ssa Laura Neri", "Paolo Galli"]
    assert [c.subtitle for c in grid.columns] == ["Medico", "Medico", "Medico", "Infermiere"]
    bruni = column_of(grid, agenda_template.clinicians["bruni"])
    assert [s.slot for s in grid.columns[bruni].spans] == [20]
    [block] = grid.blocks
    assert (block.column, block.start, block.end) == (bruni, minute("09:20"), minute("09:40"))
    assert page.toolbar.title.text() == f"Lunedì {monday:%d/%m/%Y}"
    assert page.toolbar.date.text() == f"{monday:%d/%m/%Y}"
    assert page.toolbar.date.locale().language() == QLocale.Language.Italian
    tip = grid.keys.tooltip(block).splitlines()
    assert tip[0] == "Verdi Paolo"
    assert tip[1].startswith("09:20-09:40 - ") and tip[1].endswith(" - Prenotato")
    assert tip[2] == "Nota per la segreteria: Digiuno"
    assert not errors.errors


def test_a_click_selects_a_free_slot_and_a_double_click_books_the_open_patient(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    page.set_patient_context(patient(executor, "rossi mario"))
    messages: list[str] = []
    page.status_message.connect(messages.append)
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    click(qtbot, grid, neri, minute("09:07"))
    assert grid.current is not None
    assert (grid.current.column, grid.current.start, grid.current.minutes) == (
        neri, minute("09:00"), 15)
    assert grid.selected_appointment() is None

    click(qtbot, grid, neri, minute("09:07"), double=True)
    dialog = booking_dialog(page)
    assert "Rossi Mario" in dialog.patient_label.text()
    assert not dialog.picker.isVisible()
    assert dialog.findChild(object, "bookingReason") is None  # the desk never sees it
    dialog.kind.setCurrentIndex(dialog.kind.findData("prima visita"))
    assert dialog.minutes.value() == 30
    qtbot.keyClicks(dialog.note, "Porta le analisi")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    [saved] = appointments(executor, monday)
    assert saved.patient_id == agenda_template.patients["Rossi Mario"]
    assert saved.clinician_id == agenda_template.clinicians["medico"]
    assert to_local(saved.starts_at).strftime("%H:%M") == "09:00"
    assert (saved.ends_at - saved.starts_at) == timedelta(minutes=30)
    assert (saved.kind, saved.note, saved.reason) == ("prima visita", "Porta le analisi", None)
    assert grid.selected_id == saved.id  # the new booking is selected
    assert messages[-1] == f"Prenotato lunedì {monday:%d/%m/%Y} alle 09:00"
    assert not errors.errors


def test_booking_with_no_patient_open_asks_for_one(qtbot, executor, errors, agenda_template,
                                                   tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    galli = column_of(grid, agenda_template.clinicians["infermiere"])
    click(qtbot, grid, galli, minute("08:20"), double=True)
    dialog = booking_dialog(page)
    assert dialog.picker.isVisible() and not dialog.ok.isEnabled()
    assert [dialog.kind.itemData(n) for n in range(dialog.kind.count())] == [
        "visita", "prima visita", "controllo", "ricetta", "medicazione", "prelievo", "ecg",
        "spirometria"]
    assert dialog.kind.currentData() == "prelievo"  # as long as the nurse's 10-minute slot
    qtbot.keyClicks(dialog.picker.search, "russo")
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    [saved] = appointments(executor, monday)
    assert saved.patient_id == agenda_template.patients["Russo Luca"]
    assert (saved.kind, to_local(saved.starts_at).strftime("%H:%M")) == ("prelievo", "08:20")
    assert not errors.errors


def test_a_gp_writes_the_clinical_reason_the_desk_never_sees(qtbot, executor, errors,
                                                             agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "medico")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    page.set_patient_context(patient(executor, "verdi"))
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    click(qtbot, grid, neri, minute("10:00"), double=True)
    dialog = booking_dialog(page)
    assert dialog.reason is not None and dialog.reason.isVisible()
    qtbot.keyClicks(dialog.reason, "Dolore toracico da rivalutare")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [saved] = appointments(executor, monday)
    assert saved.reason == "Dolore toracico da rivalutare"
    assert "Dolore toracico" in grid.keys.tooltip(grid.selected_block())
    executor.shutdown()

    desk_session = log_in(executor, agenda_template, tmp_path, "segreteria")
    desk = open_page(qtbot, executor, desk_session, monday)
    [block] = desk.day_view.blocks
    assert block.appointment.reason is None
    assert "Dolore" not in desk.day_view.keys.tooltip(block)
    desk.day_view.select_appointment(block.appointment.id)
    menu = desk.day_view.context_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Apri il paziente", "Arrivato", "Non presentato", "Torna a prenotato",
                     "Sposta su di uno spazio", "Sposta giù di uno spazio",
                     "Annulla l'appuntamento..."]
    assert not errors.errors


def test_an_overlapping_booking_is_refused_with_the_records_message(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    page.set_patient_context(patient(executor, "bianchi"))
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    click(qtbot, grid, neri, minute("11:00"), double=True)
    qtbot.mouseClick(booking_dialog(page).ok, Qt.MouseButton.LeftButton)
    assert len(appointments(executor, monday)) == 1

    # 10:45 for 30 minutes runs into the 11:00 booking: the record refuses it.
    click(qtbot, grid, neri, minute("10:45"), double=True)
    dialog = booking_dialog(page)
    dialog.minutes.setValue(30)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [refused] = errors.errors
    assert isinstance(refused, MedireteError)
    message = refused.user_message()
    assert "Dott.ssa Laura Neri" in message and "11:00" in message
    assert len(appointments(executor, monday)) == 1  # nothing written


def test_a_slot_booked_meanwhile_by_another_desk_is_refused_and_shown(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    page.set_patient_context(patient(executor, "rossi mario"))
    grid = page.day_view
    bruni = column_of(grid, agenda_template.clinicians["bruni"])
    click(qtbot, grid, bruni, minute("09:40"), double=True)
    dialog = booking_dialog(page)
    # Meanwhile the other desk books that slot (no signal reaches this screen).
    book(executor, agenda_template, "bruni", "Verdi Paolo", monday, "09:40", 20)
    assert grid.blocks == []
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [refused] = errors.errors
    assert "Dott. Marco Bruni" in refused.user_message()
    [shown] = grid.blocks  # the day was read again: the other desk's booking is in view
    assert shown.appointment.patient_name == "Verdi Paolo"
    assert len(appointments(executor, monday)) == 1


# -- the mouse: drag to move, drag the bottom edge to resize ----------------------------------
def test_dragging_an_appointment_moves_it_to_another_time_and_clinician(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    moved = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    bruni = column_of(grid, agenda_template.clinicians["bruni"])
    grid.ensure_visible_minute(neri, minute("09:00"), 90)
    drag(qtbot, grid, grid.point_of(neri, minute("09:05")), grid.point_of(bruni, minute("10:25")))
    [saved] = appointments(executor, monday)
    assert saved.id == moved
    assert saved.clinician_id == agenda_template.clinicians["bruni"]
    # Bruni's slots are 20 minutes: the drop snaps to his 10:20 slot, the length stays.
    assert to_local(saved.starts_at).strftime("%H:%M") == "10:20"
    assert saved.ends_at - saved.starts_at == timedelta(minutes=15)
    assert grid.selected_id == moved and grid.selected_block().column == bruni
    assert grid.drag is None
    assert not errors.errors


def test_dragging_the_bottom_edge_lengthens_the_appointment(qtbot, executor, errors,
                                                           agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    grid.ensure_visible_minute(neri, minute("09:00"), 60)
    edge = grid.point_of(neri, minute("09:14"))
    assert grid.hit(edge).on_bottom_edge
    drag(qtbot, grid, edge, grid.point_of(neri, minute("09:44")))
    [saved] = appointments(executor, monday)
    assert to_local(saved.starts_at).strftime("%H:%M") == "09:00"
    assert to_local(saved.ends_at).strftime("%H:%M") == "09:45"
    assert not errors.errors


def test_a_drop_onto_another_booking_is_refused_by_the_record(qtbot, executor, errors,
                                                             agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    book(executor, agenda_template, "medico", "Verdi Paolo", monday, "09:30")
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    grid.ensure_visible_minute(neri, minute("09:00"), 60)
    drag(qtbot, grid, grid.point_of(neri, minute("09:02")), grid.point_of(neri, minute("09:32")))
    [refused] = errors.errors
    assert "Dott.ssa Laura Neri" in refused.user_message()
    times = sorted(to_local(a.starts_at).strftime("%H:%M") for a in appointments(executor, monday))
    assert times == ["09:00", "09:30"]
    assert sorted(b.start for b in grid.blocks) == [minute("09:00"), minute("09:30")]  # back


def test_a_double_click_on_an_appointment_asks_to_open_its_patient(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "ferri", "Verdi Paolo", monday, "15:00", 30)
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    ferri = column_of(grid, agenda_template.clinicians["ferri"])
    with qtbot.waitSignal(page.patient_requested) as asked:
        click(qtbot, grid, ferri, minute("15:10"), double=True)
    assert asked.args == [agenda_template.patients["Verdi Paolo"]]
    assert not hasattr(page, "booking")  # no booking dialog over an appointment


# -- statuses -----------------------------------------------------------------------------------
def _action(grid: AgendaGrid, text: str):
    return next(a for a in grid.context_menu().actions() if a.text() == text)


def test_status_actions_follow_the_appointment_and_the_role(qtbot, executor, errors,
                                                           agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "medico")
    monday = next_monday()
    first = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    second = book(executor, agenda_template, "medico", "Verdi Paolo", monday, "09:15")
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    grid.select_appointment(first)
    assert not _action(grid, "In visita").isEnabled()  # not arrived yet
    _action(grid, "Arrivato").trigger()
    _action(grid, "In visita").trigger()
    assert grid.selected_appointment().status == "in-visit"
    assert grid.selected_appointment().called_at is not None
    _action(grid, "Visitato").trigger()
    assert grid.selected_appointment().status == "seen"
    assert not _action(grid, "Annulla l'appuntamento...").isEnabled()
    grid.select_appointment(second)
    _action(grid, "Non presentato").trigger()
    assert {a.id: a.status for a in appointments(executor, monday)} == {
        first: "seen", second: "no-show"}
    _action(grid, "Torna a prenotato").trigger()
    assert grid.selected_appointment().status == "booked"
    assert not errors.errors


def test_each_status_has_its_colour_and_a_legend(qtbot, executor, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    page = open_page(qtbot, executor, session, next_monday())
    legend = [page.findChild(object, f"legend-{s}") for s in
              ("booked", "arrived", "in-visit", "seen", "no-show", "cancelled")]
    assert [label.text() for label in legend] == [
        "Prenotato", "Arrivato", "In visita", "Visitato", "Non presentato", "Annullato"]
    styles = {label.styleSheet() for label in legend}
    assert len(styles) == 6


def test_cancelled_appointments_are_hidden_until_asked_for(qtbot, executor, errors,
                                                          agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    gone = book(executor, agenda_template, "medico", "Rossi Anna", monday, "09:00")
    executor.backend.require().agenda.cancel(gone, "Disdetto dal paziente")
    book(executor, agenda_template, "medico", "Verdi Paolo", monday, "09:00")  # the slot again
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    assert [b.appointment.patient_name for b in grid.blocks] == ["Verdi Paolo"]
    page.toolbar.show_cancelled.click()
    shown = sorted((b.appointment.patient_name, b.lane, b.lanes) for b in grid.blocks)
    assert shown == [("Rossi Anna", 0, 2), ("Verdi Paolo", 1, 2)]  # side by side
    neri = column_of(grid, agenda_template.clinicians["medico"])
    assert grid.block_at(neri, minute("09:05")).appointment.patient_name == "Verdi Paolo"
    cancelled = next(b for b in grid.blocks if b.appointment.id == gone)
    assert "Annullato: Disdetto dal paziente" in grid.keys.tooltip(cancelled)
    page.toolbar.show_cancelled.click()
    assert len(grid.blocks) == 1
    assert not errors.errors


# -- first free slot, week view, a patient's appointments --------------------------------------
def test_the_first_free_slot_of_a_visit_type_is_found_selected_and_booked(
        qtbot, executor, errors, agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "medico", "Rossi Anna", monday, "08:00")
    book(executor, agenda_template, "medico", "Verdi Paolo", monday, "08:30")
    page = open_page(qtbot, executor, session, monday - timedelta(days=3))
    page.set_patient_context(patient(executor, "russo"))
    page.toolbar.first_free.click()
    dialog = page.first_free
    assert isinstance(dialog, FirstFreeDialog) and dialog.isVisible()
    dialog.clinician.setCurrentIndex(dialog.clinician.findText("Dott.ssa Laura Neri"))
    dialog.select_kind("prima visita")
    dialog.since.setDate(monday)  # the page's Friday may be past: the dialog starts today
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.day == monday
    grid = page.day_view
    neri = column_of(grid, agenda_template.clinicians["medico"])
    # 08:15-08:30 is free but too short for a 30-minute first visit.
    assert (grid.current.column, grid.current.start, grid.current.minutes) == (
        neri, minute("08:45"), 30)
    assert page.focusWidget() is grid  # (offscreen, the closed dialog stays the active window)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    booking = booking_dialog(page)
    assert booking.kind.currentData() == "prima visita"
    qtbot.mouseClick(booking.ok, Qt.MouseButton.LeftButton)
    found = [a for a in appointments(executor, monday) if a.kind == "prima visita"]
    assert [to_local(a.starts_at).strftime("%H:%M") for a in found] == ["08:45"]
    assert not errors.errors


def test_the_week_view_shows_one_clinician_monday_to_saturday(qtbot, executor, errors,
                                                             agenda_template, tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "medico")
    monday = next_monday()
    tuesday = monday + timedelta(days=1)
    executor.backend.require().schedules.add_closure(
        agenda_template.clinicians["medico"], monday + timedelta(days=3),
        monday + timedelta(days=3), "Congresso")
    moved = book(executor, agenda_template, "medico", "Rossi Anna", monday, "10:00")
    page = open_page(qtbot, executor, session, monday + timedelta(days=2))
    page.toolbar.week_mode.click()
    assert page.toolbar.clinician.isVisible()
    assert page.toolbar.clinician.currentText() == "Dott.ssa Laura Neri"  # a GP's own week
    grid = page.week_view
    assert page.stack.currentWidget() is grid
    assert [c.title for c in grid.columns] == [
        f"{name} {(monday + timedelta(days=n)):%d/%m/%Y}" for n, name in
        enumerate(("Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato"))]
    assert grid.columns[3].closed == "Congresso" and grid.columns[3].subtitle == "Congresso"
    assert grid.columns[5].subtitle == "09:00-12:00"
    assert grid.columns[0].subtitle == "08:00-12:00, 15:00-18:00"
    grid.ensure_visible_minute(0, minute("10:00"), 30)
    drag(qtbot, grid, grid.point_of(0, minute("10:02")), grid.point_of(1, minute("11:02")))
    [saved] = executor.backend.require().agenda.for_patient(agenda_template.patients["Rossi Anna"])
    assert saved.id == moved
    assert to_local(saved.starts_at).date() == tuesday
    assert to_local(saved.starts_at).strftime("%H:%M") == "11:00"
    # The closed Thursday: the record refuses a move there, whatever the screen shows.
    drag(qtbot, grid, grid.point_of(1, minute("11:02")), grid.point_of(3, minute("11:02")))
    [refused] = errors.errors
    assert "Congresso" in refused.user_message()
    page.toolbar.clinician.setCurrentIndex(page.toolbar.clinician.findText("Paolo Galli"))
    page.toolbar.clinician.activated.emit(page.toolbar.clinician.currentIndex())
    assert {c.clinician_id for c in grid.columns} == {agenda_template.clinicians["infermiere"]}
    assert grid.columns[5].spans == ()  # the nurse works no Saturday


def test_a_patients_upcoming_and_past_appointments(qtbot, executor, errors, agenda_template,
                                                   tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    book(executor, agenda_template, "medico", "Rossi Mario", monday, "09:00", kind="controllo")
    book(executor, agenda_template, "bruni", "Rossi Mario", monday - timedelta(days=14), "10:00")
    book(executor, agenda_template, "bruni", "Verdi Paolo", monday, "10:00")
    widget = PatientAppointments(executor, session)
    qtbot.addWidget(widget)
    widget.show_patient(agenda_template.patients["Rossi Mario"])
    up, past = widget.upcoming_model, widget.past_model
    assert widget.upcoming_title.text() == "Prossimi appuntamenti (1)"
    assert widget.past_title.text() == "Appuntamenti passati (1)"
    assert [up.data(up.index(0, c)) for c in range(6)][:3] == [
        f"Lun {monday:%d/%m/%Y}", "09:00", "Dott.ssa Laura Neri"]
    assert up.data(up.index(0, 4)) == "Prenotato"
    assert past.data(past.index(0, 2)) == "Dott. Marco Bruni"
    # A booking elsewhere on screen reaches this list through the executor's signal.
    page = open_page(qtbot, executor, session, monday)
    page.set_patient_context(patient(executor, "rossi mario"))
    neri = column_of(page.day_view, agenda_template.clinicians["medico"])
    click(qtbot, page.day_view, neri, minute("11:00"), double=True)
    qtbot.mouseClick(booking_dialog(page).ok, Qt.MouseButton.LeftButton)
    assert widget.upcoming_title.text() == "Prossimi appuntamenti (2)"
    assert not errors.errors


# -- a big center, the admin, English -----------------------------------------------------------
def test_twenty_gps_scroll_sideways_under_a_fixed_time_ruler(qtbot, executor, errors,
                                                            tmp_path_factory):
    big = build_agenda_center(tmp_path_factory.mktemp("big") / "centro", extra=17)
    tmp_path = tmp_path_factory.mktemp("bigcopy")
    session = log_in(executor, big, tmp_path, "segreteria")
    monday = next_monday()
    agenda = executor.backend.require().agenda
    for n, clinician_id in enumerate(big.clinicians.values()):
        for slot in range(4):  # the first hour for everyone
            start = local_to_utc(monday, time(8 + slot // 4, slot % 4 * 15))
            agenda.book(clinician_id, list(big.patients.values())[(n + slot) % 6], start, 15)
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    assert len(grid.columns) == 21 and len(grid.blocks) == 21 * 4
    hbar = grid.horizontalScrollBar()
    assert hbar.maximum() > 0  # the columns keep a readable width and scroll
    assert grid.geometry_.column_width >= 150
    grid.select_at(0, minute("08:00"))
    for _ in range(20):
        qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.current.column == 20 and hbar.value() == hbar.maximum()
    # The ruler stays: its strip is never a column, whatever the scroll.
    assert grid.hit(QPoint(10, 200)) is None
    last = grid.point_of(20, minute("09:00"))
    assert 0 < last.x() < grid.viewport().width()
    assert grid.hit(last).column == 20
    assert not errors.errors


def test_the_admin_reads_the_agenda_but_books_nothing(qtbot, executor, errors, agenda_template,
                                                     tmp_path):
    session = log_in(executor, agenda_template, tmp_path, "admin")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    grid = page.day_view
    assert len(grid.columns) == 4 and not grid.can_write
    click(qtbot, grid, 0, minute("09:00"), double=True)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert not hasattr(page, "booking")
    assert not page.toolbar.first_free.isEnabled()
    assert page.findChild(object, "agendaKeys") is None
    assert not errors.errors


def test_english_names_with_italian_dates(qtbot, executor, errors, agenda_template, tmp_path,
                                          monkeypatch):
    from app.core import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    session = log_in(executor, agenda_template, tmp_path, "segreteria")
    monday = next_monday()
    page = open_page(qtbot, executor, session, monday)
    assert page.toolbar.title.text() == f"Monday {monday:%d/%m/%Y}"
    assert page.toolbar.today.text() == "Today"
    assert page.findChild(object, "legend-no-show").text() == "No-show"
    assert [c.subtitle for c in page.day_view.columns][-1] == "Nurse"
