"""The main window a practice runs its day from: pages on the left, the patient on top.

One patient context at a time. ``open_patient`` asks for a patient; the one answer
(demographics, GP of choice and, for clinicians, the chart summary) feeds the header
and every patient panel in one go, and an answer for any patient but the one asked
for last is dropped. The finder only finds: it never shows a patient's page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.formats import role_label
from app.core.i18n import _
from app.records.changes import Changes
from app.records.kinds import ENTRY_NAMES
from app.records.permissions import Permission
from app.records.services.settings import DEFAULT_LOCK_MINUTES
from app.records.services.views import PatientDetails, PatientSummary
from app.ui.chart.banner import AllergyBanner
from app.ui.chart.page import ChartPage
from app.ui.device_wiring import WorkstationDevices
from app.ui.inbox_dialog import InboxDialog, show_inbox
from app.ui.navigation import (
    AGENDA,
    CHART,
    DEVICES,
    NEEDS_PATIENT,
    PATIENT,
    PATIENTS,
    WAITING_ROOM,
    NavigationList,
    WindowMenus,
    about_box,
    give_focus,
    make_agenda_page,
    make_demographics_editor,
    make_history_dialog,
    make_patient_appointments,
    make_registration_dialog,
    make_waiting_room_page,
    may,
    pages_for,
    sees_clinical,
)
from app.ui.operations import ReadDemographics, SessionInfo
from app.ui.ops import RunsOperations
from app.ui.patient_header import PatientHeader
from app.ui.patients_page import (
    PatientFinder,
    PatientPage,
    PatientRequests,
    RecentPatients,
)
from app.ui.qt import (
    QCloseEvent,
    QDialog,
    QLabel,
    QMainWindow,
    QSettings,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.session_lock import InactivityWatch, LockScreen, LockSettingsDialog, WindowLock
from app.ui.shell_ops import (
    REFRESHABLE,
    PatientContext,
    ReadRecentPatients,
    ReadShellSettings,
    ShellSettings,
)
from app.ui.sync_runner import SyncRunner
from app.ui.sync_status import WindowSync
from app.ui.window_layout import WindowLayout

log = logging.getLogger(__name__)
# What the patient pages show, so a write elsewhere re-reads them only when it matters.
CLINICIAN_KINDS = frozenset({"patient", "esenzione", *ENTRY_NAMES})
DEMOGRAPHICS_KINDS = frozenset({"patient"})
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class WindowState:
    """What a rebuilt window (another language) resumes: the page, patient and search."""

    page: str
    patient_id: str | None
    search: str


class MainWindow(QMainWindow):
    """Menus, toolbar, the left list of pages, the patient header, the status bar."""

    closed = Signal()
    logout_requested = Signal()
    switch_user_requested = Signal()
    language_requested = Signal(str)

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 settings: QSettings | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sync: SyncRunner | None = None) -> None:
        super().__init__()
        self._executor = executor
        self.session = session
        self.clinical = sees_clinical(session)
        self.context: PatientContext | None = None
        self.requests = PatientRequests(executor, self.clinical, self)
        self.requests.answered.connect(self._on_patient)
        self._history: list[str] = []
        self.lock_minutes = DEFAULT_LOCK_MINUTES
        self.dialog: QDialog | None = None  # the last dialog opened from the menus
        self._dialog_patient: str | None = None  # whom that dialog is about
        self.inbox_dialog: InboxDialog | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("Medirete - {center} - {user} ({role})").format(
            center=session.center_name, user=session.full_name, role=role_label(session.role)))

        self.recent = RecentPatients(settings, session.username)
        self.menus = WindowMenus(self)
        self._build_pages()
        self.menus.add_page_commands(self)
        self._build_status()
        self.sync = WindowSync(self, executor, session, sync)  # the light, the Sync menu
        self.layout_memory = WindowLayout(self, settings, session.username)
        self.idle_watch = InactivityWatch(self.lock_minutes, clock, self)
        self.idle_watch.idle.connect(self.lock)
        self.window_lock = WindowLock(self, self.content, LockScreen(executor, session),
                                      self.idle_watch,
                                      lambda locked: self.menus.set_locked(self, locked))
        self.lock_screen = self.window_lock.lock_screen
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.switch_user_requested.connect(self.switch_user_requested)
        executor.changed.connect(self._on_changed)
        self.layout_memory.restore()
        self.show_page(AGENDA)
        self.menus.update(self)  # no patient yet: the patient's commands wait for one
        executor.run(ReadShellSettings(), self._on_settings)
        if self.recent.missing():
            executor.run(ReadRecentPatients(tuple(self.recent.missing())), self._on_recent)
        self.idle_watch.start()

    # -- building ---------------------------------------------------------------------------
    def _build_pages(self) -> None:
        executor, session = self._executor, self.session
        self.header = PatientHeader(self.menus.close_patient)
        self.header.clicked.connect(lambda: self.show_page(PATIENT))
        self.finder = PatientFinder(executor, self.recent)
        self.finder.open_requested.connect(self.open_patient)
        self.agenda = make_agenda_page(executor, session, self)
        self.waiting_room = make_waiting_room_page(executor, session, self)
        appointments = make_patient_appointments(executor, session, self)
        if hasattr(appointments, "day_requested"):  # a double-clicked appointment's day
            appointments.day_requested.connect(self.show_agenda_day)
        self.patient_page = PatientPage(appointments, self.clinical)
        self.chart_page = ChartPage(executor, session.role) if self.clinical else None
        # Clinicians: allergies under the header on every page while a patient is open.
        self.allergy_banner = AllergyBanner() if self.clinical else None
        if self.allergy_banner is not None:
            self.allergy_banner.hide()
        if self.chart_page is not None:
            self.chart_page.book_followup.connect(self.book_followup)
            self.chart_page.acquire_requested.connect(self.acquire)
        # Clinicians and nurses: this workstation's devices run while they are logged in.
        self.devices = WorkstationDevices(executor, self) if self.clinical else None
        self.pages: dict[str, QWidget] = {
            AGENDA: self.agenda, WAITING_ROOM: self.waiting_room, PATIENTS: self.finder,
            PATIENT: self.patient_page,
        }
        if self.chart_page is not None:
            self.pages[CHART] = self.chart_page
        if self.devices is not None:
            self.pages[DEVICES] = self.devices.page
            self.devices.page.status_message.connect(self.show_message)
            self.devices.page.acquire_requested.connect(self.acquire)
            self.devices.page.inbox_requested.connect(self.open_inbox)
            self.devices.page.settings_requested.connect(self.device_settings)
        for page in (self.agenda, self.waiting_room):
            page.patient_requested.connect(self.open_patient)  # type: ignore[attr-defined]
            page.status_message.connect(self.show_message)  # type: ignore[attr-defined]
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.nav = NavigationList(pages_for(session))
        self.nav.page_chosen.connect(self.show_page)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setObjectName("bodySplitter")
        self.body.addWidget(self.nav)
        self.body.addWidget(self.stack)
        self.body.setStretchFactor(1, 1)
        self.body.setCollapsible(1, False)
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        if self.allergy_banner is not None:
            layout.addWidget(self.allergy_banner)
        layout.addWidget(self.body, 1)

    def _build_status(self) -> None:
        self.status_user = QLabel(self.session.full_name)
        self.status_user.setObjectName("statusUser")
        self.status_role = QLabel(role_label(self.session.role))
        self.status_role.setObjectName("statusRole")
        self.status_workstation = QLabel()
        self.status_workstation.setObjectName("statusWorkstation")
        for label in (self.status_user, self.status_role, self.status_workstation):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)

    # -- pages ------------------------------------------------------------------------------
    @property
    def current_page(self) -> str:
        """The key of the page on screen."""
        current = self.stack.currentWidget()
        return next((key for key, page in self.pages.items() if page is current), "")

    def show_page(self, key: str, remember: bool = True) -> None:
        """Bring a page forward (the patient pages only while a patient is open)."""
        if key not in self.pages or (key in NEEDS_PATIENT and self.context is None):
            self.nav.select(self.current_page)
            return
        current = self.current_page
        if key != current:
            if remember and current:
                self._history = [*self._history, current][-HISTORY_LIMIT:]
            self.stack.setCurrentWidget(self.pages[key])
            # End-to-end tests wait on this line.
            log.info("page shown: %s", key)
        self.nav.select(key)
        self._focus_page(key)

    def _focus_page(self, key: str) -> None:
        if key == PATIENTS:
            self.finder.focus_search()
        else:
            give_focus(self.pages[key])

    def back(self) -> None:
        """Esc: clear the search if there is one, else the previous page."""
        if self.current_page == PATIENTS and self.finder.clear_search():
            return
        while self._history:
            key = self._history.pop()
            if key != self.current_page and not (key in NEEDS_PATIENT and self.context is None):
                self.show_page(key, remember=False)
                return

    def find_patient(self) -> None:
        """F2: the finder, its search field ready."""
        self.show_page(PATIENTS)
        self.finder.focus_search()

    def show_agenda_day(self, day: object) -> None:
        """The agenda on one day (from a patient's appointment)."""
        self.show_page(AGENDA)
        self.agenda.show_day(day)  # type: ignore[attr-defined]

    def show_message(self, text: str) -> None:
        """A transient message in the status bar."""
        self.statusBar().showMessage(text, 6000)

    # -- the patient context ----------------------------------------------------------------
    def open_patient(self, patient_id: str, page: str = PATIENT) -> None:
        """Make ``patient_id`` the patient of the window, then show ``page``."""
        self.requests.ask(patient_id, page)
        self.statusBar().showMessage(_("Opening the patient..."))

    @property
    def requested_id(self) -> str | None:
        """The patient asked for last (the only one whose answer is shown)."""
        return self.requests.requested_id

    def _on_patient(self, context: PatientContext, page: str | None) -> None:
        self._set_context(context)
        self.recent.add(context.summary)
        self.finder.show_recent()
        self.statusBar().clearMessage()
        if page is not None:
            self.show_page(page)

    def close_patient(self) -> None:
        """Ctrl+W: no patient open (any answer still on its way is dropped)."""
        self.requests.forget()
        if self.current_page in NEEDS_PATIENT:
            self.show_page(PATIENTS)
        self._set_context(None)

    def _set_context(self, context: PatientContext | None) -> None:
        """The header and every panel, together."""
        dialog = self.dialog
        if (dialog is not None and self._dialog_patient is not None
                and (context is None or context.patient_id != self._dialog_patient)):
            dialog.close()  # a form about another patient never stays beside this one
            self._dialog_patient = None
        self.context = context
        summary = context.summary if context is not None else None
        self.header.show_context(context)
        self.patient_page.show_context(context)
        if self.chart_page is not None:
            self.chart_page.show_context(context)
        if self.allergy_banner is not None:
            record = context.record if context is not None else None
            self.allergy_banner.setVisible(record is not None)
            if record is not None:
                self.allergy_banner.show_chart(record)
            else:
                self.allergy_banner.clear()
        if self.devices is not None:
            self.devices.set_patient(context.patient_id if context is not None else None)
        for page in (self.agenda, self.waiting_room):
            if hasattr(page, "set_patient_context"):
                page.set_patient_context(summary)
        self.nav.set_patient_open(context is not None)
        self.menus.update(self)

    @property
    def patient(self) -> PatientSummary | None:
        """The open patient."""
        return self.context.summary if self.context is not None else None

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        """A write somewhere (a dialog, a device, a peer): re-read what this window shows."""
        if changes.touches({"center_setting"}):
            self._executor.run(ReadShellSettings(), self._on_settings)
        if changes.touches({"patient"}):
            self.finder.refresh()
        context = self.context
        kinds = CLINICIAN_KINDS if self.clinical else DEMOGRAPHICS_KINDS
        # Only when no other patient is on its way: that answer will replace this one.
        if (context is not None and context.patient_id == self.requested_id
                and changes.touches(kinds, context.patient_id)):
            if (context.record is not None and context.read_at is not None
                    and changes.kinds <= REFRESHABLE):
                self.requests.refresh(context, changes.kinds)  # a signed visit: 2 kinds
            else:
                self.requests.ask(context.patient_id)

    def _on_recent(self, rows: tuple[PatientSummary, ...]) -> None:
        self.recent.set_rows(rows)
        self.finder.show_recent()

    def _on_settings(self, settings: ShellSettings) -> None:
        self.status_workstation.setText(
            _("Workstation: {name}").format(name=settings.workstation))
        self.lock_minutes = settings.lock_minutes
        self.idle_watch.set_minutes(settings.lock_minutes)

    # -- menu commands ----------------------------------------------------------------------
    def new_patient(self) -> None:
        """Ctrl+N: the registration form; the saved patient becomes the open one."""
        if not may(self.session, Permission.WRITE_DEMOGRAPHICS):
            return
        dialog = make_registration_dialog(self._executor, self.session, self)
        dialog.saved.connect(lambda patient: self.open_patient(patient.id))
        self._open_dialog(dialog)

    def _settled_patient(self) -> str | None:
        """The open patient, if no other patient is on its way (else None: a dialog about
        the open one could outlive it)."""
        context = self.context
        if context is None or self.requested_id != context.patient_id:
            return None
        return context.patient_id

    def edit_demographics(self) -> None:
        """F6: the open patient's demographics, read afresh."""
        patient_id = self._settled_patient()
        if patient_id is not None and may(self.session, Permission.WRITE_DEMOGRAPHICS):
            self._executor.run(ReadDemographics(patient_id), self._open_editor)

    def _open_editor(self, details: PatientDetails) -> None:
        if details.summary.id != self._settled_patient():
            return  # the user moved on to another patient meanwhile
        editor = make_demographics_editor(self._executor, self.session, details, self)
        self._open_dialog(editor, details.summary.id)

    def demographics_history(self) -> None:
        """The changes to the open patient's demographics."""
        patient_id = self._settled_patient()
        if patient_id is None:
            return
        self._open_dialog(make_history_dialog(self._executor, patient_id, self), patient_id)

    def open_inbox(self) -> None:
        """F9: the results inbox (clinicians holding the clinical key)."""
        if self.clinical:
            self.inbox_dialog = show_inbox(self._executor, self.inbox_dialog, self)

    def acquire(self) -> None:
        """Ctrl+Shift+A: ask a device for the open patient and wait for its result."""
        if self.devices is not None:
            self.devices.acquire(self.patient)

    def device_settings(self) -> None:
        """This workstation's devices (the admin edits them, others read them)."""
        from app.ui.device_settings import open_device_settings

        dialog = open_device_settings(self._executor, self.session, self)
        dialog.saved.connect(lambda _devices: self.show_message(_("Devices saved")))
        self._open_dialog(dialog)

    def center_settings(self) -> None:
        """The admin's settings of the center (minutes before a lock)."""
        if may(self.session, Permission.MANAGE_USERS):
            dialog = LockSettingsDialog(self._executor, self.lock_minutes, self)
            dialog.saved.connect(lambda _minutes: self.show_message(_("Settings saved")))
            self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog, patient_id: str | None = None) -> None:
        self.dialog = dialog
        self._dialog_patient = patient_id
        dialog.open()  # window-modal, centred on this window

    def about(self) -> None:
        """The program's name and version."""
        self._open_dialog(about_box(self))

    def choose_language(self, lang: str) -> None:
        """Ask the application to rebuild this window in ``lang``."""
        self.language_requested.emit(lang)

    # -- the lock ---------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """True while the lock screen hides the session."""
        return self.window_lock.locked

    def lock(self) -> None:
        """Ctrl+L or minutes without input: only the user's name and a password field."""
        self.save_drafts()
        self.window_lock.lock()

    def request_logout(self) -> None:
        """Log out, after keeping what is typed in a visit."""
        self.save_drafts()
        self.logout_requested.emit()

    def request_switch_user(self) -> None:
        """Another user, after keeping what is typed in a visit."""
        self.save_drafts()
        self.switch_user_requested.emit()

    def save_drafts(self) -> None:
        """Keep what is typed in a visit now (before a lock, a log-out, closing)."""
        if self.chart_page is not None:
            self.chart_page.save_draft_now()

    def start_visit(self) -> None:
        """F11: the open patient's visit (a draft of theirs comes back by itself)."""
        if self.chart_page is not None and self.context is not None:
            self.show_page(CHART)
            self.chart_page.start_visit()

    def book_followup(self, patient_id: str) -> None:
        """From the visit's plan: the agenda, asking for the first free slot of the GP."""
        if self.context is not None and self.context.patient_id == patient_id:
            self.show_page(AGENDA)
            self.agenda.find_first_free()  # type: ignore[attr-defined]

    def unlock(self) -> None:
        """The right password: everything as it was."""
        self.window_lock.unlock()

    # -- state ------------------------------------------------------------------------------
    def snapshot(self) -> WindowState:
        """Where the user is (to rebuild the window in another language)."""
        patient_id = self.context.patient_id if self.context is not None else None
        return WindowState(self.current_page, patient_id, self.finder.search.text())

    def resume(self, state: WindowState) -> None:
        """Go back to ``state``: the same patient, page and search."""
        if state.search:
            self.finder.search.setText(state.search)
        if state.patient_id is None:
            self.show_page(state.page)
        else:  # read again (in the new language), then its page
            self.open_patient(state.patient_id, state.page)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Remember the layout, stop watching for input, tell the application."""
        self.save_drafts()
        if self.devices is not None:
            self.devices.stop()
        self.layout_memory.save()
        self.idle_watch.stop()
        self.sync.close()
        self.window_lock.close_hidden()
        self.closed.emit()
        super().closeEvent(event)
