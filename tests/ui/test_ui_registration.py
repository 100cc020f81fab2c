"""Registration and demographics at the front desk: the form, the live codice fiscale,
the duplicate warning, the history of changes. A real center, operations run at once."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.i18n import translate
from app.records.services import Records
from app.records.services.views import PatientDetails, PatientInput, PatientSummary
from app.ui.operations import Login, ReadDemographics, SessionInfo
from app.ui.qt import QApplication, QDate, Qt
from app.ui.registration import DemographicsHistoryDialog, RegistrationDialog
from tests.ui.conftest import UiCenter, build_center

# The birthplace completer's popup: the offscreen plugin cannot raise it or grab the keys.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "This plugin does not support grabbing the keyboard")


@pytest.fixture(scope="module")
def desk_center(tmp_path_factory) -> UiCenter:
    """This module's own center: its registrations never reach the shared one."""
    return build_center(tmp_path_factory.mktemp("registration") / "centro")


def _login(executor, center: UiCenter, username: str) -> SessionInfo:
    sessions: list[SessionInfo] = []
    executor.run(Login(center.root, username, center.password), sessions.append)
    return sessions[0]


@pytest.fixture
def desk(executor, desk_center) -> SessionInfo:
    return _login(executor, desk_center, "segreteria")


def _open(qtbot, executor, session, details: PatientDetails | None = None):
    dialog = RegistrationDialog(executor, session, details)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    saved: list[PatientSummary] = []
    dialog.saved.connect(saved.append)
    return dialog, saved


def _fill(qtbot, dialog, surname: str, given: str, sex: str, born: date, place: str,
          code: str = "") -> None:
    form = dialog.form
    qtbot.keyClicks(form.lines["surname"], surname)
    qtbot.keyClicks(form.lines["given_name"], given)
    form.sex.setCurrentIndex(form.sex.findData(sex))
    form.birth_date.setDate(QDate(born.year, born.month, born.day))
    qtbot.keyClicks(form.birth_place.edit, place)  # a unique name picks the place
    if code:
        qtbot.keyClicks(form.codice_fiscale.edit, code)


def _status(dialog) -> str:
    return dialog.form.codice_fiscale.status.text()


def _records(center: UiCenter, username: str = "segreteria") -> Records:
    return Records.open(center.root, username, center.password)


def test_a_valid_patient_is_registered_with_everything_the_desk_records(
        qtbot, executor, desk, desk_center, errors):
    dialog, saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Colombo", "Giuseppe", "M", date(1950, 10, 10), "Milano")
    form = dialog.form
    assert form.birth_place.province.text() == "MI"
    assert "calcolato" in _status(dialog).lower()  # empty: computed when saved
    qtbot.mouseClick(form.codice_fiscale.calculate, Qt.MouseButton.LeftButton)
    assert form.codice_fiscale.text() == "CLMGPP50R10F205A"
    assert _status(dialog).startswith("✓") and "corretto" in _status(dialog)
    qtbot.keyClicks(form.lines["mobile"], "347 555 1234")
    qtbot.keyClicks(form.lines["email"], "giuseppe.colombo@")
    assert form.email_hint.isVisibleTo(dialog)
    qtbot.keyClicks(form.lines["email"], "example.com")
    assert not form.email_hint.isVisibleTo(dialog)
    form.gp.setCurrentIndex(form.gp.findText("Dott.ssa Laura Neri"))
    form.consents["dossier"].setCurrentIndex(form.consents["dossier"].findData(True))
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert [s.codice_fiscale for s in saved] == ["CLMGPP50R10F205A"]
    assert not dialog.isVisible()
    assert executor.history[-2:] == ["FindDuplicates", "SavePatient"]
    assert errors.errors == []
    records = _records(desk_center)
    try:
        patient = saved[0]
        fields = records.patients.get(patient.id).fields
        assert (fields["mobile_key"], fields["birth_province"]) == ("3475551234", "MI")
        assert records.patients.search("colombo giuseppe")[0].gp_name == "Dott.ssa Laura Neri"
        assert records.patients.consents(patient.id) == {"dossier": True}
        assert [v.version for v in records.patients.history(patient.id)] == [1]
    finally:
        records.close()


def test_a_wrong_check_character_is_named_and_the_save_refused(qtbot, executor, desk):
    dialog, saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Rossi", "Mario", "M", date(1956, 4, 3), "Milano",
          "RSSMRA56D03F205X")
    assert _status(dialog).startswith("✗")
    assert "K" in _status(dialog) and "atteso" in _status(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and dialog.isVisible()
    assert "SavePatient" not in executor.history
    assert "atteso" in dialog.error.text() and "K" in dialog.error.text()
    assert QApplication.focusWidget() is dialog.form.codice_fiscale.edit
    # The form is intact; fixing the last character is enough.
    dialog.form.codice_fiscale.edit.setText("RSSMRA56D03F205K")
    assert _status(dialog).startswith("✓")


def test_an_inconsistent_code_names_the_field(qtbot, executor, desk):
    dialog, _saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Rossi", "Maria", "F", date(1956, 4, 3), "Milano",
          "RSSMRA56D03F205K")
    status = _status(dialog)
    assert status.startswith("✗")
    assert "uomo" in status  # the code is a man's
    # Maria gives MRA, like Mario: only the sex is wrong.
    assert [p.field for p in dialog.form.codice_fiscale.result.problems] == ["sex"]


def test_an_omocodic_code_is_recognised_and_accepted(qtbot, executor, desk):
    dialog, saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Rossi", "Mario", "M", date(1956, 4, 3), "Milano",
          "RSSMRA56D03F20RF")
    assert _status(dialog).startswith("✓") and "omocodia" in _status(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [s.codice_fiscale for s in saved] == ["RSSMRA56D03F20RF"]


def _register(center: UiCenter, data: PatientInput) -> PatientSummary:
    records = _records(center)
    try:
        return records.patients.register(data)
    finally:
        records.close()


def test_the_duplicate_warning_for_the_same_codice_fiscale(qtbot, executor, desk,
                                                          desk_center):
    _register(desk_center, PatientInput("Galli", "Bruna", "F", date(1944, 6, 1), "Cremona"))
    dialog, saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Galli", "Bruna", "F", date(1944, 6, 1), "Cremona")
    dialog.form.lines["phone"].setText("0372 123456")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    warning = dialog.duplicate_box
    assert warning is not None and warning.isVisible()
    [line] = warning.lines()
    assert "GALLI Bruna" in line and "nata il 01/06/1944" in line
    assert "stesso codice fiscale" in line
    qtbot.mouseClick(warning.back, Qt.MouseButton.LeftButton)  # go back: nothing written
    assert saved == [] and dialog.isVisible()
    assert dialog.form.lines["phone"].text() == "0372 123456"
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(dialog.duplicate_box.anyway, Qt.MouseButton.LeftButton)
    # The record refuses a second patient with the same code: said in the dialog.
    assert saved == [] and dialog.isVisible()
    assert "già registrato" in dialog.error.text()
    assert dialog.form.lines["phone"].text() == "0372 123456"


def test_the_duplicate_warning_for_the_same_names_and_birth_date(qtbot, executor, desk,
                                                                desk_center):
    first = _register(desk_center, PatientInput("Fumagalli", "Ettore", "M", date(1939, 12, 30),
                                                "Pavia"))
    dialog, saved = _open(qtbot, executor, desk)
    _fill(qtbot, dialog, "Fumagalli", "Ettore", "M", date(1939, 12, 30), "Lodi")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [line] = dialog.duplicate_box.lines()
    assert first.codice_fiscale in line
    assert "stesso cognome, nome e data di nascita" in line
    assert dialog.duplicate_box.anyway.text() == "Registra comunque"
    qtbot.mouseClick(dialog.duplicate_box.anyway, Qt.MouseButton.LeftButton)
    assert len(saved) == 1 and saved[0].id != first.id
    assert saved[0].codice_fiscale[11:15] == "E648"  # Lodi


def _details(executor, patient_id: str) -> PatientDetails:
    found: list[PatientDetails] = []
    executor.run(ReadDemographics(patient_id), found.append)
    return found[0]


def test_editing_demographics_and_reading_the_history(qtbot, executor, desk, desk_center):
    patient = _register(desk_center, PatientInput("Brambilla", "Rosa", "F", date(1948, 5, 1),
                                                  "Monza", mobile="333 111 2222"))
    dialog, saved = _open(qtbot, executor, desk, _details(executor, patient.id))
    form = dialog.form
    assert form.lines["surname"].text() == "Brambilla"
    assert form.birth_place.province.text() == "MB"
    assert _status(dialog).startswith("✓")
    assert not dialog.is_dirty()
    form.lines["mobile"].clear()
    qtbot.keyClicks(form.lines["mobile"], "349 777 8888")
    qtbot.keyClicks(form.lines["residence_city"], "Sesto San Giovanni")
    qtbot.keyClicks(form.lines["residence_postcode"], "20099")
    assert dialog.changes() == {"mobile": "349 777 8888", "residence_city": "Sesto San Giovanni",
                                "residence_postcode": "20099"}
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [s.id for s in saved] == [patient.id]
    assert "FindDuplicates" not in executor.history  # names and birth date unchanged

    history = DemographicsHistoryDialog(executor, patient.id)
    qtbot.addWidget(history)
    history.show()
    rows = history.rows()
    assert [v.version for v in history.versions] == [1, 2]
    when, who, what = rows[0][:3]
    assert who == "Sara Conti" and what == "Versione 2: 3 campi modificati"
    assert len(when) == 16 and when[2] == "/" and when[5] == "/"  # 04/12/2026 10:32
    assert ["", "", "Cellulare", "333 111 2222", "349 777 8888"] in rows
    assert ["", "", "Residenza: comune", "—", "Sesto San Giovanni"] in rows
    registration = rows.index(next(r for r in rows if r[2] == "Registrazione"))
    assert ["", "", "Data di nascita", "—", "01/05/1948"] in rows[registration:]
    assert ["", "", "Sesso", "—", "Femmina"] in rows[registration:]


def test_the_history_button_of_the_form(qtbot, executor, desk, desk_center):
    patient = _register(desk_center, PatientInput("Sala", "Ugo", "M", date(1961, 5, 2), "Lecco"))
    dialog, _saved = _open(qtbot, executor, desk, _details(executor, patient.id))
    qtbot.mouseClick(dialog.history_button, Qt.MouseButton.LeftButton)
    assert dialog.history_dialog.isVisible()
    assert dialog.history_dialog.rows()[0][2] == "Registrazione"


def test_a_changed_name_is_checked_for_duplicates_and_recomputed(qtbot, executor, desk,
                                                                 desk_center):
    patient = _register(desk_center, PatientInput("Riva", "Teo", "M", date(1979, 2, 2), "Lodi"))
    dialog, saved = _open(qtbot, executor, desk, _details(executor, patient.id))
    form = dialog.form
    form.lines["given_name"].setText("Matteo")
    assert _status(dialog).startswith("✗")  # the old code no longer fits
    qtbot.mouseClick(form.codice_fiscale.calculate, Qt.MouseButton.LeftButton)
    assert form.codice_fiscale.text()[3:6] == "MTT" and _status(dialog).startswith("✓")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "FindDuplicates" in executor.history
    assert saved[0].given_name == "Matteo" and saved[0].codice_fiscale[3:6] == "MTT"


def test_enter_moves_on_and_escape_asks_before_discarding(qtbot, executor, desk):
    dialog, saved = _open(qtbot, executor, desk)
    surname = dialog.form.lines["surname"]
    surname.setFocus()
    qtbot.keyClicks(surname, "Pozzi")
    qtbot.keyClick(surname, Qt.Key.Key_Return)
    assert dialog.isVisible() and saved == []
    assert QApplication.focusWidget() is dialog.form.lines["given_name"]
    qtbot.keyClick(dialog.form.lines["given_name"], Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible() and dialog.isVisible()
    keep = next(b for b in box.buttons() if b is not dialog.discard_button)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and surname.text() == "Pozzi"
    qtbot.keyClick(dialog.form.lines["given_name"], Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_escape_closes_an_untouched_form_and_tab_follows_the_form(qtbot, executor, desk):
    dialog, _saved = _open(qtbot, executor, desk)
    chain = dialog.form.tab_chain()
    chain[0].setFocus()
    for expected in chain[1:9]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.discard_box is None


def test_a_suppressed_comune_is_offered_only_when_asked(qtbot, executor, desk):
    dialog, _saved = _open(qtbot, executor, desk)
    field = dialog.form.birth_place
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "Jugosl")
    assert field.completer.model().rowCount() == 0
    field.suppressed.setChecked(True)
    assert field.completer.model().index(0, 0).data() == "Jugoslavia (EE)"
    field.completer.activated.emit("Jugoslavia (EE)")
    assert (field.edit.text(), field.province.text(), field.place.code) == (
        "Jugoslavia", "EE", "Z118")


def test_the_admin_reads_the_form_but_cannot_save(qtbot, executor, desk_center):
    admin = _login(executor, desk_center, "admin")
    patient = _register(desk_center, PatientInput("Villa", "Rita", "F", date(1958, 7, 9),
                                                  "Monza"))
    dialog, _saved = _open(qtbot, executor, admin, _details(executor, patient.id))
    assert not dialog.save_button.isEnabled()
    assert dialog.error.isVisibleTo(dialog) and "non modificarla" in dialog.error.text()


@pytest.mark.parametrize("typed", ["03/04/1956", "3/4/1956", "03041956", "3.4.1956",
                                   "03-04-1956", "3/04/1956"])
def test_the_birth_date_is_typed_as_people_type_it(qtbot, executor, desk, typed):
    dialog, _saved = _open(qtbot, executor, desk)
    form = dialog.form
    form.lines["given_name"].setFocus()
    qtbot.keyClick(form.lines["given_name"], Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.birth_date
    assert form.birth() is None  # focused but not typed: still empty
    qtbot.keyClicks(form.birth_date, typed)
    assert form.birth() == date(1956, 4, 3)
    assert form.birth_date.text() == "03/04/1956"
    qtbot.keyClick(form.birth_date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.birth_place.edit


def test_a_date_field_left_untouched_stays_empty(qtbot, executor, desk):
    dialog, _saved = _open(qtbot, executor, desk)
    form = dialog.form
    form.birth_date.setFocus()
    qtbot.keyClick(form.birth_date, Qt.Key.Key_Tab)
    assert form.birth() is None and form.birth_date.text().strip() == ""
    assert not dialog.is_dirty()


def test_the_ats_field_names_the_authority_typed(qtbot, executor, desk):
    dialog, _saved = _open(qtbot, executor, desk)
    field = dialog.form.lines["ats_code"]
    qtbot.keyClicks(field, "030321")
    assert dialog.form.ats_name.text() == "ATS DELLA CITTA' METROPOLITANA DI MILANO"
    field.clear()
    qtbot.keyClicks(field, "999999")
    assert dialog.form.ats_name.text() == translate("Unknown ASL/ATS code")
