"""The history of a patient's demographics: each version, who, when, what from what."""

from __future__ import annotations

from app.core.formats import format_datetime
from app.core.i18n import _
from app.records.demographics import DemographicsVersion
from app.ui.ops import RunsOperations
from app.ui.patient_ops import DemographicsHistory, ReadDemographicsHistory
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.registration.labels import field_labels, value_text

COLUMNS = 5  # when, who, field, before, after


class DemographicsHistoryDialog(QDialog):
    """Read-only: one branch per version, one line per changed field."""

    def __init__(self, executor: RunsOperations, patient_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.patient_id = patient_id
        self.setObjectName("demographicsHistory")
        self.setWindowTitle(_("History of the demographics"))
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        layout.addWidget(self.title)
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels([_("Date and time"), _("By"), _("Field"), _("Before"),
                                   _("After")])
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column in range(COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.versions: tuple[DemographicsVersion, ...] = ()
        executor.run(ReadDemographicsHistory(patient_id), self._on_history,
                      executor.report_error)

    def _on_history(self, history: DemographicsHistory) -> None:
        patient = history.patient
        self.title.setText(_("<b>{name}</b> &middot; {code} &middot; {count} versions").format(
            name=f"{patient.surname.upper()} {patient.given_name}",
            code=patient.codice_fiscale, count=len(history.versions)))
        self.versions = history.versions
        labels = field_labels()
        self.tree.clear()
        for version in reversed(history.versions):  # the latest first
            what = _("Registration") if version.version == 1 else _(
                "Version {n}: {count} changed").format(n=version.version,
                                                       count=len(version.changes))
            item = QTreeWidgetItem(self.tree, [format_datetime(version.recorded_at),
                                               version.recorded_by_name, what, "", ""])
            item.setToolTip(1, version.recorded_by)
            for change in version.changes:
                QTreeWidgetItem(item, ["", "", labels.get(change.field, change.field),
                                       value_text(change.field, change.before),
                                       value_text(change.field, change.after)])
        self.tree.expandAll()

    def rows(self) -> list[list[str]]:
        """Every line as shown (version lines and field lines), top to bottom."""
        out: list[list[str]] = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            assert item is not None
            out.append([item.text(c) for c in range(COLUMNS)])
            for j in range(item.childCount()):
                child = item.child(j)
                assert child is not None
                out.append([child.text(c) for c in range(COLUMNS)])
        return out
