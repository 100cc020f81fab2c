"""The Therapy tab: start, repeat and stop a chronic therapy, a lab test, the promemoria,
and the safety warning where the GP prescribes (metformin with a low eGFR)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import DatabaseLocked
from app.records.codes import Drug
from app.records.demo import DEMO_PASSWORD, create_demo_center
from app.records.services import Records
from app.records.services.therapy import TherapyInput
from app.records.services.views import PatientInput
from app.ui.chart.prescribe import NewTherapyDialog, PrescriptionDialog
from app.ui.chart.promemoria_action import default_file_name
from app.ui.chart.therapy import TherapyView
from app.ui.chart.therapy_dialogs import RepeatDialog, StopTherapyDialog
from app.ui.chart.therapy_table import select_rows
from app.ui.operations import Login
from app.ui.qt import QAction, QApplication, QShortcut, Qt, QWidget
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import problems_in

CTRL = Qt.KeyboardModifier.ControlModifier


AMLODIPINE = Drug("033232012", "NORVASC 5 mg compresse", "C08CA01", "AMLODIPINA", "C8A")
RAMIPRIL = Drug("027286062", "TRIATEC 5 mg compresse", "C09AA05", "RAMIPRIL", "C1A")
METFORMIN = Drug("049661034", "METFORMINA ACCORD 500 mg", "A10BA02", "METFORMINA", "A1A")


@dataclass(frozen=True)
class Center:
    """The UI center plus Maggi Emilia: diabetic, eGFR 24 three weeks ago, esenzione 013."""

    ui: UiCenter
    maggi_id: str


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Center:
    ui = build_center(tmp_path_factory.mktemp("therapy") / "centro")
    gp = Records.open(ui.root, "medico", ui.password)
    try:
        maggi = gp.patients.register(PatientInput("Maggi", "Emilia", "F", date(1944, 6, 2),
                                                  "Pavia")).id
        gp.clinical.add_problem(maggi, "250.00", "Diabete mellito tipo 2",
                                clinical_status="chronic", onset=date(2009, 5, 1))
        gp.clinical.add_problem(maggi, "585", "Malattia renale cronica",
                                clinical_status="chronic", onset=date(2021, 1, 10))
        gp.clinical.add_esenzione(maggi, "013", date(2009, 6, 1), description="Diabete mellito")
        gp.clinical.record_observation(
            maggi, "33914-3", datetime.now(UTC) - timedelta(days=21), value_num=24.0,
            unit="mL/min/1.73m2", display="eGFR")
    finally:
        gp.close()
    return Center(ui, maggi)


@pytest.fixture
def gp(tmp_path, executor, template) -> Records:
    """A GP logged in to a copy of the center (each test writes its own)."""
    root = shutil.copytree(template.ui.root, tmp_path / "centro")
    executor.run(Login(root, "medico", template.ui.password), lambda _session: None)
    return executor.backend.require()


def _view(qtbot, executor, gp: Records, patient_id: str) -> TherapyView:
    view = TherapyView(executor)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitActive(view):
        view.activateWindow()  # the tab's shortcuts go to the active window
    view.show_chart(gp.chart.open(patient_id))
    view.therapy_table.setFocus()
    return view


def _key(qtbot, view: TherapyView, key: Qt.Key) -> None:
    """A tab shortcut, pressed with the focus in the tab (its window active again)."""
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus if focus is not None else view.therapy_table, key, CTRL)


def _active(qtbot, dialog) -> None:
    """The dialog as the window with the keyboard (its shortcuts need it)."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def _start(qtbot, view: TherapyView, pack: Drug, dose: str, chronic: bool) -> NewTherapyDialog:
    _key(qtbot, view, Qt.Key.Key_T)
    dialog = view.dialog
    assert isinstance(dialog, NewTherapyDialog) and dialog.isVisible()
    _active(qtbot, dialog)
    dialog.set_medicine(pack)
    qtbot.keyClicks(dialog.dose, dose)
    dialog.frequency.setCurrentText("1 volta al giorno")
    dialog.chronic.setChecked(chronic)
    return dialog


def _row(view: TherapyView, text: str, table: str = "therapies") -> int:
    rows = [i for i, line in enumerate(view.texts(table)) if text in line]
    assert rows, f"{text!r} not in {view.texts(table)}"
    return rows[0]


def test_start_repeat_and_stop_a_chronic_therapy(qtbot, executor, gp, template, errors):
    mario = template.ui.mario_id
    view = _view(qtbot, executor, gp, mario)
    assert len(view.texts()) == 1  # Ramipril from the center's chart

    dialog = _start(qtbot, view, AMLODIPINE, "1 cp da 5 mg", chronic=True)
    assert not dialog.safety.isVisible()
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    row = _row(view, "NORVASC")
    assert view.texts()[row].split(" | ")[:5] == ["NORVASC 5 mg compresse", "1 cp da 5 mg",
                                                  "1 volta al giorno", "orale", "sì"]
    norvasc = next(m.lineage_id for m in gp.therapy.current(mario)
                   if "NORVASC" in m.fields["name"])
    assert [m.lineage_id for m in view.selected_therapies()] == [norvasc]  # the new one

    # Ctrl+R: one prescription for the selected therapy, NRE to be issued.
    _key(qtbot, view, Qt.Key.Key_R)
    repeat = view.dialog
    assert isinstance(repeat, RepeatDialog) and "NORVASC" in repeat.names.text()
    assert "confezioni: 1, non esente" in repeat.names.text()  # never prescribed before
    qtbot.keyClick(repeat.ok, Qt.Key.Key_Return)
    assert not repeat.isVisible()
    line = view.texts("prescriptions")[0]
    assert "NORVASC 5 mg compresse" in line and "da emettere" in line
    assert [p.fields["medication_id"] for p in view.selected_prescriptions()] == [norvasc]

    # Ctrl+D: stopping needs a reason; then the therapy leaves the current list.
    view.therapy_table.selectRow(_row(view, "NORVASC"))
    _key(qtbot, view, Qt.Key.Key_D)
    stop = view.dialog
    assert isinstance(stop, StopTherapyDialog)
    qtbot.keyClick(stop.reason, Qt.Key.Key_Return)
    assert stop.isVisible() and not stop.ok.isEnabled()  # no reason, no stop
    qtbot.keyClicks(stop.reason, "edemi declivi")
    qtbot.keyClick(stop.reason, Qt.Key.Key_Return)
    assert not stop.isVisible()
    assert not any("NORVASC" in line for line in view.texts())
    stopped = next(m for m in gp.chart.open(mario).of("medication")
                   if m.lineage_id == norvasc)
    assert (stopped.fields["stop_reason"], stopped.fields["end_date"]) == (
        "edemi declivi", date.today())

    # Ctrl+H: the history shows every version, the stopped one with its reason.
    _key(qtbot, view, Qt.Key.Key_H)
    assert view.history.isChecked()
    versions = [line for line in view.texts() if "NORVASC" in line]
    assert len(versions) == 2  # started, then stopped
    assert any("edemi declivi" in line for line in versions)
    assert not view.menu_actions[1].isEnabled()  # nothing to repeat among old versions
    assert errors.errors == []


def test_lab_test_with_priority_and_question(qtbot, executor, gp, template, errors):
    view = _view(qtbot, executor, gp, template.maggi_id)
    _key(qtbot, view, Qt.Key.Key_E)
    dialog = view.dialog
    assert isinstance(dialog, PrescriptionDialog)
    assert dialog.esenzione.count() == 2  # not exempt, 013
    dialog.specialist.setChecked(True)
    qtbot.keyClicks(dialog.description, "Visita nefrologica")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
    assert dialog.isVisible() and "quesito" in dialog.error.text().lower()  # required

    dialog.lab.setChecked(True)
    dialog.description.clear()
    qtbot.keyClicks(dialog.description, "Emoglobina glicata (HbA1c)")
    qtbot.keyClicks(dialog.code, "90.28.1")
    dialog.priority.setCurrentIndex(dialog.priority.findData("B"))
    qtbot.keyClicks(dialog.question, "Controllo compenso glicemico")
    dialog.esenzione.setCurrentIndex(dialog.esenzione.findData("013"))
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    cells = view.texts("prescriptions")[0].split(" | ")
    assert cells[1:4] == ["Esame di laboratorio", "Emoglobina glicata (HbA1c)",
                          "Controllo compenso glicemico"]
    assert cells[5:] == ["B - Breve", "013", "da emettere"]
    stored = gp.chart.open(template.maggi_id).of("prescription")[0].fields
    assert (stored["item_kind"], stored["code"], stored["priority"], stored["nre"]) == (
        "lab", "90.28.1", "B", None)
    assert errors.errors == []


def test_metformin_with_low_egfr_warns_where_the_gp_prescribes(qtbot, executor, gp,
                                                                template, center):
    view = _view(qtbot, executor, gp, template.maggi_id)
    _key(qtbot, view, Qt.Key.Key_T)
    dialog = view.dialog
    assert isinstance(dialog, NewTherapyDialog)
    _active(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F4)  # the AIFA list
    picker = dialog.picker
    assert picker is not None and picker.isVisible()
    _active(qtbot, picker)
    qtbot.keyClicks(picker.search, "metformina accord")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert dialog.medicine is not None and dialog.medicine.atc == "A10BA02"
    assert "METFORMINA ACCORD" in dialog.drug.text()
    _active(qtbot, dialog)
    assert dialog.dose.hasFocus()  # picked: on to the dose
    qtbot.keyClicks(dialog.dose, "1 cp da 500 mg")
    panel = dialog.safety
    assert panel.isVisible() and panel.pending
    assert any("eGFR" in text and "24" in text for text in panel.texts())
    # Above the OK button, inside the dialog: nothing to scroll to.
    assert panel.geometry().bottom() <= dialog.buttons.geometry().top()

    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)  # first OK: the warning comes forward
    assert dialog.isVisible() and panel.seen_button.hasFocus()
    assert not any("METFORMINA" in line for line in view.texts())

    qtbot.keyClick(panel.seen_button, Qt.Key.Key_Return, CTRL)  # one key: seen
    assert not panel.pending
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)  # OK again: not blocking
    assert not dialog.isVisible()
    assert any("METFORMINA" in line for line in view.texts())

    admin = Records.open(Path(gp.db.paths.root), "admin", center.password)
    try:
        acknowledged = [e for e in admin.audit.access_log(template.maggi_id)
                        if e.action == "safety.acknowledged"]
    finally:
        admin.close()
    assert len(acknowledged) == 1
    assert "METFORMINA" in acknowledged[0].detail and "egfr" in acknowledged[0].detail.lower()


def test_promemoria_pdf(qtbot, executor, gp, template, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    mario = template.ui.mario_id
    view = _view(qtbot, executor, gp, mario)
    view.therapy_table.selectAll()
    _key(qtbot, view, Qt.Key.Key_R)
    qtbot.keyClick(view.dialog.ok, Qt.Key.Key_Return)
    _key(qtbot, view, Qt.Key.Key_E)
    lab = view.dialog
    qtbot.keyClicks(lab.description, "Creatinina")
    qtbot.keyClick(lab.description, Qt.Key.Key_Return)
    view.prescription_table.selectAll()

    _key(qtbot, view, Qt.Key.Key_P)
    files = view.promemoria.dialog
    assert files is not None
    patient = gp.patients.get(mario).summary
    assert Path(files.selectedFiles()[0]).name == default_file_name("Rossi", date.today())
    target = tmp_path / "promemoria.pdf"
    files.selectFile(str(target))
    files.accept()
    qtbot.waitUntil(target.exists)

    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert patient.codice_fiscale in text
    assert "Ramipril 5 mg" in text and "Creatinina" in text
    assert "da emettere" in text


def test_the_tab_speaks_italian(qtbot, executor, gp, template):
    view = _view(qtbot, executor, gp, template.maggi_id)
    view.history.setChecked(True)
    view.history.setChecked(False)
    _key(qtbot, view, Qt.Key.Key_T)
    therapy = view.dialog
    therapy.set_medicine(METFORMIN)  # the warning shown too
    assert problems_in([view, therapy]) == []
    therapy.reject()
    _key(qtbot, view, Qt.Key.Key_E)
    assert problems_in([view.dialog]) == []


def test_no_key_of_the_tab_is_bound_elsewhere(qtbot, logged_in):
    window = logged_in("medico")
    view = window.findChild(TherapyView)
    assert view is not None
    mine = [a.shortcut().toString() for a in view.menu_actions]
    assert all(mine) and len(mine) == len(set(mine))

    def reaches(owner: object, context: Qt.ShortcutContext) -> bool:
        """A key that also works while the focus is in the tab."""
        if context in (Qt.ShortcutContext.WindowShortcut,
                       Qt.ShortcutContext.ApplicationShortcut):
            return True
        return isinstance(owner, QWidget) and owner.isAncestorOf(view)

    others = {a.shortcut().toString() for a in window.findChildren(QAction)
              if a not in view.menu_actions and not a.shortcut().isEmpty()
              and any(reaches(w, a.shortcutContext()) for w in a.associatedObjects())}
    others |= {s.key().toString() for s in window.findChildren(QShortcut)
               if reaches(s.parent(), s.context())}
    assert others  # the window's own keys were found
    assert not set(mine) & others


def test_repeating_metformin_shows_the_warning_again(qtbot, executor, gp, template):
    maggi = template.maggi_id
    gp.therapy.start(maggi, TherapyInput("A10BA02", "Metformina", "500 mg", "2 volte al giorno",
                                         chronic=True))
    view = _view(qtbot, executor, gp, maggi)
    view.therapy_table.selectRow(_row(view, "Metformina"))
    _key(qtbot, view, Qt.Key.Key_R)
    repeat = view.dialog
    assert isinstance(repeat, RepeatDialog)
    _active(qtbot, repeat)
    assert repeat.safety.isVisible()
    assert [w.rule_id for w in repeat.safety.warnings] == ["lab.metformin-egfr"]  # no duplicate
    qtbot.keyClick(repeat.ok, Qt.Key.Key_Return)  # the first OK only shows the warning
    assert repeat.isVisible() and repeat.safety.seen_button.hasFocus()
    qtbot.keyClick(repeat.safety.seen_button, Qt.Key.Key_Return)  # the focused button: seen
    assert not repeat.safety.pending
    qtbot.keyClick(repeat.ok, Qt.Key.Key_Return)
    assert not repeat.isVisible()
    assert "Metformina" in view.texts("prescriptions")[0]


def test_a_duplicate_class_warns_and_another_patient_closes_the_dialog(qtbot, executor, gp,
                                                                        template):
    view = _view(qtbot, executor, gp, template.ui.mario_id)  # Ramipril 5 mg already
    dialog = _start(qtbot, view, RAMIPRIL, "1 cp", chronic=True)
    assert any("Ramipril 5 mg" in text for text in dialog.safety.texts())
    view.show_chart(gp.chart.open(template.maggi_id))  # the window moved to Maggi
    assert not dialog.isVisible() and view.dialog is None
    assert view.patient_id == template.maggi_id
    assert not any("Ramipril" in line for line in view.texts())


def test_nurse_reads_therapy_and_prescribes_nothing(qtbot, executor, gp, template):
    view = TherapyView(executor, may_write=False)
    qtbot.addWidget(view)
    view.show_chart(gp.chart.open(template.ui.mario_id))
    view.therapy_table.selectRow(0)
    assert [a.isEnabled() for a in view.menu_actions[:4]] == [False, False, False, False]
    view.new_therapy()
    assert view.dialog is None


def test_by_active_ingredient_and_a_check_that_cannot_run(qtbot, executor, gp, template,
                                                          monkeypatch, errors):
    def broken(*_args, **_kwargs):
        raise DatabaseLocked()

    monkeypatch.setattr(gp.therapy, "safety_warnings", broken)
    view = _view(qtbot, executor, gp, template.maggi_id)
    dialog = _start(qtbot, view, AMLODIPINE, "1 cp", chronic=False)
    dialog.by_ingredient.setChecked(True)
    assert dialog.drug.text().startswith("Amlodipina · ATC C08CA01")
    assert "controlli di sicurezza non sono stati eseguiti" in dialog.error.text()
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)  # never blocked by a check
    assert not dialog.isVisible()
    started = next(m for m in gp.chart.open(template.maggi_id).of("medication")
                   if m.fields["name"] == "Amlodipina")
    assert (started.fields["atc_code"], started.fields["aic_code"]) == ("C08CA01", None)
    assert errors.errors == []  # an expected failure: said in the dialog, no bug report


def test_a_refresh_keeps_the_selection(qtbot, executor, gp, template):
    mario = template.ui.mario_id
    gp.therapy.start(mario, TherapyInput("C08CA01", "Amlodipina 5 mg", "1 cp", chronic=True))
    view = _view(qtbot, executor, gp, mario)
    view.therapy_table.selectRow(_row(view, "Amlodipina"))
    view.show_chart(gp.chart.open(mario))  # the window refreshed after someone's write
    assert [m.fields["name"] for m in view.selected_therapies()] == ["Amlodipina 5 mg"]


def test_no_patient_empties_the_tab(qtbot, executor, gp, template):
    view = _view(qtbot, executor, gp, template.ui.mario_id)
    view.prescription_table.selectAll()
    view.history.setChecked(True)
    view.show_chart(None)  # the window closed the patient
    assert view.patient_id is None
    assert view.texts() == [] and view.texts("prescriptions") == []
    assert not any(a.isEnabled() for a in view.menu_actions[:5])


# -- the demo patient of the issue ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "centro"
    create_demo_center(root, DEMO_PASSWORD, patients=12, seed=1)
    return root


def test_repeating_metformin_for_maggi_emilia_of_the_demo_warns(qtbot, executor, demo_root,
                                                                 tmp_path):
    root = shutil.copytree(demo_root, tmp_path / "centro")
    executor.run(Login(root, "medico", DEMO_PASSWORD), lambda _session: None)
    gp = executor.backend.require()
    maggi = gp.patients.search("maggi emilia", 1)[0]
    view = _view(qtbot, executor, gp, maggi.id)
    metformin = [i for i, m in enumerate(view.therapies.entries)
                 if m.fields["atc_code"] == "A10BA02"]
    assert len(metformin) == 1  # her story: metformin still in the current therapy
    select_rows(view.therapy_table, metformin)
    _key(qtbot, view, Qt.Key.Key_R)
    repeat = view.dialog
    assert isinstance(repeat, RepeatDialog)
    _active(qtbot, repeat)
    assert "confezioni: 2, esenzione 013" in repeat.names.text()  # as her last ricetta
    egfr = [t for t in repeat.safety.texts() if "eGFR" in t]
    assert egfr and repeat.safety.isVisible()
    qtbot.keyClick(repeat.ok, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: seen, in one key
    assert not repeat.safety.pending
    rule_ids = sorted(w.rule_id for w in repeat.safety.warnings)
    qtbot.keyClick(repeat.ok, Qt.Key.Key_Return)
    assert not repeat.isVisible()

    admin = Records.open(root, "admin", DEMO_PASSWORD)
    try:
        seen = [e.detail for e in admin.audit.access_log(maggi.id)
                if e.action == "safety.acknowledged"]
    finally:
        admin.close()
    name = view.therapies.entries[metformin[0]].fields["name"]
    assert seen == [f"{name}: {', '.join(rule_ids)}"]
    new = view.selected_prescriptions()
    assert [(p.fields["name"], p.fields["quantity"], p.fields["esenzione_code"]) for p in new] == [
        (name, 2, "013")]
