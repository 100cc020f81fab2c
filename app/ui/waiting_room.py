"""The waiting room: today's arrivals per clinician, in order, and the patients still expected.

The desk checks patients in ("Arrived") or marks them as no-shows; a GP or a nurse
calls the next patient of their own list in, which opens that patient. Waiting times
tick every 30 seconds from the arrival times already read; the lists are read again
when an appointment changes here, and every 20 seconds for the other workstations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from app.core.clock import utc_now
from app.core.i18n import _
from app.records.agenda_time import local_today, to_local
from app.records.changes import Changes
from app.records.services.views import AppointmentView
from app.ui.agenda.formats import long_day, minutes_text, time_text
from app.ui.agenda.toolbar import page_action
from app.ui.agenda_ops import CallNext, ChangeStatus, LoadWaitingRoom, WaitingRoomData
from app.ui.lanes import Operation
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QEvent,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QObject,
    QPushButton,
    QSplitter,
    Qt,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

TICK_MS = 30_000  # waiting times
REFRESH_MS = 20_000  # what other workstations changed
LONG_WAIT_MINUTES = 30
CLINICAL_ROLES = ("gp", "nurse")
WRITERS = ("gp", "nurse", "secretary")
ROLE = Qt.ItemDataRole.UserRole


def _minutes_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def _tree(name: str, titles: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setColumnCount(len(titles))
    tree.setHeaderLabels(titles)
    tree.setRootIsDecorated(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


class WaitingRoomPage(QWidget):
    """Arrivals per clinician with their waiting time; the desk's list of expected patients."""

    patient_requested = Signal(str)
    status_message = Signal(str)

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingRoomPage")
        self._executor = executor
        self.session = session
        self.now: Callable[[], datetime] = utc_now
        self.data: WaitingRoomData | None = None
        self._ticket = 0
        self.can_write = session.role in WRITERS
        self.title = QLabel()
        self.title.setObjectName("waitingRoomTitle")
        self.title.setStyleSheet("QLabel { font-weight: bold; font-size: 12pt; }")
        self.call_next = QPushButton(_("Call the next patient (F12)"))
        self.call_next.setObjectName("callNext")
        self.call_next.setVisible(session.role in CLINICAL_ROLES)
        self.call_next.clicked.connect(self.call_next_patient)
        refresh = QPushButton(_("Refresh (F5)"))
        refresh.clicked.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.call_next)
        header.addWidget(refresh)
        self._build_lists()
        for button in (self.check_in, self.no_show, self.call_next, refresh):
            button.setAutoDefault(False)
        self.expected_title = QLabel()
        self.waiting_title = QLabel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("waitingRoomSplitter")
        splitter.addWidget(self._section(self.waiting_title, self.waiting))
        desk = QHBoxLayout()
        desk.addWidget(self.check_in)
        desk.addWidget(self.no_show)
        desk.addStretch(1)
        splitter.addWidget(self._section(self.expected_title, self.expected, desk))
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        self._start_timers()
        executor.changed.connect(self._on_changed)
        self._update_actions()
        self.refresh()

    def _start_timers(self) -> None:
        # For the main window's menus; the shortcuts work while the page has the focus.
        self.menu_actions = [page_action(self, _("Refresh"), "F5", self.refresh)]
        if self.session.role in CLINICAL_ROLES:
            self.menu_actions.insert(0, page_action(self, _("Call the next patient"), "F12",
                                                    self.call_next_patient))
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self.update_waits)
        self.tick.start()
        self.poll = QTimer(self)
        self.poll.setInterval(REFRESH_MS)
        self.poll.timeout.connect(self._poll)
        self.poll.start()

    def _build_lists(self) -> None:
        self.waiting = _tree("waitingList", [_("Patient"), _("Visit type"), _("Booked for"),
                                             _("Arrived at"), _("Waiting"), _("Status")])
        self.waiting.itemActivated.connect(self._open_patient)
        self.expected = _tree("expectedList", [_("Time"), _("Patient"), _("Clinician"),
                                               _("Visit type"), _("Desk note")])
        self.expected.setRootIsDecorated(False)
        self.expected.installEventFilter(self)
        self.expected.itemSelectionChanged.connect(self._update_actions)
        self.check_in = QPushButton(_("Arrived (Enter)"))
        self.check_in.setObjectName("checkIn")
        self.check_in.clicked.connect(self.check_in_selected)
        self.no_show = QPushButton(_("No-show"))
        self.no_show.setObjectName("noShow")
        self.no_show.clicked.connect(self.no_show_selected)

    def _section(self, title: QLabel, tree: QTreeWidget, buttons: Any = None) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        title.setStyleSheet("QLabel { font-weight: bold; }")
        layout.addWidget(title)
        layout.addWidget(tree, 1)
        if buttons is not None:
            layout.addLayout(buttons)
        return widget

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read today's waiting room again."""
        self._ticket += 1
        ticket = self._ticket
        self._executor.run(LoadWaitingRoom(local_today()), partial(self._loaded, ticket))

    def _poll(self) -> None:
        if self.isVisible():
            self.refresh()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is not self and changes.touches({"appointment"}):
            self.refresh()

    def own_clinician(self) -> str | None:
        """The clinician id of the user logged in (None for the desk and the admin)."""
        if self.data is None or self.session.role not in CLINICAL_ROLES:
            return None
        return next((c.id for c in self.data.clinicians
                     if c.username == self.session.username), None)

    def _loaded(self, ticket: int, data: WaitingRoomData) -> None:
        if ticket != self._ticket:
            return
        selected = self._selected_expected()
        self.data = data
        self.title.setText(_("Waiting room - {day}").format(day=long_day(data.day)))
        self._fill_waiting(data)
        self._fill_expected(data, selected.id if selected else None)
        self.update_waits()
        self._update_actions()

    def _fill_waiting(self, data: WaitingRoomData) -> None:
        own = self.own_clinician()
        self.waiting.clear()
        by_clinician: dict[str, list[AppointmentView]] = {}
        for appointment in data.waiting:
            by_clinician.setdefault(appointment.clinician_id, []).append(appointment)
        clinicians = sorted(data.clinicians, key=lambda c: c.id != own)
        for clinician in clinicians:
            rows = by_clinician.get(clinician.id, [])
            if not rows and clinician.id != own:
                continue
            waiting = sum(a.status == "arrived" for a in rows)
            group = QTreeWidgetItem([_("{clinician} - {count} waiting").format(
                clinician=clinician.full_name, count=waiting)])
            font = QFont(group.font(0))
            font.setBold(True)
            group.setFont(0, font)
            group.setData(0, ROLE, clinician.id)
            self.waiting.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for appointment in rows:
                item = QTreeWidgetItem([
                    appointment.patient_name or _("(no patient)"),
                    data.labels.get(appointment.kind, appointment.kind),
                    time_text(to_local(appointment.starts_at)),
                    time_text(to_local(appointment.arrived_at)) if appointment.arrived_at
                    else "", "", ""])
                item.setData(0, ROLE, appointment)
                group.addChild(item)
            group.setExpanded(True)
        total = sum(a.status == "arrived" for a in data.waiting)
        self.waiting_title.setText(_("In the waiting room: {count}").format(count=total))

    def _fill_expected(self, data: WaitingRoomData, keep: str | None) -> None:
        names = {c.id: c.full_name for c in data.clinicians}
        self.expected.clear()
        for appointment in data.expected:
            item = QTreeWidgetItem([
                time_text(to_local(appointment.starts_at)),
                appointment.patient_name or _("(no patient)"),
                names.get(appointment.clinician_id, ""),
                data.labels.get(appointment.kind, appointment.kind), appointment.note or ""])
            item.setData(0, ROLE, appointment)
            self.expected.addTopLevelItem(item)
            if appointment.id == keep:
                self.expected.setCurrentItem(item)
        self.expected_title.setText(_("Still expected today: {count}").format(
            count=len(data.expected)))

    def update_waits(self) -> None:
        """Recompute the waiting times from the arrival times (no reading)."""
        now = self.now()
        for number in range(self.waiting.topLevelItemCount()):
            group = self.waiting.topLevelItem(number)
            for child in range(group.childCount() if group is not None else 0):
                item = group.child(child) if group is not None else None
                if item is not None:
                    self._show_wait(item, now)

    def _show_wait(self, item: QTreeWidgetItem, now: datetime) -> None:
        appointment: AppointmentView = item.data(0, ROLE)
        if appointment.arrived_at is None:
            return
        if appointment.status == "in-visit" and appointment.called_at is not None:
            waited = _minutes_between(appointment.arrived_at, appointment.called_at)
            status = _("In visit since {time}").format(
                time=time_text(to_local(appointment.called_at)))
        else:
            waited = _minutes_between(appointment.arrived_at, now)
            status = _("Waiting")
        item.setText(4, minutes_text(waited))
        item.setText(5, status)
        long_wait = appointment.status == "arrived" and waited >= LONG_WAIT_MINUTES
        item.setForeground(4, QBrush(QColor("#b34700" if long_wait else "#1d2730")))

    # -- acting -----------------------------------------------------------------------------
    def _selected_expected(self) -> AppointmentView | None:
        item = self.expected.currentItem()
        if item is None or not item.isSelected():
            return None
        value = item.data(0, ROLE)
        return value if isinstance(value, AppointmentView) else None

    def _update_actions(self) -> None:
        chosen = self._selected_expected() is not None
        self.check_in.setEnabled(self.can_write and chosen)
        self.no_show.setEnabled(self.can_write and chosen)
        self.check_in.setVisible(self.can_write)
        self.no_show.setVisible(self.can_write)
        self.call_next.setEnabled(self.own_clinician() is not None)

    def check_in_selected(self) -> None:
        """The selected patient is here."""
        appointment = self._selected_expected()
        if appointment is None or not self.can_write:
            return
        done = _("{patient} arrived").format(patient=appointment.patient_name or "")
        self._write(ChangeStatus(appointment.id, "arrived"), done)

    def no_show_selected(self) -> None:
        """The selected patient did not come."""
        appointment = self._selected_expected()
        if appointment is None or not self.can_write:
            return
        done = _("{patient}: no-show").format(patient=appointment.patient_name or "")
        self._write(ChangeStatus(appointment.id, "no-show"), done)

    def call_next_patient(self) -> None:
        """A clinician calls the first patient waiting on their own list in."""
        own = self.own_clinician()
        if own is None:
            return
        self._executor.run(CallNext(own, local_today()), self._called, self._failed,
                           initiator=self)

    def _called(self, appointment: AppointmentView | None) -> None:
        self.refresh()
        if appointment is None:
            self.status_message.emit(_("Nobody is waiting for you"))
            return
        self.status_message.emit(_("Called in: {patient}").format(
            patient=appointment.patient_name or ""))
        if appointment.patient_id:
            self.patient_requested.emit(appointment.patient_id)

    def _write(self, op: Operation[Any], done: str) -> None:
        self._executor.run(op, lambda _result: self._written(done), self._failed,
                           initiator=self)

    def _written(self, done: str) -> None:
        self.status_message.emit(done)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.refresh()
        self._executor.report_error(exc)

    def _open_patient(self, item: QTreeWidgetItem) -> None:
        value = item.data(0, ROLE)
        if isinstance(value, AppointmentView) and value.patient_id:
            self.patient_requested.emit(value.patient_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter on an expected patient checks them in."""
        if watched is self.expected and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.check_in_selected()
                return True
        return super().eventFilter(watched, event)
