"""The chart's Results tab: measures and trends, the BP plot, date ranges, tables, words.

Observations are ``EntryView`` objects as ``records.chart.open(...)`` returns them: built
here for a patient with hypertension and diabetes, and read from a real center for one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.core import i18n
from app.core.formats import drop_context
from app.records.services import Records
from app.records.services.views import EntryView
from app.ui.chart.observations import timeline
from app.ui.chart.results import ResultsView
from app.ui.chart.trend_plot import (
    DAY,
    YEAR,
    DateAxis,
    DecimalAxis,
    calendar_ticks,
    stretch_to_guides,
)
from app.ui.language import QtTranslations
from app.ui.qt import QApplication, QPoint, QPointF, Qt, QTableView, QWheelEvent
from tests.ui.visible_text import (
    UNTRANSLATED,
    english_numbers,
    english_words,
    problems_in,
    visible_texts,
)

VISITS = 36  # one every two months: six years of blood pressure, weight and HbA1c
LAST_VISIT = datetime(2025, 11, 20, 9, 30, tzinfo=UTC)
SYSTOLIC, DIASTOLIC = (150.0, 142.0, 145.0, 138.0, 147.0), (88.0, 84.0, 86.0, 80.0, 85.0)


def entry(code: str, value: float | None, unit: str | None, at: datetime,
          source: str = "manual", text: str | None = None) -> EntryView:
    fields = {"code": code, "code_system": "LOINC", "display": "", "value_num": value,
              "value_text": text, "unit": unit, "effective_at": at, "source": source}
    return EntryView("observation", f"{code}@{at.isoformat()}", "l", 1, "signed", "a", at,
                     fields)


def hypertensive_diabetic() -> list[EntryView]:
    """Five years of visits and labs, newest first as the chart service returns them."""
    entries = [entry("8302-2", 172.0, "cm", LAST_VISIT - timedelta(days=2000))]
    for i in range(VISITS):
        at = LAST_VISIT - timedelta(days=61 * i)
        entries += [entry("8480-6", SYSTOLIC[i % 5], "mm[Hg]", at),
                    entry("8462-4", DIASTOLIC[i % 5], "mm[Hg]", at),
                    entry("29463-7", 84.5 + (i % 3) / 2, "kg", at)]
        if i % 2 == 0:
            lab = at - timedelta(days=3)
            entries += [entry("4548-4", 7.4 - i / 40, "%", lab, "lab"),
                        entry("2160-0", 0.92, "mg/dL", lab, "lab"),
                        entry("33914-3", 58.0 + i % 4, "mL/min/1.73m2", lab, "lab")]
    entries.append(entry("5778-6", None, None, LAST_VISIT, "lab", text="giallo paglierino"))
    return sorted(entries, key=lambda e: e.fields["effective_at"], reverse=True)


@pytest.fixture
def view(qtbot) -> ResultsView:
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.resize(1400, 900)
    shown.show()
    shown.show_observations("p1", hypertensive_diabetic())
    return shown


def cells(table: QTableView, column: int, rows: int = 5) -> list[str]:
    model = table.model()
    return [model.data(model.index(r, column)) for r in range(min(rows, model.rowCount()))]


def column_of(table: QTableView, title: str) -> int:
    model = table.model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return titles.index(title)


# -- tables ------------------------------------------------------------------------------
def test_the_list_shows_each_measure_with_its_latest_value_and_trend(view):
    rows = {item.data(0, Qt.ItemDataRole.UserRole): (item.text(1), item.text(2), item.text(3))
            for item in view.measure_items()}
    assert rows["bp"] == ("150/88 mmHg", "20/11/2025", "↑")  # 150/88 after 142/84
    assert rows["hba1c"] == ("7,4%", "17/11/2025", "→")
    assert rows["weight"][0] == "84,5 kg"
    assert rows["egfr"][0] == "58 mL/min/1,73 m²"
    assert rows["bmi"][0] == "28,6 kg/m²"  # computed: no BMI was recorded
    assert set(rows) >= {"bp", "weight", "bmi", "height", "hba1c", "creatinine", "egfr"}


def test_the_bp_table_shows_pairs_in_mmhg_newest_first(view):
    view.select_measure("bp")
    dates, values = cells(view.readings, 0), cells(view.readings, 1)
    assert dates[:2] == ["20/11/2025", "20/09/2025"]
    assert values[:2] == ["150/88 mmHg", "142/84 mmHg"]
    assert cells(view.readings, 2)[0] == "Inserito a mano"
    model = view.readings.model()
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None  # 150/88
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ForegroundRole) is not None  # 142/84
    assert model.data(model.index(3, 1), Qt.ItemDataRole.ForegroundRole) is None  # 138/80
    assert model.rowCount() == VISITS


def test_weights_show_the_bmi_computed_from_the_height(view):
    view.select_measure("weight")
    bmi = column_of(view.readings, "IMC")
    assert cells(view.readings, 1, 2) == ["84,5 kg", "85,0 kg"]
    assert cells(view.readings, bmi, 2) == ["28,6 kg/m²", "28,7 kg/m²"]
    view.select_measure("bmi")
    assert cells(view.readings, 2, 1) == ["Calcolato"]


def test_the_tables_tab_is_a_flowsheet_of_one_kind(view):
    view.tabs.setCurrentIndex(1)  # made when first looked at
    assert view.kind == "vitals"
    table = view.flowsheet
    assert cells(table, column_of(table, "Pressione arteriosa"), 1) == ["150/88 mmHg"]
    view.kind_buttons["labs"].click()
    assert view.kind == "labs"
    assert cells(table, 0, 2) == ["20/11/2025", "17/11/2025"]  # newest first
    assert cells(table, column_of(table, "Creatinina"), 2) == ["", "0,92 mg/dL"]
    # a value given as text only is shown as text, in a column of its own
    assert cells(table, table.model().columnCount() - 1, 1) == ["giallo paglierino"]


def test_no_ucum_unit_and_no_decimal_point_anywhere(view):
    texts = []
    for key in ("bp", "hba1c", "weight", "bmi", "egfr", "creatinine"):
        view.select_measure(key)
        texts += cells(view.readings, 1, 30)
    view.tabs.setCurrentIndex(1)
    for kind in ("vitals", "labs"):
        view.show_kind(kind)
        model = view.flowsheet.model()
        texts += [model.data(model.index(r, c)) for r in range(model.rowCount())
                  for c in range(model.columnCount())]
    shown = " ".join(texts)
    assert "mm[Hg]" not in shown and "1.73" not in shown
    assert not re.search(r"\d\.\d", shown)


# -- the plots ---------------------------------------------------------------------------
def test_the_bp_plot_has_systolic_and_diastolic_with_a_point_per_visit(view):
    view.select_measure("bp")
    plot = view.plot
    assert [s.label for s in plot.series] == ["Sistolica", "Diastolica"]
    assert [len(c.getData()[0]) for c in plot.curves] == [VISITS, VISITS]
    assert plot.curves[0].getData()[1][-1] == 150.0  # the newest systolic, last in time
    assert plot.curves[1].getData()[1][-1] == 88.0
    assert plot.spans is not None and len(plot.spans.getData()[0]) == 2 * VISITS
    assert plot.guides == [140, 90]
    assert plot.title.text() == "Pressione arteriosa"


def test_the_hba1c_plot_has_its_target_line(view):
    view.select_measure("hba1c")
    assert len(view.plot.curves) == 1
    assert len(view.plot.curves[0].getData()[0]) == VISITS // 2
    assert view.plot.guides == [7]
    low, high = view.plot.view.viewRange()[1]
    assert low < 6.7 and high > 7.4  # every value and the 7% line in sight


def test_range_buttons_change_the_dates_shown(view):
    view.select_measure("bp")
    plot = view.plot
    everything = plot.visible_range()
    last = timeline(LAST_VISIT)
    first = timeline(LAST_VISIT - timedelta(days=61 * (VISITS - 1)))
    assert everything[0] < first and everything[1] > last
    one_year, five_years, all_button = plot.range_buttons[1], plot.range_buttons[2], \
        plot.range_buttons[0]
    assert all_button.text() == "Tutto" and all_button.isChecked()
    one_year.click()
    low, high = plot.visible_range()
    assert one_year.isChecked() and not all_button.isChecked()
    assert high >= last and abs((high - low) - 1.06 * YEAR) < 2 * DAY
    five_years.click()
    low, high = plot.visible_range()
    assert abs((high - low) - 5.3 * YEAR) < 2 * DAY and low > everything[0]
    all_button.click()
    assert plot.visible_range() == pytest.approx(everything)


def test_the_range_chosen_stays_when_another_measure_is_shown(view):
    view.select_measure("bp")
    view.plot.range_buttons[1].click()
    view.select_measure("weight")
    assert view.plot.range_buttons[1].isChecked()
    low, high = view.plot.visible_range()
    assert high - low < 1.1 * YEAR


def test_the_wheel_zooms_the_dates_and_unchecks_the_range(qtbot, view):
    view.select_measure("bp")
    plot = view.plot
    before = plot.visible_range()
    area = plot.plot.viewport()
    centre = QPointF(area.rect().center())
    wheel = QWheelEvent(centre, QPointF(area.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(area, wheel)  # what one notch of a mouse wheel sends
    after = plot.visible_range()
    assert after[1] - after[0] < before[1] - before[0]  # zoomed in on the dates
    assert not any(b.isChecked() for b in plot.range_buttons)


def test_a_point_under_the_mouse_tells_its_date_and_value(view):
    view.select_measure("bp")
    plot = view.plot
    plot.range_buttons[1].click()
    newest = QPointF(timeline(LAST_VISIT), 150.0)
    assert plot.point_tip(newest, 8) == "20/11/2025 10:30\n150/88 mmHg"
    far = QPointF(timeline(LAST_VISIT) - 30 * DAY, 110.0)
    assert plot.point_tip(far, 8) == ""


def test_weight_without_a_height_says_bmi_was_not_calculated(qtbot):
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    shown.show_observations("p2", [entry("29463-7", 70.0, "kg", LAST_VISIT)])
    assert shown.measure_key == "weight"
    assert "altezza non registrata" in shown.plot.title.text()
    assert [i.data(0, Qt.ItemDataRole.UserRole) for i in shown.measure_items()] == ["weight"]


def test_the_axes_write_dates_and_decimals_the_italian_way(qtbot):
    dates = DateAxis()
    at = datetime(2024, 3, 5, tzinfo=UTC).timestamp()
    assert dates.tickStrings([at], 1.0, DAY) == ["05/03/2024"]
    assert dates.tickStrings([at], 1.0, YEAR / 12) == ["03/2024"]
    assert dates.tickStrings([at], 1.0, YEAR) == ["2024"]
    assert DecimalAxis().tickStrings([6.5, 7.0], 1.0, 0.5) == ["6,5", "7,0"]
    assert DecimalAxis().tickStrings([120.0, 140.0], 1.0, 20) == ["120", "140"]
    years = calendar_ticks("year", 1, datetime(2020, 6, 1, tzinfo=UTC).timestamp(),
                           datetime(2023, 6, 1, tzinfo=UTC).timestamp())
    assert [datetime.fromtimestamp(t, UTC).date().isoformat() for t in years] == [
        "2021-01-01", "2022-01-01", "2023-01-01"]
    months = calendar_ticks("month", 3, datetime(2024, 1, 15, tzinfo=UTC).timestamp(),
                            datetime(2024, 12, 31, tzinfo=UTC).timestamp())
    assert [datetime.fromtimestamp(t, UTC).month for t in months] == [4, 7, 10]


def test_the_values_axis_reaches_the_nearest_reference_lines():
    assert stretch_to_guides(70, 90, (60, 30, 15)) == (60, 90)
    assert stretch_to_guides(5.8, 6.6, (7,)) == (5.8, 7)
    assert stretch_to_guides(120, 150, (140, 90)) == (90, 150)


# -- empty, hidden, real --------------------------------------------------------------------
def test_a_patient_without_results_shows_a_message(qtbot):
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    assert shown.patient_id is None and shown.empty.text() == "Nessun paziente aperto."
    shown.show_observations("p3", [])
    assert shown.patient_id == "p3"
    assert shown.stack.currentWidget() is shown.empty
    assert shown.empty.text() == "Nessun risultato registrato per questo paziente."
    shown.clear()
    assert shown.patient_id is None


def test_a_hidden_tab_draws_when_shown(qtbot):
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show_observations("p1", hypertensive_diabetic())
    assert shown.patient_id == "p1" and shown.measure_items() == []  # nothing drawn yet
    shown.show()
    assert shown.measure_key == "bp" and len(shown.plot.curves) == 2


def test_entered_in_error_values_are_left_out(qtbot):
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    wrong = entry("4548-4", 17.0, "%", LAST_VISIT, "lab")
    wrong = EntryView(**{**wrong.__dict__, "status": "entered-in-error"})
    shown.show_observations("p1", [wrong, entry("4548-4", 7.0, "%", LAST_VISIT, "lab")])
    assert [i.text(1) for i in shown.measure_items()] == ["7,0%"]


def test_a_real_chart(qtbot, center):
    records = Records.open(center.root, "medico", center.password)
    try:
        observations = records.chart.open(center.mario_id).of("observation")
    finally:
        records.close()
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    shown.show_observations(center.mario_id, observations)
    assert shown.measure_key == "bp"
    assert cells(shown.readings, 1, 1) == ["135/– mmHg"]  # a systolic with no diastolic
    assert [len(c.getData()[0]) for c in shown.plot.curves] == [1]


# -- words -------------------------------------------------------------------------------------
def test_no_english_in_the_italian_tab(qtbot, view):
    translations = QtTranslations()
    translations.apply("it")
    try:
        for tab in (0, 1):
            view.tabs.setCurrentIndex(tab)
            for key in ("bp", "weight", "egfr"):
                view.select_measure(key)
                problems = problems_in([view])
                assert not problems, "\n".join(problems)
        # The list's rows sit under their kind's title, where the window reader stops.
        rows = [item.text(c) for item in view.measure_items() for c in range(3)]
        rows += [item.toolTip(3) for item in view.measure_items()]
        assert "Pressione arteriosa" in rows and "in aumento" in rows
        english = [t for t in rows if UNTRANSLATED.find(t) or english_words(t)
                   or english_numbers(t)]
        assert not english, english
        # What pyqtgraph draws is no widget: the legend and the axis title.
        assert not view.plot.legend.isVisible()  # one line: no legend
        view.select_measure("bp")
        assert view.plot.legend.isVisible()
        legend = [item.text for _sample, item in view.plot.legend.items]
        assert legend == ["Sistolica", "Diastolica"]
        assert view.plot.plot.getAxis("left").labelText == "mmHg"
    finally:
        translations.apply("en")


def test_english_words_in_the_english_tab(qtbot, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    shown.show_observations("p1", hypertensive_diabetic())
    texts = {text for _where, text in visible_texts(shown)}
    assert {"Blood pressure", "Trends", "Tables", "All", "1 year", "5 years"} <= texts
    assert "150/88 mmHg" in texts and "Entered by hand" in texts
    shown.select_measure("hba1c")
    assert "7.4%" in {text for _where, text in visible_texts(shown)}
    assert drop_context("date range|All") in texts


def test_a_refresh_keeps_the_measure_shown_and_a_new_patient_starts_afresh(view):
    view.select_measure("egfr")
    view.tabs.setCurrentIndex(1)
    view.kind_buttons["labs"].click()
    newer = entry("33914-3", 52.0, "mL/min/1.73m2", LAST_VISIT + timedelta(days=5), "lab")
    view.show_observations("p1", [newer, *hypertensive_diabetic()])  # a value was added
    assert view.measure_key == "egfr" and view.kind == "labs"
    assert cells(view.readings, 1, 1) == ["52 mL/min/1,73 m²"]
    view.show_observations("p2", hypertensive_diabetic())
    assert view.measure_key == "bp" and view.kind == "vitals"
