"""The visit at the desk: write and sign with vitals, drafts kept, amend and see both
versions, the nurse's visit, a visit linked to a problem found by the journal's filter."""

from __future__ import annotations

import pytest

from app.records.services import Records
from app.ui.chart.entry_detail import EntryDetailDialog
from app.ui.chart.page import JOURNAL, VISIT
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QPushButton, QSettings, Qt
from app.ui.shell import Shell
from tests.ui.conftest import UiCenter, build_center


@pytest.fixture(scope="module")
def own_center(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    """A center of this module's own: signing visits must not change the shared one."""
    return build_center(tmp_path_factory.mktemp("visits") / "centro")


@pytest.fixture
def desk(qtbot, executor, tmp_path, own_center, errors):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shell = Shell(executor, settings)

    def log_in(username: str, patient: str = "rossi mario") -> MainWindow:
        login = shell.show_login(own_center.root)
        qtbot.keyClicks(login.username, username)
        qtbot.keyClicks(login.password, own_center.password)
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
        window = shell.window
        assert isinstance(window, MainWindow)
        notice = QApplication.activeModalWidget()
        if notice is not None:  # the nurse's first login: "clinical access granted"
            notice.accept()
        with qtbot.waitActive(window):
            window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_F2)
        window.finder.search.setText(patient)
        window.finder.refresh()
        qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)
        qtbot.keyClick(window, Qt.Key.Key_F11)
        assert window.current_page == "chart"
        assert window.chart_page.tabs.currentIndex() == VISIT
        return window

    yield log_in
    if shell.window is not None:
        shell.window.close()
        shell.window.deleteLater()


def _records(center: UiCenter, user: str = "medico") -> Records:
    return Records.open(center.root, user, center.password)


def test_write_and_sign_a_visit_with_vitals(qtbot, desk, own_center, errors):
    window = desk("medico")
    editor = window.chart_page.visit
    assert editor.patient_id == window.context.patient_id
    qtbot.keyClicks(editor.soap["subjective"], "cefalea da tre giorni")
    qtbot.keyClicks(editor.soap["assessment"], "ipertensione non controllata")
    qtbot.keyClicks(editor.vitals["systolic"], "152")
    qtbot.keyClicks(editor.vitals["diastolic"], "96")
    qtbot.keyClicks(editor.vitals["weight"], "81,5")
    qtbot.keyClicks(editor.vitals["height"], "175")
    assert editor.bmi.text() == "26,6"
    hypertension = next(r for r in range(editor.problems.count())
                        if "401.9" in editor.problems.item(r).text())
    editor.problems.item(hypertension).setCheckState(Qt.CheckState.Checked)
    editor.save_now()
    records = _records(own_center)
    try:
        [draft] = records.visits.drafts(window.context.patient_id)
        assert draft.subjective == "cefalea da tre giorni"
    finally:
        records.close()
    qtbot.keyClick(editor.soap["plan"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert errors.errors == []
    chart = window.context.record
    [visit] = chart.of("encounter")
    assert visit.fields["assessment"] == "ipertensione non controllata"
    values = {o.fields["code"]: o.fields["value_num"] for o in chart.of("observation")
              if o.fields.get("encounter_id") == visit.lineage_id}
    assert values == {"8480-6": 152.0, "8462-4": 96.0, "29463-7": 81.5, "8302-2": 175.0}
    # The summary shows the signed visit's blood pressure; the editor is empty again.
    assert editor.soap["subjective"].toPlainText() == ""
    assert window.chart_page.tabs.currentIndex() == 0
    # The journal, filtered by the hypertension problem, lists the visit.
    problem = next(p for p in chart.of("problem") if p.fields["icd9_code"] == "401.9")
    window.chart_page.show_problem(problem.lineage_id)
    assert window.chart_page.tabs.currentIndex() == JOURNAL
    journal = window.chart_page.journal
    shown = [journal.model.row(i).entry for i in range(journal.model.rowCount())]
    assert {e.kind for e in shown} == {"problem", "encounter", "observation"}
    assert visit.lineage_id in {e.lineage_id for e in shown}


def test_amend_a_signed_visit_and_see_both_versions(qtbot, desk, executor, errors):
    window = desk("medico", "rossi anna")
    editor = window.chart_page.visit
    qtbot.keyClicks(editor.soap["assessment"], "faringite")
    editor.sign()
    [visit] = window.context.record.of("encounter")
    # From the journal: the visit's detail, "Amend...": back in the editor with a reason.
    page = window.chart_page
    page.show_tab(JOURNAL)
    assert page.journal.open_entry("encounter", visit.lineage_id)
    page.journal.detail.findChild(QPushButton, "entryAmend").click()
    assert page.tabs.currentIndex() == VISIT and not editor.reason.isHidden()
    assert editor.soap["assessment"].toPlainText() == "faringite"
    editor.soap["assessment"].setPlainText("tonsillite batterica")
    editor.sign()  # no reason: refused, nothing lost
    assert not editor.refusal.isHidden() and "motivo" in editor.refusal.text().lower()
    assert editor.soap["assessment"].toPlainText() == "tonsillite batterica"
    editor.reason.setText("esito del tampone")
    editor.sign()
    [current] = window.context.record.of("encounter")
    assert current.version == 2 and current.fields["assessment"] == "tonsillite batterica"
    dialog = EntryDetailDialog(executor, current, page.journal.model.names, window)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.columnCount() == 2  # both versions, side by side
    shown = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount()) if table.item(r, c) is not None]
    assert "faringite" in shown and "tonsillite batterica" in shown
    assert "esito del tampone" in shown
    assert errors.errors == []


def test_the_nurse_writes_a_nursing_visit_only(qtbot, desk, errors):
    window = desk("infermiere", "rossini carla")
    editor = window.chart_page.visit
    assert [editor.kind.itemData(i) for i in range(editor.kind.count())] == ["nursing"]
    assert set(editor.action_buttons) == {"book_followup", "acquire"}
    qtbot.keyClicks(editor.soap["objective"], "medicazione ferita")
    qtbot.keyClicks(editor.vitals["spo2"], "97")
    editor.sign()
    assert errors.errors == []
    [visit] = window.context.record.of("encounter")
    assert visit.fields["kind"] == "nursing"


def test_an_impossible_vital_is_refused_and_kept(qtbot, desk, errors):
    window = desk("medico", "verdi paolo")
    editor = window.chart_page.visit
    qtbot.keyClicks(editor.soap["objective"], "controllo")
    qtbot.keyClicks(editor.vitals["systolic"], "1500")
    editor.sign()
    assert not editor.refusal.isHidden()
    assert "1500" in editor.refusal.text() or "1.500" in editor.refusal.text()
    editor.save_now()  # a draft saved afterwards does not take the refusal away
    assert not editor.refusal.isHidden()
    assert window.context.record.of("encounter") == []
    assert editor.vitals["systolic"].text() == "1500"
    assert errors.errors == []


def test_letters_in_a_vital_are_refused_where_the_gp_looks(qtbot, desk, errors):
    window = desk("medico", "bianchi giulia")
    editor = window.chart_page.visit
    qtbot.keyClicks(editor.soap["subjective"], "controllo")
    qtbot.keyClicks(editor.vitals["pulse"], "settanta")
    qtbot.keyClick(editor.vitals["pulse"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.refusal.isHidden() and "settanta" in editor.refusal.text()
    assert window.context.record.of("encounter") == []
    qtbot.keyClick(editor.vitals["pulse"], Qt.Key.Key_Backspace)  # mending it clears it
    assert editor.refusal.isHidden()
    assert errors.errors == []
