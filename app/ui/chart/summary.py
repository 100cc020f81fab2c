"""The chart's first page: problems, therapy, last vitals and labs with trends, PAI items
due, latest documents, upcoming appointments. Each item opens its entry (Enter or a
double click emits ``open_entry(kind, lineage_id)``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from app.core.formats import first_upper, format_date, format_datetime, local_time, weekday_name
from app.core.i18n import _
from app.records.services.documents import kind_label as document_kind_label
from app.records.services.views import AppointmentView, Chart, EntryView, UserView
from app.records.summary import (
    ChartSummary,
    observation_value,
    problem_status_label,
    summarise,
)
from app.ui.chart.chart_text import (
    Reading,
    clinical_time,
    due_activities,
    latest_readings,
    reading_date,
)
from app.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QFont,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

LATEST_DOCUMENTS = 5
UPCOMING_APPOINTMENTS = 5
ACTIVE_APPOINTMENTS = ("booked", "arrived", "in-visit")
OVERDUE = QColor("#b00020")
DUE_SOON = QColor("#8a5300")
ENTRY_ROLE = Qt.ItemDataRole.UserRole


Row = tuple[list[str], str | None, str | None]  # cells, entry kind, lineage id


def _section_titles() -> dict[str, str]:
    return {
        "problems": _("Active problems"), "therapy": _("Current therapy"),
        "due": _("PAI: checks due"), "vitals": _("Last vital signs"),
        "labs": _("Last lab results"), "documents": _("Latest documents"),
        "appointments": _("Upcoming appointments"),
    }


LEFT = ("problems", "therapy", "due")
# The column of each section that takes the spare width and elides when short of it.
ELASTIC = {"problems": 0, "therapy": 0, "due": 0, "documents": 1, "appointments": 3}
RIGHT = ("vitals", "labs", "documents", "appointments")


def _problem_rows(summary: ChartSummary) -> list[Row]:
    rows: list[Row] = []
    for p in summary.problems:
        f = p.fields
        codes = " · ".join(f"{system} {f[key]}" for system, key in (
            ("ICD-9-CM", "icd9_code"), ("ICD-10-IM", "icd10im_code")) if f.get(key))
        rows.append(([str(f.get("description") or ""), codes,
                      problem_status_label(f.get("clinical_status")),
                      str(f.get("qualifier") or "")], "problem", p.lineage_id))
    return rows


def _therapy_rows(summary: ChartSummary) -> list[Row]:
    return [([str(m.fields.get("name") or ""), str(m.fields.get("dosage") or ""),
              str(m.fields.get("frequency") or ""),
              _("long-term") if m.fields.get("chronic") else _("one-off")],
             "medication", m.lineage_id) for m in summary.therapy]


def _reading_rows(readings: Iterable[Reading]) -> list[Row]:
    return [([str(r.latest.fields.get("display") or r.latest.fields.get("code")),
              observation_value(r.latest), r.arrow, reading_date(r.latest)],
             "observation", r.latest.lineage_id) for r in readings]


def _document_rows(chart: Chart) -> list[Row]:
    def day(d: EntryView) -> date:  # the document's own date, else when it was filed
        return local_time(clinical_time(d)).date()

    latest = sorted(chart.of("document"), key=day, reverse=True)[:LATEST_DOCUMENTS]
    return [([format_date(day(d)), str(d.fields.get("title") or ""),
              document_kind_label(d.fields.get("kind")), str(d.fields.get("source") or "")],
             "document", d.lineage_id) for d in latest]


def _appointment_rows(appointments: Sequence[AppointmentView], names: dict[str, str],
                      now: datetime) -> list[Row]:
    upcoming = sorted((a for a in appointments
                       if a.starts_at >= now and a.status in ACTIVE_APPOINTMENTS),
                      key=lambda a: a.starts_at)[:UPCOMING_APPOINTMENTS]
    return [([first_upper(weekday_name(local_time(a.starts_at).date(), short=True)) + " "
              + format_datetime(a.starts_at), names.get(a.clinician_id, ""),
              a.kind, a.reason or ""], None, None) for a in upcoming]


class ChartSummaryView(QWidget):
    """The first page of a chart; ``show_chart`` fills it, nothing here reads the record."""

    open_entry = Signal(str, str)  # (kind, lineage_id)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartSummary")
        self.sections: dict[str, QTreeWidget] = {}
        self.titles: dict[str, QLabel] = {}
        content = QWidget()
        grid = QGridLayout(content)
        grid.setHorizontalSpacing(24)
        for column, keys in enumerate((LEFT, RIGHT)):
            box = QVBoxLayout()
            for key in keys:
                if key not in (LEFT[0], RIGHT[0]):
                    box.addSpacing(8)
                box.addWidget(self._section(key, content))
                box.addWidget(self.sections[key])
            box.addStretch(1)
            grid.addLayout(box, 0, column)
        grid.setColumnStretch(0, 3)  # problems and therapy: the long lines
        grid.setColumnStretch(1, 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _section(self, key: str, parent: QWidget) -> QLabel:
        title = QLabel(_section_titles()[key], parent)
        title.setObjectName(f"{key}Title")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.titles[key] = title
        tree = QTreeWidget(parent)
        tree.setObjectName(f"{key}List")
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.setAccessibleName(title.text())
        tree.itemActivated.connect(self._activated)
        self.sections[key] = tree
        return title

    def show_chart(self, chart: Chart, appointments: Sequence[AppointmentView],
                   users: Sequence[UserView], *, now: datetime | None = None) -> None:
        """Fill every section from ``chart`` as it stands ``now`` (default: this moment)."""
        now = now or datetime.now(UTC)
        today = local_time(now).date()
        names = {u.id: u.full_name for u in users}
        readings = latest_readings(chart.of("observation"))
        current = summarise(chart, today)
        self._fill("problems", _problem_rows(current))
        self._fill("therapy", _therapy_rows(current))
        self._fill("vitals", _reading_rows(r for r in readings if r.vital))
        self._fill("labs", _reading_rows(r for r in readings if not r.vital))
        self._fill_due(chart, today)
        self._fill("documents", _document_rows(chart))
        self._fill("appointments", _appointment_rows(appointments, names, now))

    def _fill_due(self, chart: Chart, today: date) -> None:
        due = due_activities(chart, today)
        rows: list[Row] = [
            ([str(item.activity.fields.get("description") or ""), format_date(item.due),
              _("overdue") if item.overdue else _("due soon")],
             "care_plan_activity", item.activity.lineage_id) for item in due]
        tree = self._fill("due", rows)
        for index, item in enumerate(due):
            colour = OVERDUE if item.overdue else DUE_SOON
            row = tree.topLevelItem(index)
            assert row is not None
            for column in range(row.columnCount()):
                row.setForeground(column, QBrush(colour))
            if item.overdue:
                font = row.font(0)
                font.setBold(True)
                row.setFont(2, font)

    def _fill(self, key: str, rows: list[Row]) -> QTreeWidget:
        tree = self.sections[key]
        tree.clear()
        columns = max((len(cells) for cells, _kind, _lineage in rows), default=1)
        tree.setColumnCount(columns)
        for cells, kind, lineage in rows:
            item = QTreeWidgetItem(cells)
            if kind is not None:
                item.setData(0, ENTRY_ROLE, (kind, lineage))
            tree.addTopLevelItem(item)
        if not rows:
            empty = QTreeWidgetItem([_("None recorded")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            italic = QFont(tree.font())
            italic.setItalic(True)
            empty.setFont(0, italic)
            tree.addTopLevelItem(empty)
        header = tree.header()
        elastic = ELASTIC.get(key)
        for column in range(columns):
            mode = QHeaderView.ResizeMode.ResizeToContents
            if column == elastic:  # long text: it gives way (elided) so codes stay in view
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(column, mode)
        header.setStretchLastSection(elastic is None)
        self._fit_height(tree)
        return tree

    @staticmethod
    def _fit_height(tree: QTreeWidget) -> None:
        """As tall as its rows: the page scrolls as a whole, sections never hide rows."""
        count = max(tree.topLevelItemCount(), 1)
        row = tree.sizeHintForRow(0)
        if row <= 0:  # not measurable yet: a line of text and the item's margins
            row = tree.fontMetrics().height() + 4
        tree.setFixedHeight(row * count + 2 * tree.frameWidth() + 2)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, ENTRY_ROLE)
        if target:
            kind, lineage = target
            self.open_entry.emit(kind, lineage)

    def texts(self, key: str) -> list[str]:
        """The rows of one section as shown, cells joined by " | " (tests, accessibility)."""
        tree = self.sections[key]
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        return [" | ".join(item.text(c) for c in range(tree.columnCount()))
                for item in items if item is not None]
