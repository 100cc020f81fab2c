"""The chart's journal: clinical-time order, filters (the problem-oriented view above all),
virtualised rows, and the detail of an entry with its versions side by side."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.records.services import Records
from app.records.services.views import (
    Chart,
    EntryView,
    PatientInput,
    PatientSummary,
    UserView,
)
from app.ui.chart.chart_text import Names, problem_names
from app.ui.chart.entry_detail import EntryDetailDialog, ReadEntryHistory
from app.ui.chart.journal import JournalFilter, JournalView, journal_rows
from app.ui.language import QtTranslations
from app.ui.qt import QApplication, QDate, QHeaderView, QLabel, Qt
from app.ui.shell_ops import OpenPatient, PatientContext
from tests.ui.conftest import PASSWORD, build_center
from tests.ui.visible_text import problems_in


@dataclass(frozen=True)
class Linked:
    """A chart whose entries are linked to two problems (and some to none)."""

    root: Path
    patient_id: str
    diabetes: str
    hypertension: str
    diabetes_visit: str
    hypertension_visit: str
    old_visit: str
    metformin: str
    ramipril: str
    hba1c: str
    pressure: str
    referral: str


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Linked:
    root = build_center(tmp_path_factory.mktemp("journal") / "centro").root
    gp = Records.open(root, "medico", PASSWORD)
    try:
        c = gp.clinical
        pid = gp.patients.register(PatientInput("Giornale", "Prova", "F", date(1952, 4, 2),
                                                "Milano")).id
        diabetes = c.add_problem(pid, "250.00", "Diabete mellito tipo 2",
                                 clinical_status="chronic", onset=date(2015, 3, 1))
        hypertension = c.add_problem(pid, "401.9", "Ipertensione essenziale")
        diabetes_visit = c.record_encounter(pid, _at(2025, 5, 10), assessment="Diabete in compenso",
                                            problem_ids=(diabetes,))
        hypertension_visit = c.record_encounter(pid, _at(2025, 6, 10), assessment="PA elevata",
                                                problem_ids=(hypertension,))
        old_visit = c.record_encounter(pid, _at(2014, 2, 1), subjective="Tosse da una settimana")
        metformin = c.add_medication(pid, "A10BA02", "Metformina 1000 mg", dosage="1 cp x 2",
                                     chronic=True)
        c.correct("medication", metformin, {"problem_id": diabetes}, "collegata al diabete")
        ramipril = c.add_medication(pid, "C09AA05", "Ramipril 5 mg", dosage="1 cp", chronic=True)
        hba1c = c.record_observation(pid, "4548-4", _at(2025, 5, 10), value_num=7.2, unit="%",
                                     display="HbA1c")
        c.correct("observation", hba1c, {"encounter_id": diabetes_visit}, "esito della visita")
        pressure = c.record_observation(pid, "8480-6", _at(2025, 6, 20), value_num=150.0,
                                        unit="mm[Hg]", display="PA sistolica")
        referral = c.prescribe(pid, "", "Visita cardiologica", quantity=1)
        c.correct("prescription", referral, {"problem_id": hypertension, "item_kind": "specialist",
                                             "priority": "D"}, "impegnativa collegata")
    finally:
        gp.close()
    return Linked(root, pid, diabetes, hypertension, diabetes_visit, hypertension_visit,
                  old_visit, metformin, ramipril, hba1c, pressure, referral)


@dataclass(frozen=True)
class Page:
    """What the chart page gets from the window's patient context."""

    chart: Chart
    users: tuple[UserView, ...]


@pytest.fixture
def page(linked: Linked, executor) -> Page:
    """The linked chart read through the window's own operation, as the GP."""
    executor.backend.attach(Records.open(linked.root, "medico", PASSWORD))
    found: list[PatientContext] = []
    executor.run(OpenPatient(linked.patient_id, clinical=True), found.append)
    assert found[0].record is not None
    return Page(found[0].record, found[0].staff)


@pytest.fixture
def journal(qtbot, executor, page: Page) -> Iterator[JournalView]:
    view = JournalView(executor)
    qtbot.addWidget(view)
    view.show_chart(page.chart, page.users, today=date(2026, 3, 2))
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    yield view
    if view.detail is not None:
        view.detail.close()


def _shown(view: JournalView) -> set[tuple[str, str]]:
    model = view.model
    return {(model.row(i).entry.kind, model.row(i).entry.lineage_id)
            for i in range(model.rowCount())}


def test_the_journal_filtered_by_problem_shows_only_linked_entries(journal, linked):
    journal.set_problem_filter(linked.diabetes)
    assert _shown(journal) == {("problem", linked.diabetes),
                               ("encounter", linked.diabetes_visit),
                               ("medication", linked.metformin),
                               ("observation", linked.hba1c)}  # via its visit
    journal.set_problem_filter(linked.hypertension)
    assert _shown(journal) == {("problem", linked.hypertension),
                               ("encounter", linked.hypertension_visit),
                               ("prescription", linked.referral)}
    assert journal.count.text() == f"3 di {len(journal.model.rows)} voci"
    journal.set_problem_filter(None)
    assert len(_shown(journal)) == len(journal.model.rows) >= 10


def test_the_problem_column_names_the_linked_problem(journal, linked):
    model = journal.model
    visit = next(i for i in range(model.rowCount())
                 if model.row(i).entry.lineage_id == linked.diabetes_visit)
    assert model.index(visit, 4).data() == "Diabete mellito tipo 2"
    assert model.index(visit, 1).data() == "Visita"
    assert "Diabete in compenso" in model.index(visit, 2).data()


def test_entries_in_clinical_time_order_newest_first(journal, linked):
    model = journal.model
    times = [model.row(i).when for i in range(model.rowCount())]
    assert times == sorted(times, reverse=True)
    order = [model.row(i).entry.lineage_id for i in range(model.rowCount())]
    # The 2014 visit was recorded last but happened first: it comes after the 2025 ones.
    assert order.index(linked.old_visit) > order.index(linked.diabetes_visit)
    assert order[-1] == linked.old_visit
    assert model.index(order.index(linked.old_visit), 0).data() == "01/02/2014"


def test_filters_by_kind_author_and_date(journal, linked, page):
    journal.kind.setCurrentIndex(journal.kind.findData("observation"))
    assert _shown(journal) == {("observation", linked.hba1c), ("observation", linked.pressure)}
    journal.kind.setCurrentIndex(0)
    gp_id = next(u.id for u in page.users if u.username == "medico")
    journal.author.setCurrentIndex(journal.author.findData(gp_id))
    assert len(_shown(journal)) == len(journal.model.rows)
    journal.author.setCurrentIndex(0)
    journal.period.setCurrentIndex(journal.period.findData("year"))  # since 02/03/2025
    shown = _shown(journal)
    assert ("encounter", linked.diabetes_visit) in shown
    assert ("encounter", linked.old_visit) not in shown
    journal.period.setCurrentIndex(journal.period.findData("range"))
    assert journal.since.isEnabled()
    journal.since.setDate(QDate(2025, 5, 1))
    journal.until.setDate(QDate(2025, 5, 31))
    assert _shown(journal) == {("encounter", linked.diabetes_visit),
                               ("observation", linked.hba1c)}
    journal.period.setCurrentIndex(0)
    assert not journal.since.isEnabled()
    assert len(_shown(journal)) == len(journal.model.rows)


@pytest.fixture
def qt_italian(qapp: QApplication) -> Iterator[None]:
    """Qt's own words (the dialog's Close button) in Italian, as the program installs them."""
    translations = QtTranslations()
    translations.apply("it")
    yield
    translations.apply("en")


def test_enter_opens_the_detail_with_both_versions_side_by_side(qtbot, journal, linked,
                                                                 qt_italian):
    model = journal.model
    row = next(i for i in range(model.rowCount())
               if model.row(i).entry.lineage_id == linked.metformin)
    journal.table.setFocus()
    journal.table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(journal.table, Qt.Key.Key_Return)
    detail = journal.detail
    assert isinstance(detail, EntryDetailDialog)
    qtbot.waitUntil(detail.isVisible)
    assert [v.version for v in detail.versions] == [1, 2]
    table = detail.table
    assert table.columnCount() == 2
    assert [table.horizontalHeaderItem(c).text() for c in range(2)] == ["Versione 1",
                                                                        "Versione 2"]
    assert detail.changed_cells() == [("Problema", 2)]
    cells = {table.verticalHeaderItem(r).text(): [table.item(r, c).text() for c in range(2)]
             for r in range(table.rowCount())}
    assert cells["Motivo della correzione"] == ["", "collegata al diabete"]
    assert cells["Problema"] == ["", "Diabete mellito tipo 2"]
    assert cells["Stato"] == ["firmato", "firmato"]
    assert cells["Autore"][1] == "Dott.ssa Laura Neri"
    assert "Metformina 1000 mg" in " ".join(label.text()
                                            for label in detail.fields.findChildren(QLabel))
    assert problems_in([journal, detail]) == []


def test_the_detail_says_entered_in_error(qtbot, executor, linked, page):
    pressure = next(o for o in page.chart.of("observation") if o.lineage_id == linked.pressure)
    gp = Records.open(linked.root, "medico", PASSWORD)
    try:
        gp.clinical.mark_entered_in_error("observation", linked.pressure, "paziente sbagliato")
    finally:
        gp.close()
    history: list[tuple[EntryView, ...]] = []
    executor.run(ReadEntryHistory("observation", linked.pressure), history.append)
    assert [v.status for v in history[0]] == ["signed", "entered-in-error"]
    dialog = EntryDetailDialog(executor, pressure, journal_names(page))
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.verticalHeaderItem(r).text() == "Stato")
    assert dialog.table.item(row, 1).text() == "inserito per errore"
    assert "150 mmHg" in dialog.table.item(
        next(r for r in range(dialog.table.rowCount())
             if dialog.table.verticalHeaderItem(r).text() == "Valore"), 0).text()


def journal_names(page: Page) -> Names:
    return Names({u.id: u.full_name for u in page.users}, problem_names(page.chart))


# -- a heavy chart: virtualised rows, fast filters --------------------------------------------
def _heavy_chart(count: int = 8000) -> Chart:
    patient = PatientSummary("p", "X", "Rossi", "Mario", "M", date(1940, 1, 1), "Milano")
    start = datetime(2006, 1, 1, 9, 0, tzinfo=UTC)
    problems = [EntryView("problem", f"pb{i}", f"pb{i}", 1, "signed", "u1", start,
                          {"icd9_code": "250.00", "description": f"Problema {i}",
                           "clinical_status": "chronic"}) for i in range(4)]
    visits, observations = [], []
    for i in range(count // 8):
        at = start + timedelta(days=7 * i)
        visits.append(EntryView("encounter", f"v{i}", f"v{i}", 1, "signed", "u1", at,
                                {"started_at": at, "kind": "ambulatory",
                                 "assessment": f"Controllo {i}", "problem_ids": f"pb{i % 4}"}))
        for j in range(7):
            observations.append(EntryView(
                "observation", f"o{i}-{j}", f"o{i}-{j}", 1, "signed", "u2", at,
                {"code": "8480-6", "display": "PA sistolica", "value_num": 130.0 + j,
                 "unit": "mm[Hg]", "effective_at": at, "encounter_id": f"v{i}"}))
    return Chart(patient, {"problem": problems, "encounter": visits,
                           "observation": observations})


def test_a_heavy_journal_describes_only_the_rows_on_screen(qtbot, executor):
    chart = _heavy_chart()
    view = JournalView(executor)
    qtbot.addWidget(view)
    view.show_chart(chart, ())
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    model = view.model
    assert model.rowCount() == 8004
    assert 0 < len(model._described) < 60  # only what was painted, not 8,004 descriptions
    rows = view.table.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    started = time.perf_counter()
    view.set_problem_filter("pb1")
    elapsed = time.perf_counter() - started
    assert model.rowCount() == 1 + 250 + 250 * 7  # the problem, its visits, their results
    assert elapsed < 1.0  # generous: the benchmark measures it (a few ms)


def test_journal_rows_link_results_through_either_visit_id():
    chart = _heavy_chart(16)
    rows = journal_rows(chart)
    only = JournalFilter(problem="pb0")
    assert {r.entry.lineage_id for r in rows if only.matches(r)} == {
        "pb0", "v0", *(f"o0-{j}" for j in range(7))}


def test_open_entry_from_the_summary_finds_it_even_when_filtered_out(qtbot, journal, linked):
    journal.set_problem_filter(linked.hypertension)
    assert journal.open_entry("problem", linked.diabetes)  # filtered out, still opened
    assert journal.detail is not None and journal.detail.entry.lineage_id == linked.diabetes
    qtbot.waitUntil(lambda: len(journal.detail.versions) == 1)
    assert journal.detail.windowTitle().startswith("Problema del 01/03/2015")  # its onset
    assert not journal.open_entry("problem", "not-in-this-chart")
