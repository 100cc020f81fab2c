"""Settling a demographics conflict from the sync panel: a person picks each value.

Two workstations wrote one field of a patient's anagrafica without seeing each other's
write; the later write was kept and the other value listed (``app.sync.merges``). Here a
person who knows the patient picks, field by field, the value kept or the other one.
The choice is an ordinary change of the anagrafica (``confirmed`` writes the fields even
when the value kept is chosen), so it reaches every workstation like any other and
settles the conflict on each (``app.sync.settle``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from app.core.i18n import _
from app.records.kinds import BY_NAME
from app.sync.identity import find_identity
from app.sync.replica import Replica
from app.sync.values import decoded
from app.ui.lanes import Backend, Lane
from app.ui.qt import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.registration.labels import field_labels, value_text
from app.ui.sync_view import ConflictRow


@dataclass(frozen=True)
class SettleByChoice:
    """Write the values chosen for a patient's fields, then settle what that settles."""

    patient_id: str
    chosen: tuple[tuple[str, Any], ...]  # (field, value as the change log carries it)
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> int:
        records = backend.require()
        values = decoded(BY_NAME["patient"], dict(self.chosen), {}) or {}
        records.patients.update_demographics(self.patient_id, values,
                                             confirmed=[name for name, _v in self.chosen])
        with records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        if me is None:
            return 0
        return Replica(records, me.workstation).settle_conflicts()


class ResolveDialog(QDialog):
    """One pair of choices per field; the value kept is chosen until changed."""

    def __init__(self, conflict: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncResolve")
        self.setWindowTitle(_("Settle a conflict"))
        self.conflict = conflict
        layout = QVBoxLayout(self)
        intro = QLabel(_("{patient}: two workstations changed these data at the same time. "
                         "Choose the right value of each: the choice is saved in the "
                         "patient's record and settles the conflict on every "
                         "workstation.").format(patient=conflict.patient))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        labels = field_labels()
        self._groups: list[tuple[str, QButtonGroup, Any, Any]] = []
        for name, kept, other in conflict.choices:
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            group = QButtonGroup(box)
            for index, (text, value) in enumerate((
                    (_("kept: {value}"), kept), (_("from the other workstation: {value}"),
                                                 other))):
                button = QRadioButton(text.format(value=value_text(name, _shown(name, value))))
                button.setObjectName(f"resolve_{name}_{'kept' if index == 0 else 'other'}")
                button.setChecked(index == 0)
                group.addButton(button, index)
                column.addWidget(button)
            form.addRow(labels.get(name, name), box)
            self._groups.append((name, group, kept, other))
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save the choice"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def operation(self) -> SettleByChoice:
        """What saving the choices writes."""
        chosen = tuple((name, kept if group.checkedId() == 0 else other)
                       for name, group, kept, other in self._groups)
        return SettleByChoice(self.conflict.patient_id, chosen)


def _shown(name: str, value: Any) -> Any:
    """A value of the change log as the form shows it (a date as a date)."""
    if isinstance(value, str) and value:
        return (decoded(BY_NAME["patient"], {name: value}, {}) or {}).get(name, value)
    return value
