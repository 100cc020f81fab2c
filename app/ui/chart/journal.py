"""The journal: every entry of a chart in clinical-time order, filtered, opened in detail.

A heavy chart holds about 8,000 entries. The model keeps one small row per entry with
the keys the filters compare (kind, author, local day, linked problems), computed once
per chart; cells are written only when Qt asks for them (the rows on screen), and a
filter is one pass over those keys. Rows are all one height and carry no widgets; an
ECG's row shows a small lead-II picture, read on a worker once per recording.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from app.core.formats import format_date, local_time
from app.core.i18n import _
from app.records.kinds import ENTRY_NAMES
from app.records.services.views import Chart, EntryView, PatientSummary, UserView
from app.ui.chart.chart_text import (
    Names,
    clinical_time,
    clinical_time_keys,
    describe,
    kind_label,
    problem_names,
)
from app.ui.chart.entry_detail import EntryDetailDialog
from app.ui.ecg.sources import ROW_THUMBNAIL, is_ecg_recording
from app.ui.ecg.thumbnail import ThumbnailLoader
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractTableModel,
    QComboBox,
    QDate,
    QDateEdit,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex
DATE, KIND, DESCRIPTION, AUTHOR, PROBLEM = range(5)
COLUMN_WIDTHS = (90, 130, 0, 170, 220)  # 0: the description takes the spare width
PRESETS = ("all", "year", "five_years", "range")


class JournalRow(NamedTuple):
    """One entry and the keys the filters compare, computed once per chart (a tuple: a
    heavy chart makes 8,000 of them on the GUI thread)."""

    entry: EntryView
    when: datetime  # clinical time (aware)
    day: date  # its day on the center's clock
    problems: frozenset[str]  # lineage ids of the problems it belongs to


def _split(ids: Any) -> frozenset[str]:
    return frozenset(str(ids or "").split())


def _problems_of(entry: EntryView, visits: dict[str, frozenset[str]]) -> frozenset[str]:
    """The problem itself, a visit's problems, a therapy's or prescription's problem, and a
    result's visit's problems."""
    f = entry.fields
    if entry.kind == "problem":
        return frozenset((entry.lineage_id,))
    if entry.kind == "encounter":
        return _split(f.get("problem_ids"))
    if entry.kind in ("medication", "prescription") and f.get("problem_id"):
        return frozenset((str(f["problem_id"]),))
    if entry.kind == "observation" and f.get("encounter_id"):
        return visits.get(str(f["encounter_id"]), frozenset())
    return frozenset()


def journal_rows(chart: Chart) -> list[JournalRow]:
    """Every versioned entry of ``chart``, newest clinical time first."""
    visits: dict[str, frozenset[str]] = {}
    for visit in chart.of("encounter"):
        linked = _split(visit.fields.get("problem_ids"))
        visits[visit.id] = visits[visit.lineage_id] = linked  # results cite either id
    rows = []
    for kind in ENTRY_NAMES:
        keys = clinical_time_keys(kind)
        for entry in chart.of(kind):
            when = clinical_time(entry, keys)
            rows.append(JournalRow(entry, when, local_time(when).date(),
                                   _problems_of(entry, visits)))
    rows.sort(key=lambda r: (r.when, r.entry.recorded_at), reverse=True)
    return rows


@dataclass(frozen=True)
class JournalFilter:
    """What the journal shows: None means any."""

    kind: str | None = None
    problem: str | None = None  # a problem's lineage id
    author: str | None = None
    since: date | None = None
    until: date | None = None

    def select(self, rows: list[JournalRow]) -> list[int]:
        """Positions of the rows that pass (all of them, without a loop, when nothing is set)."""
        if self == JournalFilter():
            return list(range(len(rows)))
        return [i for i, r in enumerate(rows) if self.matches(r)]

    def matches(self, row: JournalRow) -> bool:
        """Whether ``row`` passes every filter."""
        return ((self.kind is None or row.entry.kind == self.kind)
                and (self.problem is None or self.problem in row.problems)
                and (self.author is None or row.entry.author_id == self.author)
                and (self.since is None or row.day >= self.since)
                and (self.until is None or row.day <= self.until))


class JournalModel(QAbstractTableModel):
    """The journal's rows; cells computed on demand from the entry."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[JournalRow] = []
        self.visible: list[int] = []  # indices into ``rows``
        self.names = Names()
        self._described: dict[int, str] = {}
        self._kinds: dict[str, str] = {}  # kind labels, translated once per chart
        self.thumbnails: ThumbnailLoader | None = None  # ECG recordings' pictures

    def set_chart(self, rows: list[JournalRow], names: Names, shown: JournalFilter) -> None:
        """A new chart (rows in journal order) and the filter to apply."""
        self.beginResetModel()
        self.rows, self.names, self._described = rows, names, {}
        self._kinds = {kind: kind_label(kind) for kind in {r.entry.kind for r in rows}}
        self.visible = shown.select(rows)
        self.endResetModel()

    def set_filter(self, shown: JournalFilter) -> None:
        """Show the rows that pass ``shown``."""
        self.beginResetModel()
        self.visible = shown.select(self.rows)
        self.endResetModel()

    def row(self, index: int) -> JournalRow:
        """The journal row shown at ``index``."""
        return self.rows[self.visible[index]]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows shown."""
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Date, kind, description, author, problem."""
        return 0 if parent.isValid() else 5

    def _description(self, position: int) -> str:
        text = self._described.get(position)
        if text is None:
            text = self._described[position] = describe(self.rows[position].entry)
        return text

    def _cell(self, position: int, column: int) -> str:
        row = self.rows[position]
        if column == DATE:
            return format_date(row.day)
        if column == KIND:
            return self._kinds[row.entry.kind]
        if column == DESCRIPTION:
            return self._description(position)
        if column == AUTHOR:
            return self.names.user(row.entry.author_id)
        if row.entry.kind == "problem":
            return ""
        return ", ".join(sorted(filter(None, map(self.names.problem, row.problems))))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text; hidden (oscurato) entries in italics; the description as tooltip."""
        if not index.isValid():
            return None
        position = self.visible[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(position, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == DESCRIPTION:
            return self._description(position)
        if (role == Qt.ItemDataRole.DecorationRole and index.column() == DESCRIPTION
                and self.thumbnails is not None):
            entry = self.rows[position].entry
            return self.thumbnails.get(entry.id) if is_ecg_recording(entry) else None
        if role == Qt.ItemDataRole.FontRole and self.rows[position].entry.hidden:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Date"), _("Type"), _("Description"), _("Author"), _("Problem"))[section]
        return None


def _combo(name: str, everything: str, items: Iterable[tuple[str, str]],
           characters: int = 14) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    # As wide as ``characters``, not as the longest problem: the bar fits a laptop screen
    # (the open list shows whole names).
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.addItem(everything, None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _refill(combo: QComboBox, items: Iterable[tuple[str, str]]) -> None:
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for label, value in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(0)
    combo.blockSignals(False)


def _problem_choice(problem: EntryView) -> str:
    """"Diabete mellito · ICD-9-CM 250.00" (a bare "250.00" reads as a number)."""
    code = problem.fields.get("icd9_code")
    return " · ".join(p for p in (str(problem.fields.get("description") or ""),
                                  f"ICD-9-CM {code}" if code else "") if p)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class JournalView(QWidget):
    """Filters above a virtualised table; Enter or a double click opens the entry's detail."""

    amend_requested = Signal(str)  # a visit's id, from its detail
    error_requested = Signal(str, str)  # (kind, id), from an entry's detail
    may_correct = False  # the chart page sets it for those who may correct entries

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartJournal")
        self.executor = executor
        self.detail: EntryDetailDialog | None = None
        self.patient: PatientSummary | None = None
        self.today = date.today()
        self.model = JournalModel(self)
        self.model.thumbnails = ThumbnailLoader(executor, "chart", ROW_THUMBNAIL, self)
        self.model.thumbnails.loaded.connect(self._thumbnails_loaded)
        self.table = self._table()
        self.kind = _combo("journalKind", _("All types"), ())
        self.problem = _combo("journalProblem", _("All problems"), (), characters=28)
        self.author = _combo("journalAuthor", _("All authors"), ())
        self.period = _combo("journalPeriod", _("Any date"), (
            (_("Last year"), "year"), (_("Last 5 years"), "five_years"),
            (_("Custom range"), "range")))
        self.since = self._date_edit("journalSince")
        self.until = self._date_edit("journalUntil")
        self.count = QLabel(self)
        self.count.setObjectName("journalCount")
        bar = QHBoxLayout()
        # The combos name themselves ("Tutti i tipi"...): no captions, so one row fits.
        for label, widget in ((_("Type"), self.kind), (_("Problem"), self.problem),
                              (_("Author"), self.author), (_("Period"), self.period)):
            widget.setAccessibleName(label)
            widget.setToolTip(label)
            bar.addWidget(widget)
        for label, edit in ((_("from"), self.since), (_("to"), self.until)):
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            edit.setAccessibleName(label)
            bar.addWidget(caption)
            bar.addWidget(edit)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        for combo in (self.kind, self.problem, self.author):
            combo.currentIndexChanged.connect(self._apply)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.since.dateChanged.connect(self._apply)
        self.until.dateChanged.connect(self._apply)
        self._period_changed()

    def _table(self) -> QTableView:
        table = row_table(self.model, "journalTable", parent=self)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one height: no measuring
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        columns = table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            if width:
                columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                table.setColumnWidth(column, width)
            else:
                columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.activated.connect(self._open_index)
        table.doubleClicked.connect(self._open_index)
        table.setIconSize(ROW_THUMBNAIL)
        return table

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setDate(QDate.currentDate())
        return edit

    # -- data ------------------------------------------------------------------------
    def show_chart(self, chart: Chart, users: Sequence[UserView], *,
                   today: date | None = None, rows: list[JournalRow] | None = None) -> None:
        """Show ``chart``; filters are reset to everything. ``rows`` may be
        ``journal_rows(chart)`` computed by the read operation, off the GUI thread."""
        self.today = today or date.today()
        self.patient = chart.patient
        problems = problem_names(chart)
        names = Names({u.id: u.full_name for u in users}, problems)
        rows = journal_rows(chart) if rows is None else rows
        present_kinds = {r.entry.kind for r in rows}
        _refill(self.kind, ((kind_label(k), k) for k in ENTRY_NAMES if k in present_kinds))
        _refill(self.problem, ((_problem_choice(e), e.lineage_id) for e in sorted(
            chart.of("problem"), key=lambda e: str(e.fields.get("description") or "").lower())))
        authors = {r.entry.author_id for r in rows}
        _refill(self.author, sorted(((names.user(a) or a, a) for a in authors),
                                    key=lambda item: item[0].lower()))
        self.period.blockSignals(True)
        self.period.setCurrentIndex(0)
        self.period.blockSignals(False)
        self._set_dates_enabled(False)
        self.model.set_chart(rows, names, JournalFilter())
        self._show_count()
        if self.model.thumbnails is not None:
            self.model.thumbnails.request([e.id for e in chart.of("device_recording")
                                           if is_ecg_recording(e)])

    def _thumbnails_loaded(self) -> None:
        if self.model.visible:
            self.model.dataChanged.emit(
                self.model.index(0, DESCRIPTION),
                self.model.index(len(self.model.visible) - 1, DESCRIPTION),
                [Qt.ItemDataRole.DecorationRole])

    def set_problem_filter(self, lineage_id: str | None) -> None:
        """Show only the entries linked to one problem (None: every problem)."""
        index = self.problem.findData(lineage_id) if lineage_id else 0
        self.problem.setCurrentIndex(max(index, 0))

    def current_filter(self) -> JournalFilter:
        """The filter the controls describe."""
        since, until = self._period()
        return JournalFilter(self.kind.currentData(), self.problem.currentData(),
                             self.author.currentData(), since, until)

    def _period(self) -> tuple[date | None, date | None]:
        preset = self.period.currentData()
        if preset == "year":
            return self.today - timedelta(days=365), None
        if preset == "five_years":
            return _years_before(self.today, 5), None
        if preset == "range":
            since, until = self.since.date().toPython(), self.until.date().toPython()
            assert isinstance(since, date) and isinstance(until, date)
            return since, until
        return None, None

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "range"
        self._set_dates_enabled(custom)
        self._apply()

    def _set_dates_enabled(self, enabled: bool) -> None:
        self.since.setEnabled(enabled)
        self.until.setEnabled(enabled)

    def _apply(self) -> None:
        self.model.set_filter(self.current_filter())
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(_("{shown} of {total} entries").format(
            shown=len(self.model.visible), total=len(self.model.rows)))

    # -- detail ----------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self.model.row(index.row()).entry)

    def open_entry(self, kind: str, lineage_id: str) -> bool:
        """Open the detail of one entry (e.g. from the summary); False when not in the chart."""
        for position, row in enumerate(self.model.rows):
            if row.entry.kind == kind and row.entry.lineage_id == lineage_id:
                if position in self.model.visible:
                    self.table.selectRow(self.model.visible.index(position))
                self._open(row.entry)
                return True
        return False

    def _open(self, entry: EntryView) -> None:
        if self.detail is not None:
            self.detail.close()
        self.detail = EntryDetailDialog(self.executor, entry, self.model.names, self,
                                        may_correct=self.may_correct, patient=self.patient)
        self.detail.amend_requested.connect(self.amend_requested)
        self.detail.error_requested.connect(self.error_requested)
        self.detail.open()
