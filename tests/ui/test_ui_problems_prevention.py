"""The problems tab (a problem added through the ICD-9-CM picker, its status changed with a
reason) and the vaccinations and family history tab (the nurse records a vaccine)."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import AccessDenied
from app.records.services import Records
from app.records.services.views import PatientInput
from app.ui.chart.code_picker import ProblemCodeDialog
from app.ui.chart.prevention import FamilyHistoryDialog, PreventionView, VaccinationDialog
from app.ui.chart.problems import ProblemDetailsDialog, ProblemsView
from app.ui.operations import Login
from app.ui.qt import QDialog, Qt
from tests.ui.conftest import UiCenter, build_center


@pytest.fixture(scope="module")
def own_center(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    return build_center(tmp_path_factory.mktemp("problems") / "centro")


def _session(executor, center: UiCenter, user: str) -> Records:
    executor.run(Login(center.root, user, center.password), lambda _s: None)
    return executor.backend.require()


def _patient(records: Records, surname: str) -> str:
    return records.patients.register(
        PatientInput(surname, "Ada", "F", date(1958, 2, 3), "Como")).id


def test_a_problem_added_through_the_picker_then_resolved(qtbot, executor, own_center,
                                                          monkeypatch, errors):
    gp = _session(executor, own_center, "medico")
    patient_id = _patient(gp, "Problemi")
    view = ProblemsView(executor, may_write=True)
    qtbot.addWidget(view)
    view.show_problems(patient_id, ())
    added: list[str] = []
    view.problem_added.connect(added.append)

    def pick(dialog: QDialog) -> int:
        if isinstance(dialog, ProblemCodeDialog):  # the GP types without the accent
            dialog.show()
            qtbot.keyClicks(dialog.search, "lombalgia")
            qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=3000)
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
            return int(dialog.result())
        assert isinstance(dialog, ProblemDetailsDialog)
        dialog.status.setCurrentIndex(dialog.status.findData("active"))
        dialog.qualifier.setText("destra")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QDialog, "exec", pick)
    view.add_problem()
    assert len(added) == 1 and errors.errors == []
    [problem] = gp.chart.open(patient_id).of("problem")
    assert problem.fields["icd9_code"] == "724.2" and problem.fields["qualifier"] == "destra"

    view.show_problems(patient_id, [problem])
    view.table.selectRow(0)

    def resolve(dialog: QDialog) -> int:
        assert isinstance(dialog, ProblemDetailsDialog)
        dialog.status.setCurrentIndex(dialog.status.findData("resolved"))
        dialog.reason.setText("guarita")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QDialog, "exec", resolve)
    view.change_selected()
    [resolved] = gp.chart.open(patient_id).of("problem")
    assert resolved.version == 2 and resolved.fields["clinical_status"] == "resolved"
    assert resolved.correction_reason == "guarita"
    assert errors.errors == []


def test_the_nurse_records_a_vaccination_but_no_family_history(qtbot, executor, own_center,
                                                               monkeypatch, errors):
    gp = _session(executor, own_center, "medico")
    patient_id = _patient(gp, "Vaccini")
    nurse = _session(executor, own_center, "infermiere")
    view = PreventionView(executor, gp=False)
    qtbot.addWidget(view)
    view.show_entries(patient_id, (), ())
    assert view.add_family.isHidden()

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, VaccinationDialog)
        dialog.vaccine.setCurrentIndex(dialog.vaccine.findData("J07BB"))
        dialog.lot.setText("AB123")
        dialog.dose.setValue(2)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QDialog, "exec", fill)
    view.add_vaccination.click()
    [given] = nurse.chart.open(patient_id).of("vaccination")
    assert (given.fields["vaccine_code"], given.fields["lot"], given.fields["dose_number"],
            given.fields["site"]) == ("J07BB", "AB123", 2, "Left deltoid")
    view.show_entries(patient_id, [given], ())
    assert view.vaccinations.item(0, 3).text() == "AB123"
    assert view.vaccinations.item(0, 4).text() == "Deltoide sinistro"
    # The family history button is the GP's; the records layer refuses the nurse anyway.
    dialog = FamilyHistoryDialog()
    qtbot.addWidget(dialog)
    dialog.condition.setText("Diabete mellito tipo 2")
    executor.run(dialog.operation(patient_id), lambda _id: None)
    assert [type(e) for e in errors.errors] == [AccessDenied]
    assert nurse.chart.open(patient_id).of("family_history") == []


def test_the_chart_s_own_dialogs_speak_italian(qtbot, executor, own_center):
    from app.ui.language import QtTranslations
    from tests.ui.visible_text import problems_in

    translations = QtTranslations()  # Qt's own buttons in Italian, as the program has them
    translations.apply("it")
    _session(executor, own_center, "medico")
    dialogs: list[QDialog] = [VaccinationDialog(), FamilyHistoryDialog(),
                              ProblemDetailsDialog("Modifica problema")]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    view = PreventionView(executor, gp=True)
    problems = ProblemsView(executor, may_write=True)
    for widget in (view, problems):
        qtbot.addWidget(widget)
        widget.show()
    try:
        assert problems_in([*dialogs, view, problems]) == []
    finally:
        translations.apply("en")
