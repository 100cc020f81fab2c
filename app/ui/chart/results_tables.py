"""The Results tab's tables: a measure's values, and a kind of result as a flowsheet.

Cells are formatted when first shown (a heavy chart has thousands of values); a value
out of its measure's range is dark red and bold; numbers are aligned on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from app.core.formats import format_date, format_datetime
from app.core.i18n import _
from app.ui.chart.observations import (
    MEASURE_BY_KEY,
    BloodPressure,
    Flowsheet,
    Measure,
    Reading,
    Results,
    format_pressure,
    format_reading,
    measure_title,
    out_of_range,
    pressure_high,
    source_label,
)
from app.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
)

FLAG_COLOR = "#a01c14"  # a value outside its range: dark red and bold (not colour alone)
AnyIndex = QModelIndex | QPersistentModelIndex


@cache
def bold_font() -> QFont:
    """The application font in bold (made once, after the application)."""
    font = QFont()
    font.setBold(True)
    return font


class LazyTableModel(QAbstractTableModel):
    """Rows whose cells are formatted when first shown (a heavy chart has thousands)."""

    def __init__(self, headers: Sequence[str], rows: int, cell: Callable[[int, int], str], *,
                 tip: Callable[[int, int], str] | None = None,
                 flag: Callable[[int, int], bool] | None = None,
                 right: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.headers = list(headers)
        self.rows = rows
        self._cell = cell
        self._tip = tip
        self._flag = flag
        self._right = right
        self._cache: dict[tuple[int, int], str] = {}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows, none under a row."""
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns."""
        return 0 if parent.isValid() else len(self.headers)

    def text(self, row: int, column: int) -> str:
        """A cell's text, formatted once."""
        place = (row, column)
        if place not in self._cache:
            self._cache[place] = self._cell(row, column)
        return self._cache[place]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text; its tooltip, colour and alignment."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self._flag is not None and role in (Qt.ItemDataRole.ForegroundRole,
                                               Qt.ItemDataRole.FontRole):
            if not self._flag(row, column):
                return None
            if role == Qt.ItemDataRole.FontRole:
                return bold_font()
            return QBrush(QColor(FLAG_COLOR))
        if role == Qt.ItemDataRole.ToolTipRole and self._tip is not None:
            return self._tip(row, column) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def fit_columns(table: QTableView, sample: int = 25) -> None:
    """Columns as wide as their title and first rows need (not every row: they are lazy)."""
    model = table.model()
    if not isinstance(model, LazyTableModel):
        return
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    bold = QFontMetrics(bold_font())
    for column, title in enumerate(model.headers):
        texts = [model.text(r, column) for r in range(min(sample, model.rows))]
        width = max([metrics.horizontalAdvance(title) + 28]
                    + [bold.horizontalAdvance(t) + 20 for t in texts])
        header.resizeSection(column, width)


def readings_model(results: Results, key: str) -> LazyTableModel:
    """The values of one measure, newest first: date, value (BMI for a weight), source."""
    measure = results.measures[key]
    date, source = _("Date"), _("Source")
    if key == "bp":
        pairs = results.blood_pressure[::-1]
        return LazyTableModel(
            [date, measure_title(measure), source], len(pairs),
            lambda r, c: (format_date(pairs[r].at), format_pressure(pairs[r]),
                          source_label(pairs[r].source))[c],
            flag=lambda r, c: c == 1 and pressure_high(pairs[r]), right=frozenset({1}))
    readings = results.of(key)[::-1]
    if key == "weight":
        return _weight_model(results, measure, readings)
    return LazyTableModel(
        [date, measure_title(measure), source], len(readings),
        lambda r, c: (format_date(readings[r].at), format_reading(measure, readings[r]),
                      source_label(readings[r].source))[c],
        flag=lambda r, c: c == 1 and out_of_range(measure, readings[r]),
        right=frozenset({1}))

def _weight_model(results: Results, measure: Measure,
                  readings: Sequence[Reading]) -> LazyTableModel:
    bmi = {r.at: r for r in results.of("bmi")}
    bmi_measure = MEASURE_BY_KEY["bmi"]

    def cell(r: int, c: int) -> str:
        reading = readings[r]
        if c == 2:
            found = bmi.get(reading.at)
            return format_reading(bmi_measure, found) if found else ""
        return (format_date(reading.at), format_reading(measure, reading), "",
                source_label(reading.source))[c]

    def flag(r: int, c: int) -> bool:
        found = bmi.get(readings[r].at) if c == 2 else None
        return found is not None and out_of_range(bmi_measure, found)

    return LazyTableModel([_("Date"), measure_title(measure), _("BMI"), _("Source")],
                          len(readings), cell, flag=flag, right=frozenset({1, 2}))


def flowsheet_model(results: Results, sheet: Flowsheet) -> LazyTableModel:
    """A flowsheet as a table: the date, then a column per measure."""
    measures = [results.measures[k] for k in sheet.columns]
    headers = [_("Date")] + [measure_title(m) for m in measures]
    dates = [format_date(at) for at, _cells in sheet.rows]
    repeated = {d for i, d in enumerate(dates) if i and dates[i - 1] == d}

    def found(r: int, c: int) -> Reading | BloodPressure | None:
        return sheet.rows[r][1].get(sheet.columns[c - 1]) if c else None

    def cell(r: int, c: int) -> str:
        if c == 0:
            at = sheet.rows[r][0]
            return format_datetime(at) if dates[r] in repeated else dates[r]
        value = found(r, c)
        if value is None:
            return ""
        if isinstance(value, BloodPressure):
            return format_pressure(value)
        return format_reading(measures[c - 1], value)

    def flag(r: int, c: int) -> bool:
        value = found(r, c)
        if isinstance(value, BloodPressure):
            return pressure_high(value)
        return value is not None and out_of_range(measures[c - 1], value)

    def tip(r: int, c: int) -> str:
        value = found(r, c)
        return source_label(value.source) if value is not None else ""

    return LazyTableModel(headers, len(sheet.rows), cell, tip=tip, flag=flag,
                          right=frozenset(range(1, len(headers))))


def nothing(_row: int, _column: int) -> str:
    """The cell of an empty table."""
    return ""


def table_look(table: QTableView) -> None:
    """Rows as tall as the text needs, columns of a sensible width."""
    header = table.horizontalHeader()
    header.setDefaultSectionSize(110)
    header.setMinimumSectionSize(60)
    header.setStretchLastSection(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
