"""Where a user can go in the main window: the pages by role, the left list, the factories.

The agenda, the waiting room, a patient's appointments, the registration form and the
demographic history are built by other parts of the program; the main window asks for
them through the ``make_*`` functions below, so each slots in at one place.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.i18n import _, language
from app.records.permissions import CLINICAL, ROLE_PERMISSIONS, Permission
from app.records.services.views import PatientDetails
from app.ui.agenda import AgendaPage, PatientAppointments
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAction,
    QActionGroup,
    QKeySequence,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    Qt,
    QToolBar,
    QWidget,
    Signal,
)
from app.ui.registration import DemographicsHistoryDialog, RegistrationDialog
from app.ui.waiting_room import WaitingRoomPage

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

AGENDA = "agenda"
WAITING_ROOM = "waiting"
PATIENTS = "patients"  # the finder
PATIENT = "patient"  # the open patient's page
CHART = "chart"  # clinical: the open patient's chart
DEVICES = "devices"  # clinical: this workstation's devices and the live oximeter
NEEDS_PATIENT = frozenset({PATIENT, CHART})


@dataclass(frozen=True)
class PageSpec:
    """One entry of the left list."""

    key: str
    label: Callable[[], str]
    clinical: bool = False


PAGES = (
    PageSpec(AGENDA, lambda: _("Agenda")),
    PageSpec(WAITING_ROOM, lambda: _("Waiting room")),
    PageSpec(PATIENTS, lambda: _("Patients")),
    PageSpec(PATIENT, lambda: _("Patient page")),
    PageSpec(CHART, lambda: _("Clinical chart"), clinical=True),
    PageSpec(DEVICES, lambda: _("Devices"), clinical=True),
)


def may(session: SessionInfo, permission: Permission) -> bool:
    """Whether the session's role holds ``permission`` (the records layer decides again)."""
    return permission in ROLE_PERMISSIONS.get(session.role, frozenset())


def sees_clinical(session: SessionInfo) -> bool:
    """A clinician holding the clinical key: the only sessions shown clinical content."""
    held = ROLE_PERMISSIONS.get(session.role, frozenset())
    return bool(held & CLINICAL) and session.clinical_access


def pages_for(session: SessionInfo) -> tuple[PageSpec, ...]:
    """The pages of the left list for this session (clinical ones only for clinicians)."""
    clinical = sees_clinical(session)
    return tuple(page for page in PAGES if clinical or not page.clinical)


class NavigationList(QListWidget):
    """The left list of pages; the ones about a patient wait for a patient to be open."""

    page_chosen = Signal(str)

    def __init__(self, pages: tuple[PageSpec, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setMinimumWidth(150)
        self.setMaximumWidth(260)
        self.setUniformItemSizes(True)
        self.setStyleSheet("QListWidget#navigation::item { padding: 7px 10px; }")
        for page in pages:
            item = QListWidgetItem(page.label())
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.addItem(item)
        self.currentItemChanged.connect(self._changed)
        self.set_patient_open(False)

    def keys(self) -> list[str]:
        """The pages listed, in order."""
        return [str(self.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.count())]

    def select(self, key: str) -> None:
        """Highlight ``key`` without asking for it again."""
        self.blockSignals(True)
        try:
            if key in self.keys():
                self.setCurrentRow(self.keys().index(key))
        finally:
            self.blockSignals(False)

    def set_patient_open(self, is_open: bool) -> None:
        """The patient pages can be chosen only while a patient is open."""
        for row, key in enumerate(self.keys()):
            if key in NEEDS_PATIENT:
                item = self.item(row)
                flags = item.flags()
                enabled = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                item.setFlags(flags | enabled if is_open else flags & ~enabled)

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.page_chosen.emit(str(current.data(Qt.ItemDataRole.UserRole)))


def give_focus(page: QWidget) -> None:
    """The keyboard to a page just shown: its focus proxy, else its first focusable child."""
    if page.focusPolicy() != Qt.FocusPolicy.NoFocus or page.focusProxy() is not None:
        page.setFocus()
        return
    for child in page.findChildren(QWidget):
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(page):
            child.setFocus()
            return


# -- pages and dialogs built elsewhere ------------------------------------------------------
def make_agenda_page(executor: RunsOperations, session: SessionInfo,
                     parent: QWidget | None = None) -> QWidget:
    """The center's agenda."""
    return AgendaPage(executor, session, parent)


def make_waiting_room_page(executor: RunsOperations, session: SessionInfo,
                           parent: QWidget | None = None) -> QWidget:
    """Today's arrivals."""
    return WaitingRoomPage(executor, session, parent)


def make_patient_appointments(executor: RunsOperations, session: SessionInfo,
                              parent: QWidget | None = None) -> QWidget:
    """A patient's upcoming and past appointments."""
    return PatientAppointments(executor, session, parent)


def make_registration_dialog(executor: RunsOperations, session: SessionInfo,
                             parent: QWidget | None = None) -> RegistrationDialog:
    """A new patient (signal ``saved(summary)``)."""
    return RegistrationDialog(executor, session, None, parent)


def make_demographics_editor(executor: RunsOperations, session: SessionInfo,
                             details: PatientDetails,
                             parent: QWidget | None = None) -> RegistrationDialog:
    """Edit the open patient's demographics."""
    return RegistrationDialog(executor, session, details, parent)


def make_history_dialog(executor: RunsOperations, patient_id: str,
                        parent: QWidget | None = None) -> DemographicsHistoryDialog:
    """The history of a patient's demographics."""
    return DemographicsHistoryDialog(executor, patient_id, parent)


# -- commands -------------------------------------------------------------------------------
class WindowMenus:
    """Every command of the main window, each in a menu with its shortcut; the main ones on
    the toolbar too. Clinical commands exist only for sessions that see clinical content."""

    def __init__(self, window: MainWindow) -> None:
        session = window.session
        writer = may(session, Permission.WRITE_DEMOGRAPHICS)
        clinical = sees_clinical(session)
        self._window = window
        self.actions: list[QAction] = []
        act = self._action
        self.switch_user = act("session.switch_user", _("Switch user..."),
                               window.request_switch_user)
        self.logout = act("session.logout", _("Log out"), window.request_logout)
        self.lock = act("session.lock", _("Lock the session"), window.lock, "Ctrl+L")
        self.settings = (act("admin.settings", _("Center settings..."), window.center_settings)
                         if may(session, Permission.MANAGE_USERS) else None)
        self.quit = act("app.quit", _("Quit"), window.close, "Ctrl+Q")
        self.new_patient = (act("patient.new", _("New patient..."), window.new_patient, "Ctrl+N")
                            if writer else None)
        self.find = act("patient.find", _("Find a patient"), window.find_patient, "F2")
        self.patient_page = act("patient.page", _("Patient page"),
                                lambda: window.show_page(PATIENT), "F7")
        self.edit = (act("patient.edit", _("Edit demographics..."), window.edit_demographics,
                         "F6") if writer else None)
        self.history = act("patient.history", _("Demographics history..."),
                           window.demographics_history)
        self.close_patient = act("patient.close", _("Close the patient"), window.close_patient,
                                 "Ctrl+W")
        self.chart = (act("clinical.chart", _("Clinical chart"), lambda: window.show_page(CHART),
                          "F8") if clinical else None)
        self.visit = (act("clinical.visit", _("Visit"), window.start_visit, "F11")
                      if clinical else None)
        self.agenda = act("nav.agenda", _("Agenda"), lambda: window.show_page(AGENDA), "F3")
        self.waiting_room = act("nav.waiting", _("Waiting room"),
                                lambda: window.show_page(WAITING_ROOM), "F4")
        self.back = act("nav.back", _("Back"), window.back, "Esc")
        self.inbox = (act("clinical.inbox", _("Results inbox..."), window.open_inbox, "F9")
                      if clinical else None)
        self.devices = (act("nav.devices", _("Devices page"),
                            lambda: window.show_page(DEVICES), "F10") if clinical else None)
        self.acquire = (act("clinical.acquire", _("Acquire from a device..."), window.acquire,
                            "Ctrl+Shift+A") if clinical else None)
        # The admin configures the devices; clinicians read what is configured.
        self.device_settings = (act("admin.devices", _("Devices of this workstation..."),
                                    window.device_settings)
                                if clinical or may(session, Permission.MANAGE_USERS) else None)
        self.about = act("help.about", _("About Medirete"), window.about)
        self.languages = self._languages(window)
        self._menus(window)
        self.toolbar = self._toolbar(window)

    def _action(self, name: str, text: str, slot: Callable[[], object],
                shortcut: str = "") -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)  # its shortcut works whatever menu is shown
        self.actions.append(action)
        return action

    def _languages(self, window: MainWindow) -> dict[str, QAction]:
        group = QActionGroup(window)
        actions = {}
        for lang, name in (("it", "Italiano"), ("en", "English")):
            action = QAction(name, group)
            action.setObjectName(f"language.{lang}")
            action.setCheckable(True)
            action.setChecked(lang == language())
            action.triggered.connect(lambda _checked=False, lang=lang: self._language(lang))
            actions[lang] = action
            self.actions.append(action)
        return actions

    def _language(self, lang: str) -> None:
        if lang != language():
            self._window.choose_language(lang)

    def _menus(self, window: MainWindow) -> None:
        bar = window.menuBar()
        file_menu = bar.addMenu(_("File"))
        for action in (self.switch_user, self.logout, self.lock):
            file_menu.addAction(action)
        languages = file_menu.addMenu(_("Language"))
        languages.setObjectName("languageMenu")
        for action in self.languages.values():
            languages.addAction(action)
        file_menu.addSeparator()
        _add(file_menu, self.settings, self.quit)
        patient = bar.addMenu(_("Patient"))
        _add(patient, self.new_patient, self.find, self.patient_page, self.edit, self.history,
             self.close_patient)
        if self.chart is not None:
            patient.addSeparator()
            _add(patient, self.chart, self.visit)
        self.agenda_menu = bar.addMenu(_("Agenda"))
        _add(self.agenda_menu, self.agenda, self.waiting_room)
        _add(bar.addMenu(_("View")), self.back)
        if self.device_settings is not None:
            devices = bar.addMenu(_("Devices"))
            _add(devices, self.devices, self.acquire, self.inbox)
            if self.inbox is not None:
                devices.addSeparator()
            _add(devices, self.device_settings)
        _add(bar.addMenu(_("Help")), self.about)

    def _toolbar(self, window: MainWindow) -> QToolBar:
        toolbar = QToolBar(_("Toolbar"), window)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.find, self.new_patient, None, self.agenda, self.waiting_room,
                       self.patient_page, self.chart, self.visit, self.edit, None, self.lock):
            if action is None:
                toolbar.addSeparator()
            else:
                _add(toolbar, action)
        window.addToolBar(toolbar)
        return toolbar

    def add_page_commands(self, window: MainWindow) -> None:
        """The commands the agenda and the waiting room offer (their ``menu_actions``,
        whose shortcuts work while the page has the focus), in the Agenda menu."""
        for key in (AGENDA, WAITING_ROOM):
            commands: list[QAction] = list(getattr(window.pages[key], "menu_actions", []))
            if commands:
                self.agenda_menu.addSeparator()
            for action in commands:
                self.agenda_menu.addAction(action)
                # From the menu, the page the command acts on comes forward.
                action.triggered.connect(lambda _checked=False, key=key: window.show_page(key))

    def update(self, window: MainWindow) -> None:
        """The patient commands only while a patient is open (and nothing while locked)."""
        has_patient = window.context is not None and not window.locked
        for action in (self.patient_page, self.edit, self.history, self.close_patient,
                       self.chart, self.visit, self.acquire):
            if action is not None:
                action.setEnabled(has_patient)

    def set_locked(self, window: MainWindow, locked: bool) -> None:
        """Locked: no menu, no toolbar, no status bar, no shortcut but the lock screen's."""
        for action in self.actions:
            action.setEnabled(not locked)
        window.menuBar().setVisible(not locked)
        self.toolbar.setVisible(not locked)
        window.statusBar().setVisible(not locked)
        self.update(window)


def _add(target: QMenu | QToolBar, *actions: QAction | None) -> None:
    for action in actions:
        if action is not None:
            target.addAction(action)


def about_box(parent: QWidget) -> QMessageBox:
    """The program's name and version (opened window-modal, never blocking a test)."""
    try:
        version = importlib.metadata.version("medirete")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("About Medirete"))
    box.setText(_("Medirete {version}").format(version=version))
    box.setInformativeText(_("The shared clinical record of a general practice group."))
    return box
