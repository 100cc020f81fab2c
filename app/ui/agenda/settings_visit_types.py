"""The Visit types tab: label, minutes, who sees patients for it, active; new codes.

Save stores the rows changed since they were read, one by one; the first one the records
layer refuses stops the save, is shown with its reason and keeps what was typed, while
the rows before it are stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.i18n import _
from app.records.services.agenda_views import VisitTypeView
from app.ui.agenda.formats import role_name
from app.ui.agenda.settings_fields import Feedback, FieldTable
from app.ui.agenda.settings_ops import SaveVisitTypes, VisitTypeEdit, VisitTypesSaved
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)

ROLES = (None, "gp", "nurse")
READ_ONLY_STYLE = "QLineEdit { border: none; background: transparent; color: #5d6b75; }"


def role_choice(role: str | None) -> str:
    """Who a visit type is for: anyone, a GP, a nurse."""
    return _("Anyone") if role is None else role_name(role)


class VisitTypeRow:
    """The fields of one visit type; ``stored`` is None for a new one."""

    def __init__(self, stored: VisitTypeView | None) -> None:
        self.stored = stored
        self.code = QLineEdit(stored.code if stored else "")
        self.code.setMaxLength(30)
        if stored is None:
            self.code.setPlaceholderText(_("new code"))
        else:
            self.fix_code(stored)
        self.label = QLineEdit(stored.label if stored else "")
        self.label.setMaxLength(80)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 720)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setValue(stored.minutes if stored else 15)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_choice(role), role)
        self.role.setCurrentIndex(ROLES.index(stored.role) if stored and stored.role in ROLES
                                  else 0)
        self.active = QCheckBox()  # the column's title names it
        self.active.setChecked(stored.active if stored else True)

    def fix_code(self, stored: VisitTypeView) -> None:
        """A stored type's code is read only: appointments name their type by it."""
        self.stored = stored
        self.code.setReadOnly(True)
        self.code.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop on the way
        self.code.setStyleSheet(READ_ONLY_STYLE)

    def widgets(self) -> tuple[QWidget, ...]:
        """The fields left to right."""
        return (self.code, self.label, self.minutes, self.role, self.active)

    def edit(self) -> VisitTypeEdit:
        """The visit type as typed."""
        return VisitTypeEdit(self.code.text().strip(), self.label.text().strip(),
                             self.minutes.value(), self.role.currentData(),
                             self.active.isChecked())

    def changed(self) -> bool:
        """A new row with something typed, or a stored one changed."""
        edit = self.edit()
        if self.stored is None:
            return bool(edit.code or edit.label)
        stored = self.stored
        return (edit.label, edit.minutes, edit.role, edit.active) != (
            stored.label, stored.minutes, stored.role, stored.active)


class VisitTypesTab(QWidget):
    """The center's visit types as rows; New adds one; Save stores the changed ones."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitTypesTab")
        self._executor = executor
        self.can_write = True
        self.rows: list[VisitTypeRow] = []
        self._busy = False
        self.table = FieldTable("visitTypesTable", [_("Code"), _("Name"), _("Length"),
                                                    _("For"), _("Active")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("New visit type"))
        self.add_button.setObjectName("visitTypesAdd")
        self.save_button = QPushButton(_("Save visit types"))
        self.save_button.setObjectName("visitTypesSave")
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        for button in (self.add_button, self.save_button):
            button.setAutoDefault(False)
        self.feedback = Feedback("visitTypesMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_visit_type)
        self.save_button.clicked.connect(self.save)

    def load(self, visit_types: Sequence[VisitTypeView]) -> None:
        """Show the visit types as the record holds them."""
        self.table.setRowCount(0)
        self.rows = []
        for visit_type in visit_types:
            self._append(visit_type)
        self._update()

    def _append(self, stored: VisitTypeView | None) -> VisitTypeRow:
        row = VisitTypeRow(stored)
        for widget in row.widgets():
            widget.setEnabled(self.can_write)
        self.table.add_fields(row.widgets())
        self.rows.append(row)
        return row

    def _update(self) -> None:
        chain: list[QWidget] = []
        for row in self.rows:
            chain.extend(w for w in row.widgets() if w is not row.code or row.stored is None)
        chain += [self.add_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.add_button.setEnabled(self.can_write and not self._busy)
        self.save_button.setEnabled(self.can_write and not self._busy)

    def set_writable(self, writable: bool) -> None:
        """Read only (the admin)."""
        self.can_write = writable
        for button in (self.add_button, self.save_button):
            button.setVisible(writable)
        for row in self.rows:
            for widget in row.widgets():
                widget.setEnabled(writable)
        self._update()

    def add_visit_type(self) -> None:
        """An empty row at the end, its code to type."""
        if not self.can_write:
            return
        row = self._append(None)
        self._update()
        self.table.scrollToBottom()
        row.code.setFocus()

    def dirty(self) -> bool:
        """A row added or changed and not saved."""
        return any(row.changed() for row in self.rows)

    def _code_taken(self) -> VisitTypeRow | None:
        """A new row whose code another row already has: saving would change that one."""
        seen = {row.stored.code for row in self.rows if row.stored is not None}
        for row in self.rows:
            code = row.edit().code
            if row.stored is None and code:
                if code in seen:
                    return row
                seen.add(code)
        return None

    def save(self) -> None:
        """Store the changed rows (the record may refuse one: it stops there)."""
        edits = tuple(row.edit() for row in self.rows if row.changed())
        if not self.can_write or self._busy or not edits:
            return
        taken = self._code_taken()
        if taken is not None:
            self.feedback.refused(_("The code {code} is already in use: change that visit "
                                    "type's row instead.").format(code=taken.edit().code))
            taken.code.setFocus()
            return
        self._busy = True
        self._update()
        self._executor.run(SaveVisitTypes(edits), self._saved, self._failed, initiator=self)

    def _saved(self, result: VisitTypesSaved) -> None:
        self._busy = False
        if result.error is None:
            self.load(result.visit_types)
            self.feedback.done(_("Visit types saved"))
            self.save_button.setFocus()
            return
        stored = {v.code: v for v in result.visit_types}
        for row in self.rows:  # the rows stored before the refusal are clean now
            code = row.edit().code
            if code in result.saved and row.changed() and code in stored:
                row.fix_code(stored[code])
        self._update()
        self.feedback.refused(result.error.user_message())
        refused = next((r for r in self.rows if r.changed() and r.edit().code == result.refused),
                       None)
        if refused is not None:
            (refused.code if refused.stored is None else refused.label).setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update()
        self.feedback.failed(self._executor, exc)
