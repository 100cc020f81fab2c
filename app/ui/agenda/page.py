"""The center's agenda page: the day of every clinician, or one clinician's week.

Slots gather input and start operations; the records layer decides (overlaps, closures,
status transitions). After every write the page reads its view again, and a refused
write shows the record's message through the executor's error callback.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import partial
from typing import Any

from app.core.clock import utc_now
from app.core.i18n import _
from app.records.agenda_time import local_to_utc, local_today, to_local
from app.records.changes import Changes
from app.records.services.agenda_views import ClinicianView, Slot, VisitTypeView
from app.records.services.views import AppointmentView, PatientSummary
from app.ui.agenda.booking_dialog import BookingDialog
from app.ui.agenda.cancel_dialog import CancelDialog
from app.ui.agenda.day_list_print import DayListDialog
from app.ui.agenda.day_view import DayView, day_columns
from app.ui.agenda.first_free_dialog import FirstFreeDialog
from app.ui.agenda.formats import clock, day_in_text, long_day, status_label
from app.ui.agenda.grid import AgendaGrid
from app.ui.agenda.layout import Cursor
from app.ui.agenda.settings_dialog import AgendaSettingsDialog
from app.ui.agenda.toolbar import AgendaToolbar, legend, page_action, qdate
from app.ui.agenda.week_view import WeekView, week_columns
from app.ui.agenda_ops import (
    AgendaData,
    CancelAppointment,
    ChangeStatus,
    LoadDay,
    LoadWeek,
    MoveAppointment,
    ResizeAppointment,
)
from app.ui.lanes import Operation
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QShowEvent,
    QStackedWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

CLINICAL_ROLES = ("gp", "nurse")
WRITERS = ("gp", "nurse", "secretary")
# Bookings, and the agenda's frame (timetables, visit types, closures) the grid is drawn on.
AGENDA_KINDS = frozenset({"appointment", "work_schedule", "visit_type", "closure"})
CLOCK_MS = 60_000  # the "now" line, and what other workstations booked


class AgendaPage(QWidget):
    """Toolbar, the day or week grid, the legend."""

    patient_requested = Signal(str)
    status_message = Signal(str)

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaPage")
        self._executor = executor
        self.session = session
        self.patient: PatientSummary | None = None
        self.day = local_today()
        self.data: AgendaData | None = None
        self.clinicians: tuple[ClinicianView, ...] = ()
        self.visit_types: tuple[VisitTypeView, ...] = ()
        self._ticket = 0
        self._stale = False
        self._focus_grid = False
        self._writing = 0  # writes sent and not yet answered
        self._scrolled = False  # the first load scrolls to the start of the working day
        self._select_after: tuple[Any, ...] | None = None
        self._kind_hint: tuple[str, date, int, str] | None = None  # slot -> visit type code
        self.can_write = session.role in WRITERS
        self.clinical = session.role in CLINICAL_ROLES
        self.toolbar = AgendaToolbar(self)
        self.day_view = DayView(self)
        self.week_view = WeekView(self)
        self.stack = QStackedWidget()
        for grid in (self.day_view, self.week_view):
            self._wire(grid)
            self.stack.addWidget(grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(legend(self.clinical, self.can_write))
        QWidget.setTabOrder(self.toolbar.last_widget(), self.day_view)
        QWidget.setTabOrder(self.day_view, self.week_view)
        self._connect_toolbar()
        self._shortcuts()
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        executor.changed.connect(self._on_changed)
        self.toolbar.date.setDate(qdate(self.day))
        self.refresh()

    # -- set-up -----------------------------------------------------------------------------
    def _wire(self, grid: AgendaGrid) -> None:
        grid.can_write = self.can_write
        grid.clinical = self.clinical
        grid.book_requested.connect(self._book)
        grid.move_requested.connect(partial(self._move, grid))
        grid.resize_requested.connect(self._resize)
        grid.status_requested.connect(self._set_status)
        grid.cancel_requested.connect(self._cancel)
        grid.patient_requested.connect(self.patient_requested)
        grid.refresh_requested.connect(self.refresh)
        grid.page_requested.connect(self.go)

    def _connect_toolbar(self) -> None:
        bar = self.toolbar
        bar.previous.clicked.connect(lambda: self.go(-1))
        bar.next.clicked.connect(lambda: self.go(1))
        bar.today.clicked.connect(lambda: self.show_day(local_today()))
        bar.date.dateChanged.connect(self._date_picked)
        bar.day_mode.toggled.connect(self._mode_changed)
        bar.clinician.activated.connect(lambda _index: self.refresh())
        bar.show_cancelled.toggled.connect(self._toggle_cancelled)
        bar.first_free.clicked.connect(self.find_first_free)
        bar.print_list.clicked.connect(self.print_day_list)
        bar.first_free.setEnabled(self.can_write)
        bar.clinician.setVisible(False)  # the week view's choice

    def _shortcuts(self) -> None:
        bar = self.toolbar
        commands = (
            (_("Today"), "Ctrl+Home", lambda: self.show_day(local_today())),
            (_("Previous day or week"), "PgUp", lambda: self.go(-1)),
            (_("Next day or week"), "PgDown", lambda: self.go(1)),
            (_("Day view"), "Ctrl+1", lambda: bar.day_mode.setChecked(True)),
            (_("Week view"), "Ctrl+2", lambda: bar.week_mode.setChecked(True)),
            (_("Show cancelled appointments"), "", bar.show_cancelled.toggle),
            (_("First free slot..."), "Ctrl+Shift+F", self.find_first_free),
            (_("Print day list..."), "Ctrl+P", self.print_day_list),
            (_("Refresh"), "F5", self.refresh),
            (_("Timetables, visit types and closures..."), "", self.edit_frame),
        )
        # For the main window's Agenda menu; the shortcuts work while the page has the focus.
        self.menu_actions = [page_action(self, *command) for command in commands]
        for action in self.menu_actions:
            if action.text() in (_("First free slot..."),
                                 _("Timetables, visit types and closures...")):
                action.setEnabled(self.can_write)  # a search to book; the agenda's frame

    # -- public interface -------------------------------------------------------------------
    def set_patient_context(self, patient: PatientSummary | None) -> None:
        """The patient open in the main window: "Book" books for them."""
        self.patient = patient

    def show_day(self, day: date) -> None:
        """Show a day (in the week view: its week)."""
        self.day = day
        self.toolbar.date.blockSignals(True)
        self.toolbar.date.setDate(qdate(day))
        self.toolbar.date.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Read the shown day or week again."""
        self._ticket += 1
        self._stale = False
        clinician = self.week_clinician()
        if self.week_mode() and clinician is not None:
            op: Operation[AgendaData] = LoadWeek(clinician, self.day)
        else:  # the day (also while the week's clinician is not known yet)
            op = LoadDay(self.day)
        self._executor.run(op, partial(self._loaded, self._ticket, isinstance(op, LoadWeek)))

    def grid(self) -> AgendaGrid:
        """The grid in view."""
        return self.week_view if self.stack.currentWidget() is self.week_view else self.day_view

    def week_mode(self) -> bool:
        """True when one clinician's week is shown."""
        return self.toolbar.week_mode.isChecked()

    def week_clinician(self) -> str | None:
        """The clinician whose week is shown (or would be)."""
        return self.toolbar.chosen_clinician()

    # -- loading ----------------------------------------------------------------------------
    def _loaded(self, ticket: int, week: bool, data: AgendaData) -> None:
        if ticket != self._ticket or self._writing:
            return  # an older request's answer, or one that may predate a write in flight
        self.data = data
        self.visit_types = data.visit_types
        self._fill_clinicians(data.clinicians)
        if self.week_mode() and not week and self.week_clinician() is not None:
            self.refresh()  # the week's clinician is known now: read the week
            return
        grid = self.week_view if week else self.day_view
        grid.labels = {v.code: v.label for v in data.visit_types}
        grid.today, grid.now_minute = self._now()
        grid.set_data(week_columns(data) if week else day_columns(data), data.appointments)
        self.stack.setCurrentWidget(grid)
        if self._focus_grid:
            self._focus_grid = False
            grid.setFocus()
        self._apply_selection(grid)
        if week:
            end = data.start + timedelta(days=data.days - 1)
            # The clinician is in the combo and "Week" on the checked button beside it: the
            # title is the span alone, short enough to show beside them at 1366 px.
            self.toolbar.title.setText(
                f"{data.start.strftime('%d/%m')} \u2013 {end.strftime('%d/%m/%Y')}")
        else:
            self.toolbar.title.setText(long_day(self.day))

    def _apply_selection(self, grid: AgendaGrid) -> None:
        wanted, self._select_after = self._select_after, None
        if wanted is not None and wanted[0] == "appointment":
            grid.select_appointment(wanted[1])
        elif wanted is not None:
            _kind, clinician_id, day, start, minutes = wanted
            for number, column in enumerate(grid.columns):
                if (column.clinician_id, column.day) == (clinician_id, day):
                    grid.select_slot(number, start, minutes)
            grid.setFocus()
        if not self._scrolled and grid.columns:
            self._scrolled = True
            starts = [s.start for c in grid.columns for s in c.spans]
            if starts and grid.current is None:
                grid.scroll_to_minute(min(starts))

    def _fill_clinicians(self, clinicians: tuple[ClinicianView, ...]) -> None:
        self.clinicians = clinicians
        self.toolbar.set_clinicians(clinicians, self.session.username)

    def _now(self) -> tuple[date, int]:
        now = to_local(utc_now())
        return now.date(), now.hour * 60 + now.minute

    def _tick(self) -> None:
        if self.isVisible() and self.grid().drag is None:
            self.refresh()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self or not changes.touches(AGENDA_KINDS):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # read again when shown

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown again after writes elsewhere: read the view again."""
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- toolbar ----------------------------------------------------------------------------
    def go(self, step: int) -> None:
        """Previous (-1) or next (+1) day, or week in the week view."""
        self.show_day(self.day + timedelta(days=step * (7 if self.week_mode() else 1)))

    def _date_picked(self) -> None:
        picked = self.toolbar.date.date().toPython()
        if isinstance(picked, date) and picked != self.day:
            self.day = picked
            self.refresh()

    def _mode_changed(self) -> None:
        self.toolbar.clinician.setVisible(self.week_mode())
        self._focus_grid = True  # once the other view is read
        self.refresh()

    def _toggle_cancelled(self, show: bool) -> None:
        for grid in (self.day_view, self.week_view):
            grid.set_show_cancelled(show)

    # -- writes -----------------------------------------------------------------------------
    def _column(self, grid: AgendaGrid, number: int) -> tuple[ClinicianView, date]:
        column = grid.columns[number]
        clinician = next(c for c in self.clinicians if c.id == column.clinician_id)
        return clinician, column.day

    def _book(self, cursor: Cursor) -> None:
        clinician, day = self._column(self.grid(), cursor.column)
        hint = self._kind_hint
        kind = hint[3] if hint and hint[:3] == (clinician.id, day, cursor.start) else None
        self.booking = BookingDialog(
            self._executor, clinician=clinician, day=day, start=cursor.start,
            minutes=cursor.minutes, visit_types=self.visit_types, patient=self.patient,
            clinical=self.clinical and self.session.clinical_access, kind=kind, parent=self)
        self.booking.booked.connect(self._run_booking)
        self.booking.open()

    def _run_booking(self, op: Any) -> None:
        when = to_local(op.starts_at)
        done = _("Booked {day} at {time}").format(day=day_in_text(when.date()),
                                                 time=when.strftime("%H:%M"))
        self._write(op, done, select_new=True)

    def _move(self, grid: AgendaGrid, appointment: AppointmentView, number: int,
              start: int) -> None:
        clinician, day = self._column(grid, number)
        starts_at = local_to_utc(day, time(start // 60, start % 60))
        other = clinician.id if clinician.id != appointment.clinician_id else None
        done = _("Moved to {day} at {time}, {clinician}").format(
            day=day_in_text(day), time=clock(start), clinician=clinician.full_name)
        self._select_after = ("appointment", appointment.id)
        length = round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)
        grid.show_pending(appointment.id, number, start, start + length)
        self._write(MoveAppointment(appointment.id, starts_at, other), done)

    def _resize(self, appointment: AppointmentView, minutes: int) -> None:
        self._select_after = ("appointment", appointment.id)
        block = self.grid().selected_block()
        if block is not None and block.appointment.id == appointment.id:
            self.grid().show_pending(appointment.id, block.column, block.start,
                                     block.start + minutes)
        done = _("Appointment now lasts {minutes} min").format(minutes=minutes)
        self._write(ResizeAppointment(appointment.id, minutes), done)

    def _set_status(self, appointment: AppointmentView, status: str) -> None:
        self._select_after = ("appointment", appointment.id)
        done = _("{patient}: {status}").format(
            patient=appointment.patient_name or _("(no patient)"), status=status_label(status))
        self._write(ChangeStatus(appointment.id, status), done)

    def _cancel(self, appointment: AppointmentView) -> None:
        self.cancel_dialog = CancelDialog(appointment, self)
        self.cancel_dialog.reason_given.connect(partial(self._run_cancel, appointment))
        self.cancel_dialog.open()

    def _run_cancel(self, appointment: AppointmentView, reason: str) -> None:
        done = _("Appointment of {patient} cancelled").format(
            patient=appointment.patient_name or _("(no patient)"))
        self._write(CancelAppointment(appointment.id, reason), done)

    def _write(self, op: Operation[Any], done: str, *, select_new: bool = False) -> None:
        self._writing += 1  # reads answered meanwhile may predate it: they are not shown
        self._executor.run(op, partial(self._written, done, select_new), self._write_failed,
                           initiator=self)

    def _written(self, done: str, select_new: bool, result: object) -> None:
        self._writing -= 1
        if select_new and isinstance(result, str):
            self._select_after = ("appointment", result)
        self.status_message.emit(done)
        self.refresh()

    def _write_failed(self, exc: BaseException) -> None:
        self._writing -= 1
        self._select_after = None
        self.refresh()  # show what the record holds (another desk may have booked first)
        self._executor.report_error(exc)

    # -- dialogs ----------------------------------------------------------------------------
    def find_first_free(self) -> None:
        """Ask for a clinician and a visit type; jump to the first free slot."""
        if not self.can_write or not self.clinicians:
            return
        clinician = self.week_clinician() if self.week_mode() else None
        current = self.grid().current
        if not self.week_mode() and current is not None:
            clinician = self.grid().columns[current.column].clinician_id
        if clinician is None and self.patient is not None:
            clinician = self.patient.gp_id  # the open patient's GP of choice
        self.first_free = FirstFreeDialog(
            self._executor, clinicians=self.clinicians, visit_types=self.visit_types,
            clinician_id=clinician, day=max(self.day, local_today()), parent=self)
        self.first_free.found.connect(self._jump_to_slot)
        self.first_free.open()

    def _jump_to_slot(self, slot: Slot, visit_type: VisitTypeView) -> None:
        starts = to_local(slot.starts_at)
        minute = starts.hour * 60 + starts.minute
        self._select_after = ("slot", slot.clinician_id, starts.date(), minute,
                              visit_type.minutes)
        self._kind_hint = (slot.clinician_id, starts.date(), minute, visit_type.code)
        if self.week_mode():
            combo = self.toolbar.clinician
            combo.setCurrentIndex(max(0, next(
                (n for n in range(combo.count()) if combo.itemData(n).id == slot.clinician_id),
                0)))
        self.status_message.emit(_("First free slot: {day} at {time}").format(
            day=day_in_text(starts.date()), time=clock(minute)))
        self.show_day(starts.date())

    def edit_frame(self) -> None:
        """Timetables, visit types and closures, on the clinician in view or selected."""
        if not self.can_write:
            return
        clinician = self.week_clinician() if self.week_mode() else None
        current = self.grid().current
        if not self.week_mode() and current is not None and self.grid().columns:
            clinician = self.grid().columns[current.column].clinician_id
        self.frame_dialog = AgendaSettingsDialog(self._executor, self.session, clinician, self)
        self.frame_dialog.open()

    def print_day_list(self) -> None:
        """The day list of the shown day (the selected clinician's, or everyone's)."""
        if not self.clinicians:
            return
        grid = self.grid()
        chosen = self.week_clinician() if self.week_mode() else None
        day = self.day
        if grid.current is not None and grid.columns:
            chosen = grid.columns[grid.current.column].clinician_id
            if self.week_mode():
                day = grid.columns[grid.current.column].day
        self.day_list = DayListDialog(
            self._executor, clinicians=self.clinicians, day=day,
            center=self.session.center_name, user=self.session.full_name,
            clinician_id=chosen, parent=self)
        self.day_list.open()
