"""Orari e chiusure: the agenda's frame, set by the front desk.

A center starts with no timetables, so its agenda is shaded and "first free slot" finds
nothing. Here the front desk sets each active GP's and nurse's weekly timetable, the
center's visit types and its closures (holidays of the whole center, leave of one
clinician). The records layer decides what is valid; a refusal is shown in the tab and
what was typed stays. The admin sees the frame read-only: the role may read the agenda
but not write it. Ctrl+S saves the current tab; Esc asks before dropping unsaved changes.
"""

from __future__ import annotations

from app.core.i18n import _
from app.records.permissions import ROLE_PERMISSIONS, Permission
from app.ui.agenda.settings_closures import ClosuresTab
from app.ui.agenda.settings_fields import Feedback
from app.ui.agenda.settings_ops import AgendaFrame, LoadAgendaFrame
from app.ui.agenda.settings_timetable import TimetableTab
from app.ui.agenda.settings_visit_types import VisitTypesTab
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QLabel,
    QMessageBox,
    QShortcut,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

SettingsTab = TimetableTab | VisitTypesTab | ClosuresTab


def may_write_agenda(session: SessionInfo) -> bool:
    """Whether the session's role may change the agenda (the records layer checks again)."""
    return Permission.WRITE_AGENDA in ROLE_PERMISSIONS.get(session.role, frozenset())


class AgendaSettingsDialog(QDialog):
    """Three tabs: Timetables, Visit types, Closures."""

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 clinician_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaSettingsDialog")
        self.setWindowTitle(_("Timetables and closures"))
        self._executor = executor
        self._clinician_id = clinician_id
        self.can_write = may_write_agenda(session)
        self.discard_box: QMessageBox | None = None
        self.read_only = QLabel(_("Read only: your role can see the timetables, the visit "
                                  "types and the closures, not change them."))
        self.read_only.setObjectName("agendaSettingsReadOnly")
        self.read_only.setWordWrap(True)
        self.read_only.setStyleSheet("QLabel { background: #fff1c2; padding: 6px; }")
        self.read_only.setVisible(not self.can_write)
        self.timetable = TimetableTab(executor)
        self.visit_types = VisitTypesTab(executor)
        self.closures = ClosuresTab(executor)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agendaSettingsTabs")
        self.tabs.addTab(self.timetable, _("Timetables"))
        self.tabs.addTab(self.visit_types, _("Visit types"))
        self.tabs.addTab(self.closures, _("Closures"))
        self.tabs.setEnabled(False)  # until the frame is read
        self.load_message = Feedback("agendaSettingsLoadMessage")
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)  # Enter in a field never closes the dialog
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.load_message)
        layout.addWidget(buttons)
        for tab in self.all_tabs():
            tab.set_writable(self.can_write)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_current)
        self.resize(1000, 620)
        self.setMinimumSize(820, 480)
        executor.run(LoadAgendaFrame(), self._loaded, self._load_failed)

    def all_tabs(self) -> tuple[SettingsTab, ...]:
        """The three tabs, in order."""
        return (self.timetable, self.visit_types, self.closures)

    def _loaded(self, frame: AgendaFrame) -> None:
        self.timetable.load(frame.clinicians, frame.timetables, self._clinician_id)
        self.visit_types.load(frame.visit_types)
        self.closures.load(frame.clinicians, frame.closures)
        for tab in self.all_tabs():
            tab.set_writable(self.can_write)
        self.tabs.setEnabled(True)
        self.timetable.clinician.setFocus()

    def _load_failed(self, exc: BaseException) -> None:
        self.load_message.failed(self._executor, exc)

    def current_tab(self) -> SettingsTab:
        """The tab in view."""
        return self.all_tabs()[max(0, self.tabs.currentIndex())]

    def save_current(self) -> None:
        """Ctrl+S: save the tab in view (on Closures: add the closure of the form)."""
        if self.can_write and self.tabs.isEnabled():
            self.current_tab().save()

    def dirty(self) -> bool:
        """Anything typed and not saved, in any tab."""
        return any(tab.dirty() for tab in self.all_tabs())

    def reject(self) -> None:
        """Esc or Close: ask before throwing typed changes away."""
        unsaved = [self.tabs.tabText(n) for n, tab in enumerate(self.all_tabs())
                   if tab.dirty()]
        if not unsaved:
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Discard changes?"),
                          _("Not saved yet: {parts}.").format(parts=", ".join(unsaved)),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("agendaSettingsDiscardBox")
        self.discard_button = box.addButton(_("Discard changes"),
                                            QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(
            lambda button: super(AgendaSettingsDialog, self).reject()
            if button is self.discard_button else None)
        self.discard_box = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """The window's close button asks like Esc does."""
        if self.dirty():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
