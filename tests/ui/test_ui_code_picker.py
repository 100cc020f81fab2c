"""The diagnosis and medicine pickers: type, arrows, Enter; ICD-10-IM candidates to choose."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import i18n
from app.records.codes import ICD9CM, ICD10IM, CodeRow, Drug
from app.records.services import Records
from app.ui.chart.code_ops import CodeMatches, FindCandidates, SearchCodes
from app.ui.chart.code_picker import (
    DrugPickerDialog,
    Icd10CandidatesDialog,
    ProblemCode,
    ProblemCodeDialog,
)
from app.ui.operations import Login
from app.ui.qt import QDialog, Qt
from tests.ui.conftest import UiCenter
from tests.ui.visible_text import UNTRANSLATED, english_words, visible_texts
from tests.unit.records.codes.icd10im_workbooks import systematic_list, transcoding_table


def _log_in(executor, root: Path, password: str) -> Records:
    sessions: list[object] = []
    executor.run(Login(root, "medico", password), sessions.append)
    assert sessions
    return executor.backend.require()


@pytest.fixture
def gp(executor, center: UiCenter) -> Records:
    """A GP on the session's center (the pickers only read)."""
    return _log_in(executor, center.root, center.password)


@pytest.fixture(scope="module")
def icd10im_center(tmp_path_factory: pytest.TempPathFactory, center: UiCenter) -> Iterator[Path]:
    """A copy of the session's center where the admin loaded the two Ministry workbooks."""
    folder = tmp_path_factory.mktemp("icd10im")
    root = Path(shutil.copytree(center.root, folder / "centro"))
    admin = Records.open(root, "admin", center.password)
    try:
        admin.codes.import_file(ICD10IM, systematic_list(folder))
        admin.codes.import_file("icd9-icd10im", transcoding_table(folder))
    finally:
        admin.close()
    yield root


@pytest.fixture
def gp_icd10im(executor, center: UiCenter, icd10im_center: Path) -> Records:
    return _log_in(executor, icd10im_center, center.password)


def _picker(qtbot, executor, cls=ProblemCodeDialog, **kwargs):
    dialog = cls(executor, None, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _shown_text(dialog) -> str | None:
    shown = dialog._shown  # the text the listed results were found for
    return shown[1] if isinstance(shown, tuple) else shown


def _type(qtbot, dialog, text: str) -> None:
    """Type as a GP does; wait until the results are those of the whole text."""
    dialog.search.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(dialog.search, char)
        else:  # QTest types ASCII only: an accented letter arrives as an input method's
            dialog.search.insert(char)
    qtbot.waitUntil(lambda: _shown_text(dialog) == text, timeout=2000)


def _codes(dialog) -> list[str]:
    model = dialog.model
    return [model.row(n).code for n in range(model.rowCount())]


def _current(table) -> int:
    return table.currentIndex().row()


def test_search_by_words_with_and_without_accents(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    assert not dialog.icd10im_offered and not dialog.icd10.isVisibleTo(dialog)
    _type(qtbot, dialog, "ipertensione")
    plain = _codes(dialog)
    # The category first; a surgical complication titled just "Ipertensione" after it.
    assert plain[0] == "401" and plain.index("401.9") < plain.index("997.91")
    _type(qtbot, dialog, "IPERTENSIÒNE")
    assert _codes(dialog) == plain
    _type(qtbot, dialog, "ipertensione arteriosa")  # the GP's words, not the 2007 list's
    assert _codes(dialog)[:4] == ["401", "401.0", "401.1", "401.9"]
    _type(qtbot, dialog, "cardiopatia ischemica")
    assert set(_codes(dialog)[:3]) <= {"414.9", "414", "414.8", "411", "411.8", "411.89"}
    _type(qtbot, dialog, "diabete mellito")
    assert _codes(dialog)[0] == "250"
    _type(qtbot, dialog, "broncopneumopatia")
    assert set(_codes(dialog)) >= {"496", "491.2"}


def test_search_by_code_and_enter_picks(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    picked: list[ProblemCode] = []
    dialog.chosen.connect(picked.append)
    _type(qtbot, dialog, "4019")  # the dot left out
    assert _codes(dialog) == ["401.9"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    expected = ProblemCode("401.9", "Ipertensione essenziale non specificata", None, "")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == expected and picked == [expected]


def test_arrows_move_and_enter_picks_the_row(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    _type(qtbot, dialog, "diabete mellito")
    second = dialog.model.row(1)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert _current(dialog.table) == 1
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.choice is not None and dialog.choice.icd9_code == second.code


def test_typing_and_enter_at_once_waits_for_the_answer(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    qtbot.keyClicks(dialog.search, "427.31")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # before the search timer fired
    assert dialog.choice == ProblemCode("427.31", "Fibrillazione atriale", None, "")


def test_procedures_are_not_diagnoses(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    _type(qtbot, dialog, "broncoscopia")  # 33.2x: a procedure of ICD-9-CM
    assert _codes(dialog) == []
    assert "broncoscopia" in dialog.status.text()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.choice is None and dialog.result() != QDialog.DialogCode.Accepted


def test_an_answer_to_an_older_text_is_dropped(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor)
    _type(qtbot, dialog, "asma")
    shown = _codes(dialog)
    dialog._on_found(CodeMatches(ICD9CM, "as", (CodeRow("999", "Vecchia risposta"),)))
    dialog._on_found(CodeMatches(ICD10IM, "asma", (CodeRow("J45", "Altro sistema"),)))
    assert _codes(dialog) == shown


def test_searches_are_read_operations(gp) -> None:
    from app.ui.lanes import Lane, lane_of

    assert lane_of(SearchCodes(ICD9CM, "asma")) is Lane.READ
    assert lane_of(FindCandidates(ICD9CM, CodeRow("427.31", ""))) is Lane.READ


def test_with_icd10im_loaded_the_candidates_are_the_gps_to_choose(qtbot, executor,
                                                                  gp_icd10im) -> None:
    dialog = _picker(qtbot, executor)
    assert dialog.icd10im_offered and dialog.icd10.isVisibleTo(dialog)
    _type(qtbot, dialog, "427.31")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.candidate_table.isVisibleTo(dialog)
    model = dialog.candidate_model
    rows = [model.row(n) for n in range(model.rowCount())]
    assert [r.code if r else None for r in rows] == ["I48.0", "I48.1", "I48.90", None]
    assert "3 codici ICD-10-IM corrispondono a 427.31" in dialog.candidates_label.text()
    # Several candidates: none is chosen for the GP, Enter alone does nothing.
    assert _current(dialog.candidate_table) == -1
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Return)
    assert dialog.choice is None
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Return)
    assert dialog.choice == ProblemCode("427.31", "Fibrillazione atriale", "I48.1",
                                        "Fibrillazione atriale persistente")


def test_a_single_candidate_is_offered_and_none_remains_possible(qtbot, executor,
                                                                 gp_icd10im) -> None:
    dialog = _picker(qtbot, executor)
    _type(qtbot, dialog, "412")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert _current(dialog.candidate_table) == 0  # I25.2, highlighted, still to confirm
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Escape)  # back to the results
    assert not dialog.candidate_table.isVisibleTo(dialog) and dialog.choice is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Down)  # "None for now"
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Return)
    assert dialog.choice == ProblemCode("412", "Infarto miocardico pregresso", None, "")


def test_icd10im_headings_are_shown_grey_and_never_picked(qtbot, executor, gp_icd10im) -> None:
    dialog = _picker(qtbot, executor)
    dialog.icd10.click()
    assert dialog.system == ICD10IM
    _type(qtbot, dialog, "I21.0")
    assert _codes(dialog) == ["I21.0", "I21.00", "I21.08"]
    heading = dialog.model.index(0, 0)
    assert dialog.model.flags(heading) == Qt.ItemFlag.NoItemFlags
    assert _current(dialog.table) == 1  # the first code that can be chosen
    qtbot.keyClick(dialog.search, Qt.Key.Key_Up)  # cannot land on the heading
    assert _current(dialog.table) == 1
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    # ICD-10-IM first: the ICD-9-CM code the problem keeps comes from the same table.
    assert [dialog.candidate_model.row(0).code] == ["410.01"]
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Return)
    assert dialog.choice is not None
    assert (dialog.choice.icd9_code, dialog.choice.icd10im_code) == ("410.01", "I21.00")
    assert dialog.choice.description.startswith("Infarto miocardico acuto")


def test_an_icd10im_code_needs_an_icd9cm_code_the_problem_keeps(qtbot, executor,
                                                               gp_icd10im) -> None:
    dialog = _picker(qtbot, executor)
    dialog.icd10.click()
    _type(qtbot, dialog, "I52.0")  # no ICD-9-CM correspondence in the table
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.candidate_model.rowCount() == 0
    assert "I52.0" in dialog.candidates_label.text()
    qtbot.keyClick(dialog.candidate_table, Qt.Key.Key_Return)
    assert dialog.choice is None and dialog.result() != QDialog.DialogCode.Accepted
    free = _picker(qtbot, executor, icd9_required=False)
    free.icd10.click()
    _type(qtbot, free, "I52.0")
    qtbot.keyClick(free.search, Qt.Key.Key_Return)
    qtbot.keyClick(free.candidate_table, Qt.Key.Key_Return)  # "None for now"
    assert free.choice == ProblemCode(
        None, "", "I52.0", "Altre malattie del cuore in malattie batteriche classificate "
        "altrove (*)")


def test_accents_and_words_in_icd10im(qtbot, executor, gp_icd10im) -> None:
    dialog = _picker(qtbot, executor)
    dialog.icd10.click()
    _type(qtbot, dialog, "fibrillazione atriale")
    with_words = _codes(dialog)
    _type(qtbot, dialog, "fibrillaziòne ATRIALE")
    assert _codes(dialog) == with_words and "I48.0" in with_words


def test_a_problem_is_recoded_among_its_candidates(qtbot, executor, gp_icd10im) -> None:
    dialog = Icd10CandidatesDialog(executor, "427.31")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 3 and _current(dialog.table) == -1
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # several: nothing chosen for the GP
    assert dialog.chosen is None and dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.chosen == "I48.0"
    nothing = Icd10CandidatesDialog(executor, "V45.81")
    qtbot.addWidget(nothing)
    assert nothing.model.rowCount() == 0 and not nothing.ok.isEnabled()


def test_the_drug_picker_finds_by_name_ingredient_aic_and_atc(qtbot, executor, gp) -> None:
    dialog = _picker(qtbot, executor, DrugPickerDialog)
    picked: list[Drug] = []
    dialog.chosen.connect(picked.append)
    _type(qtbot, dialog, "metformina")
    found = [dialog.model.row(n) for n in range(dialog.model.rowCount())]
    assert found[0].name.startswith("METFORMINA")
    assert "GLUCOPHAGE" in {d.name for d in found}  # by its active ingredient
    _type(qtbot, dialog, "C09AA05")
    assert {dialog.model.row(n).atc for n in range(dialog.model.rowCount())} == {"C09AA05"}
    _type(qtbot, dialog, "glucophage")
    first = dialog.model.row(0)
    _type(qtbot, dialog, first.aic.lstrip("0"))
    assert dialog.model.row(0) == first
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.choice == first and picked == [first]
    assert first.atc == "A10BA02" and first.atc_description == "METFORMINA"


def test_the_italian_pickers_speak_italian(qtbot, executor, gp_icd10im) -> None:
    assert i18n.language() == "it"
    problem = _picker(qtbot, executor)
    _type(qtbot, problem, "427.31")
    qtbot.keyClick(problem.search, Qt.Key.Key_Return)
    drug = _picker(qtbot, executor, DrugPickerDialog)
    _type(qtbot, drug, "ramipril")
    recode = Icd10CandidatesDialog(executor, "427.31")
    qtbot.addWidget(recode)
    found = []
    for window in (problem, drug, recode):
        for where, text in visible_texts(window):
            if UNTRANSLATED.find(text) or english_words(text):
                found.append(f"{where}: {text!r}")
    assert found == []
