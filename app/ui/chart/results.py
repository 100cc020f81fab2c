"""The Results tab of the chart: what was measured, its trends, and the values as tables.

"Trends" lists every measure by kind (vital signs, laboratory, other) with its latest
value, date and direction; the one selected is plotted (``TrendPlot``) above its values
(``results_tables``).
"Tables" shows one kind as a flowsheet: a row per moment, a column per measure, as a
GP reads a lab report. Values are written the Italian way (7,2%; 135/85 mmHg); the
tables format only the cells on screen, so a chart of thousands of values opens at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from app.core.formats import display_unit, format_date, format_datetime
from app.core.i18n import _
from app.records.services.views import EntryView
from app.ui.chart.observations import (
    ARROWS,
    KINDS,
    MEASURE_BY_KEY,
    Kind,
    Measure,
    Reading,
    Results,
    direction_words,
    flowsheet,
    format_guide,
    format_pressure,
    format_reading,
    gather,
    height_at,
    kind_titles,
    measure_title,
    out_of_range,
    pressure_high,
    timeline,
    trend_direction,
    weight_bands,
)
from app.ui.chart.results_tables import (
    FLAG_COLOR,
    LazyTableModel,
    bold_font,
    fit_columns,
    flowsheet_model,
    nothing,
    readings_model,
    table_look,
)
from app.ui.chart.trend_plot import Guide, PlotSeries, Span, TrendPlot
from app.ui.qt import (
    QBrush,
    QButtonGroup,
    QColor,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QShowEvent,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import row_table

SYSTOLIC_COLOR, DIASTOLIC_COLOR = "#b3261e", "#1f5fa8"
LINE_COLOR = "#0b5394"
KEY_ROLE = Qt.ItemDataRole.UserRole
# The measure shown first: what a GP looks at first in a chronic patient.
FIRST_CHOICE = ("bp", "hba1c", "weight", "egfr", "ldl", "spo2")


def _values(readings: Sequence[Reading]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Times and values of the readings that can be plotted, and their indexes."""
    kept = [i for i, r in enumerate(readings) if r.value is not None]
    x = np.fromiter((timeline(readings[i].at) for i in kept), np.float64, len(kept))
    y = np.fromiter((readings[i].value or 0.0 for i in kept), np.float64, len(kept))
    return x, y, kept


def _tip(measure: Measure, readings: Sequence[Reading], kept: list[int]) -> Callable[[int], str]:
    def tip(i: int) -> str:
        reading = readings[kept[i]]
        return f"{format_datetime(reading.at)}\n{format_reading(measure, reading)}"
    return tip


class ResultsView(QWidget):
    """The Results tab: measures with trends and tables of one patient's observations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self._patient_id: str | None = None
        self.results = Results()
        self.measure_key: str | None = None
        self.kind: Kind = "vitals"
        self._sheet_kind: Kind | None = None  # the kind the flowsheet holds
        self._pending: Sequence[EntryView] | None = None  # arrived while hidden
        self._kept: tuple[str, Kind] | None = None  # the measure and table kept on a refresh

        self.empty = QLabel()
        self.empty.setObjectName("resultsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultsTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._make_trends(), _("Trends"))
        self.tabs.addTab(self._make_tables(), _("Tables"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.clear()

    def _make_trends(self) -> QWidget:
        self.measures = QTreeWidget()
        self.measures.setObjectName("resultsMeasures")
        self.measures.setHeaderLabels([_("Measure"), _("Latest value"), _("Date"), ""])
        self.measures.setRootIsDecorated(False)
        self.measures.setUniformRowHeights(True)
        self.measures.setAlternatingRowColors(True)
        header = self.measures.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.measures.currentItemChanged.connect(self._measure_chosen)

        self.plot = TrendPlot()
        self.readings_model = LazyTableModel([], 0, nothing)
        self.readings = row_table(self.readings_model, "resultsReadings")
        table_look(self.readings)
        self.readings.horizontalHeader().setStretchLastSection(True)
        # The plot takes the height; the list of measures and the values share the side.
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.measures)
        side.addWidget(self.readings)
        side.setSizes([400, 500])
        trends = QSplitter(Qt.Orientation.Horizontal)
        trends.setObjectName("resultsTrends")
        trends.addWidget(side)
        trends.addWidget(self.plot)
        trends.setStretchFactor(1, 1)
        trends.setSizes([420, 980])
        return trends

    def _make_tables(self) -> QWidget:
        tables = QWidget()
        self.kind_buttons: dict[Kind, QPushButton] = {}
        self.kind_group = QButtonGroup(self)
        kinds_row = QHBoxLayout()
        for kind, title in kind_titles().items():
            button = QPushButton(title)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setObjectName(f"resultsKind_{kind}")
            button.clicked.connect(lambda _checked=False, k=kind: self.show_kind(k))
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds_row.addWidget(button)
        kinds_row.addStretch(1)
        self.flowsheet_model = LazyTableModel([], 0, nothing)
        self.flowsheet = row_table(self.flowsheet_model, "resultsFlowsheet")
        table_look(self.flowsheet)
        layout = QVBoxLayout(tables)
        layout.addLayout(kinds_row)
        layout.addWidget(self.flowsheet, 1)
        return tables

    # -- the API ---------------------------------------------------------------------------------
    @property
    def patient_id(self) -> str | None:
        """The patient shown (None when empty)."""
        return self._patient_id

    def show_observations(self, patient_id: str, observations: Sequence[EntryView]) -> None:
        """Show one patient's observation entries (any order; entered-in-error left out).

        A hidden tab keeps them until it is shown: opening a chart on another tab costs
        nothing here. The same patient again (a refresh) keeps the measure and table shown.
        """
        if patient_id != self._patient_id:
            self._kept = None
        elif self.measure_key is not None:
            self._kept = (self.measure_key, self.kind)  # a refresh keeps what was looked at
        self._patient_id = patient_id
        self._pending = observations
        if self.isVisible():
            self._render()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Draw what arrived while hidden."""
        super().showEvent(event)
        if self._pending is not None:
            self._render()

    def _render(self) -> None:
        observations, self._pending = self._pending or (), None
        self.results = gather(e for e in observations if e.status != "entered-in-error")
        self._sheet_kind = None
        if self.results.empty:
            self._show_empty(_("No results recorded for this patient."))
            return
        self.stack.setCurrentWidget(self.tabs)
        self._fill_measures()
        kept, self._kept = self._kept, None
        first = next((k for k in FIRST_CHOICE if self.results.of(k)), None) or next(
            k for kind in KINDS for k in self.results.keys(kind))
        if kept is not None and self.results.of(kept[0]):
            first = kept[0]
        self.select_measure(first)
        self.kind = self.results.measures[first].kind
        if kept is not None and self.results.keys(kept[1]):
            self.kind = kept[1]
        self.kind_buttons[self.kind].setChecked(True)
        if self.tabs.currentIndex() == 1:
            self.show_kind(self.kind)

    def clear(self) -> None:
        """No patient."""
        self._patient_id = None
        self._pending = None
        self._kept = None
        self.results = Results()
        self._sheet_kind = None
        self._show_empty(_("No patient open."))

    def select_measure(self, key: str) -> None:
        """Plot one measure and list its values ("bp", "hba1c", ... as in observations)."""
        for item in self.measure_items():
            if item.data(0, KEY_ROLE) == key:
                self.measures.setCurrentItem(item)
                return
        raise KeyError(key)

    def measure_items(self) -> list[QTreeWidgetItem]:
        """The rows of the measures list (not their kind's title)."""
        groups = (self.measures.topLevelItem(i) for i in range(self.measures.topLevelItemCount()))
        return [item for group in groups if group is not None
                for item in (group.child(j) for j in range(group.childCount()))
                if item is not None]

    def show_kind(self, kind: Kind) -> None:
        """The flowsheet of one kind of result."""
        self.kind = kind
        self.kind_buttons[kind].setChecked(True)
        self._sheet_kind = kind
        self.flowsheet_model = flowsheet_model(self.results, flowsheet(self.results, kind))
        self.flowsheet.setModel(self.flowsheet_model)
        fit_columns(self.flowsheet)

    # -- filling -------------------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        # The flowsheet is made when first looked at: opening a chart need not pay for it.
        if index == 1 and self._sheet_kind != self.kind and not self.results.empty:
            self.show_kind(self.kind)

    def _show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self.stack.setCurrentWidget(self.empty)
        self.measures.clear()
        self.measure_key = None
        self.plot.show_empty("")
        self.readings_model = LazyTableModel([], 0, nothing)
        self.readings.setModel(self.readings_model)
        self.flowsheet_model = LazyTableModel([], 0, nothing)
        self.flowsheet.setModel(self.flowsheet_model)

    def _fill_measures(self) -> None:
        self.measures.blockSignals(True)
        self.measures.clear()
        for kind, title in kind_titles().items():
            keys = self.results.keys(kind)
            self.kind_buttons[kind].setEnabled(bool(keys))
            if not keys:
                continue
            group = QTreeWidgetItem([title])
            group.setFont(0, bold_font())
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.measures.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            group.addChildren([self._measure_item(key) for key in keys])
            group.setExpanded(True)
        self.measures.blockSignals(False)

    def _measure_item(self, key: str) -> QTreeWidgetItem:
        measure = self.results.measures[key]
        readings = self.results.of(key)
        last = readings[-1]
        if key == "bp":
            pair = self.results.blood_pressure[-1]
            value, flagged = format_pressure(pair), pressure_high(pair)
        else:
            value, flagged = format_reading(measure, last), out_of_range(measure, last)
        item = QTreeWidgetItem([measure_title(measure), value, format_date(last.at), ""])
        item.setData(0, KEY_ROLE, key)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if flagged:
            item.setForeground(1, QBrush(QColor(FLAG_COLOR)))
            item.setFont(1, bold_font())
        direction = trend_direction(readings, measure.change)
        if direction is not None:
            item.setText(3, ARROWS[direction])
            item.setToolTip(3, direction_words(direction))
        return item

    def _measure_chosen(self, current: QTreeWidgetItem | None, *_args: object) -> None:
        key = current.data(0, KEY_ROLE) if current is not None else None
        if not key:
            return
        self.measure_key = str(key)
        self._plot(self.measure_key)
        self.readings_model = readings_model(self.results, self.measure_key)
        self.readings.setModel(self.readings_model)
        fit_columns(self.readings)

    # -- the plot --------------------------------------------------------------------------------
    def _plot(self, key: str) -> None:
        measure = self.results.measures[key]
        title = measure_title(measure)
        unit = display_unit(measure.unit)
        years = self.plot.chosen_range  # the range chosen for the last measure, kept
        if key == "bp":
            self._plot_pressure(title, unit, years)
            return
        guides = [Guide(g, format_guide(measure, g)) for g in measure.guides]
        bands = measure.bands
        readings = self.results.of(key)
        x, y, kept = _values(readings)
        if key == "weight":
            height = height_at(self.results.of("height"), readings[-1].at)
            bands = weight_bands(height)
            square = ((height or 0) / 100) ** 2
            guides = [Guide(b * square, _("BMI {value}").format(value=b))
                      for b in (25, 30)] if height else []
            if not height:
                title = _("{measure} (no height recorded: BMI not calculated)").format(
                    measure=title)
        series = PlotSeries(title, x, y, LINE_COLOR, _tip(measure, readings, kept))
        self.plot.set_series([series], title=title, unit=unit, bands=bands, guides=guides,
                             years=years)

    def _plot_pressure(self, title: str, unit: str, years: float | None) -> None:
        pairs = self.results.blood_pressure
        measure = MEASURE_BY_KEY["bp"]
        x = np.fromiter((timeline(p.at) for p in pairs), np.float64, len(pairs))
        high = np.array([np.nan if p.systolic is None else p.systolic for p in pairs])
        low = np.array([np.nan if p.diastolic is None else p.diastolic for p in pairs])

        def tip(index: np.ndarray) -> Callable[[int], str]:
            def text(i: int) -> str:
                pair = pairs[int(index[i])]
                return f"{format_datetime(pair.at)}\n{format_pressure(pair)}"
            return text

        both = np.isfinite(high) & np.isfinite(low)
        series = []
        for label, values, color in ((_("Systolic"), high, SYSTOLIC_COLOR),
                                     (_("Diastolic"), low, DIASTOLIC_COLOR)):
            keep = np.isfinite(values)
            series.append(PlotSeries(label, x[keep], values[keep], color,
                                     tip(np.flatnonzero(keep))))
        guides = [Guide(140, _("Systolic {value}").format(value=140), SYSTOLIC_COLOR),
                  Guide(90, _("Diastolic {value}").format(value=90), DIASTOLIC_COLOR)]
        self.plot.set_series(series, title=title, unit=unit, bands=measure.bands, guides=guides,
                             spans=Span(x[both], low[both], high[both]), years=years)

    # -- the tables ------------------------------------------------------------------------------
