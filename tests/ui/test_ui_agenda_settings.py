"""Orari e chiusure: the front desk sets the agenda's frame through the dialog.

A real encrypted center with no timetable (as a new center starts); each test works on
a copy. The operations run at once on the SyncExecutor; what the dialog saved is read
back through records.schedules.
"""

from __future__ import annotations

import shutil
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from app.core import i18n
from app.core.errors import AccessDenied
from app.records.agenda_time import local_today
from app.records.services.agenda_views import ScheduleSpan
from app.ui.agenda import AgendaPage
from app.ui.agenda import page as agenda_page
from app.ui.agenda.settings_dialog import AgendaSettingsDialog
from app.ui.agenda.settings_ops import SaveTimetable
from app.ui.operations import Login, SessionInfo
from app.ui.qt import QApplication, QPoint, QPointF, Qt, QWheelEvent
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import problems_in

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    """A new center: staff of every role, no timetable, no closure."""
    return build_center(tmp_path_factory.mktemp("frame") / "centro")


def log_in(executor, template: UiCenter, tmp_path: Path, username: str) -> SessionInfo:
    """Copy the template and log ``username`` in on the executor."""
    root = tmp_path / "centro"
    if not root.exists():
        shutil.copytree(template.root, root)
    sessions: list[SessionInfo] = []
    executor.run(Login(root, username, template.password), sessions.append)
    assert sessions, "login failed"
    return sessions[0]


def open_dialog(qtbot, executor, session: SessionInfo) -> AgendaSettingsDialog:
    dialog = AgendaSettingsDialog(executor, session)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def records(executor):
    return executor.backend.require()


def clinician_id(executor, username: str) -> str:
    return next(c.id for c in records(executor).agenda.clinicians() if c.username == username)


def choose_clinician(dialog: AgendaSettingsDialog, username: str) -> None:
    combo = dialog.timetable.clinician
    combo.setCurrentIndex(next(n for n in range(combo.count())
                               if combo.itemData(n).username == username))


def type_into(qtbot, widget, text: str) -> None:
    """Give ``widget`` the keyboard as Tab would, then type."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(widget, text)


@pytest.fixture
def desk(executor, template, tmp_path) -> SessionInfo:
    return log_in(executor, template, tmp_path, "segreteria")


# -- timetables -----------------------------------------------------------------------------
def test_the_desk_types_a_gp_timetable_and_the_record_holds_it(qtbot, executor, desk, errors):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.timetable
    choose_clinician(dialog, "medico")
    assert tab.hint.text()  # nobody can book her yet
    qtbot.mouseClick(tab.add_button, LEFT)
    row = tab.rows[0]
    assert QApplication.focusWidget() is row.day  # a new row is typed from its day
    assert row.day.currentText() == "Lunedì"
    qtbot.keyClick(row.day, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.starts
    qtbot.keyClicks(row.starts, "0830")
    qtbot.keyClick(row.starts, Qt.Key.Key_Tab)  # leaves the field, not its minutes
    assert QApplication.focusWidget() is row.ends
    qtbot.keyClicks(row.ends, "1300")
    qtbot.keyClick(row.ends, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.slot
    row.slot.selectAll()
    qtbot.keyClicks(row.slot, "20")
    tab.add_button.setFocus()
    qtbot.keyClick(tab.add_button, Qt.Key.Key_Space)  # the next day, same hours
    second = tab.rows[1]
    assert second.day.currentText() == "Martedì"
    assert (second.starts.value(), second.ends.value(), second.slot.value()) == (
        time(8, 30), time(13, 0), 20)
    type_into(qtbot, second.valid_to, "31122030")
    assert second.valid_to.text() == "31/12/2030"
    assert tab.dirty() and dialog.dirty()
    qtbot.keyClick(second.valid_to, Qt.Key.Key_S, CTRL)  # Ctrl+S saves the tab in view

    gp = clinician_id(executor, "medico")
    assert records(executor).schedules.timetable(gp) == [
        ScheduleSpan(0, time(8, 30), time(13, 0), 20),
        ScheduleSpan(1, time(8, 30), time(13, 0), 20, None, date(2030, 12, 31)),
    ]
    assert tab.feedback.isVisible() and "salvato" in tab.feedback.text()
    assert not tab.dirty() and not tab.hint.text()
    assert errors.errors == []


def test_a_refused_span_is_shown_and_the_rows_stay_as_typed(qtbot, executor, desk, errors):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.timetable
    choose_clinician(dialog, "medico")
    qtbot.mouseClick(tab.add_button, LEFT)
    type_into(qtbot, tab.rows[0].ends, "0700")  # ends before it starts (08:00)
    qtbot.mouseClick(tab.save_button, LEFT)
    assert tab.feedback.isVisible()
    assert "deve finire dopo il suo inizio" in tab.feedback.text()
    assert [(r.starts.value(), r.ends.value()) for r in tab.rows] == [(time(8), time(7))]
    gp = clinician_id(executor, "medico")
    assert records(executor).schedules.timetable(gp) == []

    type_into(qtbot, tab.rows[0].ends, "1200")
    qtbot.mouseClick(tab.add_button, LEFT)  # Tuesday 08-12: then make it Monday 11-13
    second = tab.rows[1]
    second.day.setCurrentIndex(0)
    type_into(qtbot, second.starts, "1100")
    type_into(qtbot, second.ends, "1300")
    qtbot.keyClick(second.ends, Qt.Key.Key_S, CTRL)
    assert "si sovrappongono" in tab.feedback.text()
    assert [(r.day.currentIndex(), r.starts.value(), r.ends.value()) for r in tab.rows] == [
        (0, time(8), time(12)), (0, time(11), time(13))]
    assert records(executor).schedules.timetable(gp) == []
    assert tab.dirty()
    assert errors.errors == []  # a refusal is said in the tab, not as an error dialog


def test_another_clinician_is_shown_only_after_unsaved_rows_are_discarded(
        qtbot, executor, desk):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.timetable
    choose_clinician(dialog, "medico")
    qtbot.mouseClick(tab.add_button, LEFT)
    choose_clinician(dialog, "infermiere")
    box = tab.discard_box
    assert box is not None and box.isVisible()
    assert tab.shown.username == "medico" and len(tab.rows) == 1
    assert tab.clinician.currentData().username == "medico"
    keep = next(b for b in box.buttons() if "Continua" in b.text())
    qtbot.mouseClick(keep, LEFT)
    assert tab.shown.username == "medico" and len(tab.rows) == 1
    choose_clinician(dialog, "infermiere")
    discard = next(b for b in tab.discard_box.buttons() if "Abbandona" in b.text())
    qtbot.mouseClick(discard, LEFT)
    assert tab.shown.username == "infermiere" and tab.rows == []
    assert tab.clinician.currentData().username == "infermiere"


def test_remove_span_and_an_emptied_validity(qtbot, executor, desk):
    gp = clinician_id(executor, "medico")
    records(executor).schedules.set_timetable(gp, [
        ScheduleSpan(0, time(8), time(12), 15, date(2026, 1, 1), None),
        ScheduleSpan(2, time(15), time(18), 15)])
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.timetable
    choose_clinician(dialog, "medico")
    assert [r.day.currentText() for r in tab.rows] == ["Lunedì", "Mercoledì"]
    assert tab.rows[0].valid_from.text() == "01/01/2026"
    tab.rows[0].valid_from.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(tab.rows[0].valid_from, Qt.Key.Key_Delete)  # no limit any more
    tab.rows[1].starts.setFocus()
    assert tab.rows[0].valid_from.value() is None
    assert tab.table.field_row() == 1
    qtbot.mouseClick(tab.remove_button, LEFT)
    assert len(tab.rows) == 1
    qtbot.keyClick(tab.rows[0].day, Qt.Key.Key_S, CTRL)
    assert records(executor).schedules.timetable(gp) == [
        ScheduleSpan(0, time(8), time(12), 15)]


# -- visit types ----------------------------------------------------------------------------
def test_a_new_visit_type_is_saved_and_a_refused_one_keeps_its_row(qtbot, executor, desk,
                                                                     errors):
    dialog = open_dialog(qtbot, executor, desk)
    dialog.tabs.setCurrentWidget(dialog.visit_types)
    tab = dialog.visit_types
    builtin = len(tab.rows)
    assert tab.rows[0].label.text() == "Visita"
    qtbot.mouseClick(tab.add_button, LEFT)
    row = tab.rows[-1]
    assert QApplication.focusWidget() is row.code
    qtbot.keyClicks(row.code, "vaccino")
    qtbot.keyClick(row.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Vaccinazione antinfluenzale")
    row.minutes.selectAll()
    type_into(qtbot, row.minutes, "10")
    row.role.setCurrentIndex(row.role.findData("nurse"))
    assert row.role.currentText() == "Infermiere"
    qtbot.mouseClick(tab.add_button, LEFT)  # a second one, with no name: refused
    qtbot.keyClicks(tab.rows[-1].code, "senza-nome")
    qtbot.keyClick(tab.rows[-1].code, Qt.Key.Key_S, CTRL)

    stored = {v.code: v for v in records(executor).schedules.visit_types()}
    assert (stored["vaccino"].label, stored["vaccino"].minutes, stored["vaccino"].role) == (
        "Vaccinazione antinfluenzale", 10, "nurse")
    assert "senza-nome" not in stored
    assert "nome" in tab.feedback.text()  # "... richiede un nome ..."
    assert len(tab.rows) == builtin + 2 and tab.rows[-1].code.text() == "senza-nome"
    assert tab.rows[-2].stored is not None and not tab.rows[-2].changed()
    assert tab.dirty()
    tab.rows[-1].label.setText("Senza nome, ora con")
    qtbot.mouseClick(tab.save_button, LEFT)
    assert "senza-nome" in {v.code for v in records(executor).schedules.visit_types()}
    assert not tab.dirty() and "salvati" in tab.feedback.text()
    assert errors.errors == []


def test_a_built_in_visit_type_is_changed_and_a_taken_code_is_refused(qtbot, executor, desk):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.visit_types
    dialog.tabs.setCurrentWidget(tab)
    ricetta = next(r for r in tab.rows if r.code.text() == "ricetta")
    assert ricetta.code.isReadOnly()
    ricetta.minutes.setValue(10)
    ricetta.active.setChecked(False)
    qtbot.mouseClick(tab.add_button, LEFT)
    qtbot.keyClicks(tab.rows[-1].code, "visita")  # the code of an existing type
    tab.rows[-1].label.setText("Visita lunga")
    qtbot.mouseClick(tab.save_button, LEFT)
    assert "visita" in tab.feedback.text() and QApplication.focusWidget() is tab.rows[-1].code
    stored = {v.code: v for v in records(executor).schedules.visit_types()}
    assert stored["visita"].label == "Visita" and stored["ricetta"].minutes == 5
    tab.rows[-1].code.setText("visita lunga")
    qtbot.mouseClick(tab.save_button, LEFT)
    stored = {v.code: v for v in records(executor).schedules.visit_types()}
    assert (stored["ricetta"].minutes, stored["ricetta"].active) == (10, False)
    assert stored["visita lunga"].label == "Visita lunga"


# -- closures -------------------------------------------------------------------------------
def test_a_closure_is_added_refused_and_removed(qtbot, executor, desk, errors):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.closures
    dialog.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 0
    assert tab.who.currentText() == "Tutto il centro"
    start = local_today() + timedelta(days=20)
    tab.starts.set_value(start)
    assert tab.ends.value() == start  # a closure is at least a day
    tab.ends.set_value(start - timedelta(days=1))
    type_into(qtbot, tab.description, "Ponte")
    qtbot.keyClick(tab.description, Qt.Key.Key_Return)
    assert "prima di cominciare" in tab.feedback.text()
    assert tab.description.text() == "Ponte" and tab.table.rowCount() == 0

    tab.ends.set_value(start + timedelta(days=2))
    qtbot.keyClick(tab.description, Qt.Key.Key_S, CTRL)
    assert tab.description.text() == "" and "aggiunta" in tab.feedback.text()
    stored = records(executor).schedules.closures(start, start + timedelta(days=3))
    assert [(c.clinician_id, c.starts_on, c.ends_on, c.description) for c in stored] == [
        (None, start, start + timedelta(days=2), "Ponte")]
    assert tab.table.item(0, 0).text() == "Tutto il centro"
    assert tab.table.item(0, 1).text().endswith(start.strftime("%d/%m/%Y"))

    tab.who.setCurrentIndex(next(n for n in range(1, tab.who.count())
                                 if "Galli" in tab.who.itemText(n)))
    tab.starts.set_value(start + timedelta(days=40))
    tab.description.setText("Ferie")
    qtbot.mouseClick(tab.add_button, LEFT)
    assert [tab.table.item(n, 0).text() for n in range(2)] == ["Tutto il centro",
                                                               "Paolo Galli"]
    nurse = clinician_id(executor, "infermiere")
    assert records(executor).schedules.closures(
        start + timedelta(days=40), start + timedelta(days=41))[0].clinician_id == nurse

    tab.table.selectRow(0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)  # asks first
    box = tab.confirm_box
    assert box is not None and box.isVisible() and "Ponte" in box.text()
    qtbot.mouseClick(tab.confirm_button, LEFT)
    assert records(executor).schedules.closures(start, start + timedelta(days=3)) == []
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "Ferie"
    assert errors.errors == []


# -- roles, keyboard, languages ---------------------------------------------------------------
def test_the_admin_sees_the_frame_but_cannot_save(qtbot, executor, template, tmp_path, errors):
    desk = log_in(executor, template, tmp_path, "segreteria")
    gp = clinician_id(executor, "medico")
    records(executor).schedules.set_timetable(gp, [ScheduleSpan(0, time(8), time(12), 15)])
    admin = log_in(executor, template, tmp_path, "admin")
    assert desk.role == "secretary" and admin.role == "admin"
    dialog = open_dialog(qtbot, executor, admin)
    assert not dialog.can_write and dialog.read_only.isVisible()
    choose_clinician(dialog, "medico")
    tab = dialog.timetable
    assert len(tab.rows) == 1 and not tab.rows[0].starts.isEnabled()
    for button in (tab.add_button, tab.save_button, dialog.visit_types.save_button,
                   dialog.visit_types.add_button, dialog.closures.add_button,
                   dialog.closures.remove_button):
        assert not button.isVisible()
    assert not dialog.closures.form_box.isVisible()
    tab.rows[0].ends.setTime(tab.rows[0].ends.time().addSecs(3600))  # even if it were typed
    qtbot.keyClick(dialog, Qt.Key.Key_S, CTRL)
    assert executor.history[-1] != "SaveTimetable"
    assert records(executor).schedules.timetable(gp)[0].ends == time(12)
    refused: list[BaseException] = []
    executor.run(SaveTimetable(gp, ()), lambda _r: None, refused.append)
    assert isinstance(refused[0], AccessDenied)  # the records layer says no to the admin
    assert errors.errors == []


def test_escape_asks_before_discarding_and_closes_when_nothing_is_typed(qtbot, executor,
                                                                          desk):
    dialog = open_dialog(qtbot, executor, desk)
    qtbot.keyClick(dialog.timetable.clinician, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.discard_box is None
    dialog = open_dialog(qtbot, executor, desk)
    dialog.tabs.setCurrentWidget(dialog.closures)
    type_into(qtbot, dialog.closures.description, "Chiusura estiva")
    qtbot.keyClick(dialog.closures.description, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible() and "Chiusure" in box.informativeText() + \
        box.text()
    qtbot.mouseClick(next(b for b in box.buttons() if b is not dialog.discard_button), LEFT)
    assert dialog.isVisible() and dialog.closures.description.text() == "Chiusura estiva"
    qtbot.keyClick(dialog.closures.description, Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.discard_button, LEFT)
    assert not dialog.isVisible()


def test_saving_tells_the_other_screens_what_changed(qtbot, executor, desk):
    seen: list[frozenset[str]] = []
    executor.changed.connect(lambda changes, _initiator: seen.append(changes.kinds))
    dialog = open_dialog(qtbot, executor, desk)
    qtbot.mouseClick(dialog.timetable.add_button, LEFT)
    dialog.save_current()
    dialog.tabs.setCurrentWidget(dialog.closures)
    dialog.closures.description.setText("Festa patronale")
    dialog.save_current()
    assert seen == [frozenset({"work_schedule"}), frozenset({"closure"})]


def test_the_italian_dialog_has_no_english(qtbot, executor, desk, errors):
    gp = clinician_id(executor, "medico")
    records(executor).schedules.set_timetable(gp, [ScheduleSpan(0, time(8), time(12), 15)])
    records(executor).schedules.add_closure(None, local_today(), local_today(), "Ponte")
    dialog = open_dialog(qtbot, executor, desk)
    choose_clinician(dialog, "medico")
    assert dialog.windowTitle() == "Orari e chiusure"
    assert [dialog.tabs.tabText(n) for n in range(3)] == ["Orari", "Tipi di visita",
                                                          "Chiusure"]
    assert problems_in([dialog]) == []
    assert errors.errors == []


def test_the_english_dialog(qtbot, executor, desk, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    dialog = open_dialog(qtbot, executor, desk)
    assert dialog.windowTitle() == "Timetables and closures"
    assert dialog.closures.who.itemText(0) == "Whole center"
    assert dialog.visit_types.rows[0].label.text() == "Visit"


def test_the_agenda_page_shows_what_the_dialog_saved(qtbot, executor, desk):
    page = AgendaPage(executor, desk)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    gp = clinician_id(executor, "medico")
    shown = [c for c in page.day_view.columns if c.clinician_id == gp]
    assert shown and not shown[0].spans  # a new center: shaded all day
    dialog = open_dialog(qtbot, executor, desk)
    choose_clinician(dialog, "medico")
    for _day in range(7):  # Monday to Sunday, 08:00-12:00: today is one of them
        qtbot.mouseClick(dialog.timetable.add_button, LEFT)
    qtbot.mouseClick(dialog.timetable.save_button, LEFT)
    dialog.tabs.setCurrentWidget(dialog.closures)
    dialog.closures.who.setCurrentIndex(dialog.closures.who.findData(gp))
    dialog.closures.description.setText("Ferie")
    dialog.save_current()  # today, for her only
    shown = [c for c in page.day_view.columns if c.clinician_id == gp]
    assert shown[0].spans and shown[0].closed == "Ferie"


def test_the_agenda_menu_offers_the_dialog_to_writers_only(qtbot, executor, template,
                                                           tmp_path):
    for username, enabled in (("admin", False), ("segreteria", True)):
        session = log_in(executor, template, tmp_path, username)
        page = agenda_page.AgendaPage(executor, session)
        qtbot.addWidget(page)
        action = next(a for a in page.menu_actions
                      if a.text() == "Orari, tipi di visita e chiusure...")
        assert action.isEnabled() is enabled
    action.trigger()
    dialog = page.findChild(AgendaSettingsDialog)
    assert dialog is not None and dialog.isVisible() and dialog.can_write


def test_the_wheel_scrolls_the_table_and_changes_no_field_under_the_pointer(qtbot, executor,
                                                                            desk):
    dialog = open_dialog(qtbot, executor, desk)
    tab = dialog.timetable
    choose_clinician(dialog, "medico")
    for _day in range(14):
        qtbot.mouseClick(tab.add_button, LEFT)
    tab.save_button.setFocus()
    tab.table.verticalScrollBar().setValue(0)
    row = tab.rows[0]
    before = row.day.currentIndex(), row.starts.value()
    for field in (row.day, row.starts):
        event = QWheelEvent(QPointF(5, 5), QPointF(field.mapToGlobal(QPoint(5, 5))),
                            QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(field, event)
    assert (row.day.currentIndex(), row.starts.value()) == before
    assert tab.table.verticalScrollBar().value() > 0
