"""Finding and opening patients, as a GP and as the front desk."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.patient_table import PatientTableModel
from app.ui.qt import Qt


def _search(qtbot, window: MainWindow, text: str, rows: int) -> None:
    window.find_patient()
    finder = window.finder
    finder.search.clear()
    qtbot.keyClicks(finder.search, text)
    # The results replace the recent patients once the search has answered.
    qtbot.waitUntil(lambda: finder.visible_table() is finder.table
                    and finder.lists.currentIndex() == 0
                    and finder.model.rowCount() == rows, timeout=2000)


def _cells(window: MainWindow, column: int) -> list[str]:
    model = window.finder.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_typing_a_surname_prefix_filters_the_list(qtbot, logged_in):
    window = logged_in("medico")
    _search(qtbot, window, "ros", 3)
    assert _cells(window, 0) == ["Rossi", "Rossi", "Rossini"]
    assert _cells(window, 1) == ["Anna", "Mario", "Carla"]
    assert _cells(window, 3)[1] == "12/03/1950"
    assert window.finder.count.text() == "3 pazienti"
    _search(qtbot, window, "rossi m", 1)
    assert _cells(window, 1) == ["Mario"]
    assert window.finder.count.text() == "1 paziente"
    _search(qtbot, window, "zzz", 0)
    assert window.finder.count.text() == "Nessun paziente trovato"


def test_arrow_keys_in_the_search_field_move_the_selection(qtbot, logged_in):
    window = logged_in("medico")
    _search(qtbot, window, "ros", 3)
    finder = window.finder
    assert finder.table.currentIndex().row() == 0
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    assert finder.table.currentIndex().row() == 2
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    assert finder.table.currentIndex().row() == 2
    qtbot.keyClick(finder.search, Qt.Key.Key_Up)
    assert finder.table.currentIndex().row() == 1
    assert window.context is None  # moving through the list opens nobody


def test_a_gp_sees_the_chart_summary_allergies_first(qtbot, logged_in, executor, errors):
    window = logged_in("medico")
    _search(qtbot, window, "rossi mario", 1)
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)

    assert window.current_page == "patient"
    assert window.header.name.text() == "ROSSI Mario"
    summary = window.patient_page.summary
    assert summary is not None and summary.kind == "chart"
    text = summary.toPlainText()
    assert text.index("Allergie e intolleranze") < text.index("Penicillina")
    assert text.index("Penicillina") < text.index("Problemi attivi")
    assert "Ipertensione essenziale" in text
    assert "Infezione acuta" not in text  # resolved problems stay out of the summary
    assert "Ramipril 5 mg" in text
    assert "PA sistolica" in text and "135 mmHg" in text
    assert "OpenPatient" in executor.history
    assert errors.errors == []


def test_the_secretary_sees_demographics(qtbot, logged_in, executor, errors):
    window = logged_in("segreteria")
    _search(qtbot, window, "rossi mario", 1)
    table, model = window.finder.table, window.finder.model
    rect = table.visualRect(model.index(0, 0))
    # A real double-click starts with a press; QTest's mouseDClick alone does not send one.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    panel = window.patient_page.demographics
    assert panel.kind == "demographics" and window.patient_page.summary is None
    text = panel.toPlainText()
    assert "Anagrafica" in text and window.header.name.text() == "ROSSI Mario"
    assert model.patient(0).codice_fiscale in text
    assert "Penicillina" not in text and "Allergie" not in text
    assert "I contenuti clinici non sono disponibili per il tuo ruolo." in text
    assert "OpenChartSummary" not in executor.history
    assert not window.clinical  # OpenPatient never reads the chart: it would be refused
    assert executor.history.count("OpenPatient") == 1
    assert errors.errors == []


def test_f2_focuses_the_search(qtbot, logged_in):
    window = logged_in("medico")
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.current_page == "patients"
    qtbot.waitUntil(window.finder.search.hasFocus, timeout=1000)


def test_the_patient_model_passes_qt_model_checks(qtmodeltester, center):
    from app.records.services import Records

    records = Records.open(center.root, "segreteria", center.password)
    try:
        model = PatientTableModel()
        model.set_patients(records.patients.search("r"))
        qtmodeltester.check(model, force_py=True)
    finally:
        records.close()
