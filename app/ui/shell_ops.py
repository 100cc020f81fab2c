"""Operations of the main window: the patient context, recent patients, the lock, settings.

Like :mod:`app.ui.operations`, each is a small frozen dataclass run on the records
worker; each returns plain dataclasses (STYLE.md habit 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import ClassVar

from app.core.clock import utc_now
from app.records.kinds import ENTRY_NAMES
from app.records.services import Records
from app.records.services.views import (
    AppointmentView,
    Chart,
    PatientDetails,
    PatientSummary,
    UserView,
)
from app.records.summary import ChartSummary, summarise
from app.ui.lanes import Backend, Lane


@dataclass(frozen=True)
class PatientContext:
    """The one patient the window shows: every panel and the header are fed from it."""

    details: PatientDetails
    gp_name: str | None
    chart: ChartSummary | None  # None for roles without clinical access
    # Clinicians only: the whole chart, the patient's appointments (newest first) and
    # the staff (authors of entries).
    record: Chart | None = None
    appointments: tuple[AppointmentView, ...] = ()
    staff: tuple[UserView, ...] = ()
    read_at: datetime | None = None  # when the chart was read (a refresh reads from then)

    @property
    def summary(self) -> PatientSummary:
        """Name, sex, birth date and codice fiscale."""
        return self.details.summary

    @property
    def patient_id(self) -> str:
        """Whose context this is."""
        return self.details.summary.id


def _gp_name(records: Records, details: PatientDetails) -> str | None:
    if details.summary.gp_name:
        return details.summary.gp_name
    gp_id = details.summary.gp_id or details.fields.get("gp_id")
    if not gp_id:
        return None
    return next((u.full_name for u in records.users.list() if u.id == gp_id), None)


@dataclass(frozen=True)
class OpenPatient:
    """One answer for the whole window: demographics, GP of choice and, for clinicians,
    the chart summary (both reads audited by the records layer)."""

    patient_id: str
    clinical: bool
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> PatientContext:
        records = backend.require()
        details = records.patients.get(self.patient_id)
        if not self.clinical:
            return PatientContext(details, _gp_name(records, details), None)
        read_at = utc_now()
        record = records.chart.open(self.patient_id)
        appointments = tuple(records.agenda.for_patient(self.patient_id))
        staff = tuple(records.users.list())
        return PatientContext(details, _gp_name(records, details),
                              summarise(record, date.today()), record, appointments, staff,
                              read_at)


# What a refresh can read alone: clinical entries and exemptions (anything else, e.g. the
# demographics, reads the whole context again).
REFRESHABLE = frozenset({"esenzione", *ENTRY_NAMES})
REFRESH_MARGIN = timedelta(seconds=5)


@dataclass(frozen=True)
class RefreshPatient:
    """The open patient's chart after a write: only the kinds that changed are read again
    and merged into the chart the window shows (a heavy chart is 8,000 entries)."""

    previous: PatientContext
    kinds: frozenset[str]
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> PatientContext:
        records = backend.require()
        old = self.previous
        assert old.record is not None and old.read_at is not None
        assert self.kinds <= REFRESHABLE
        read_at = utc_now()
        # A margin for writes committed while the last read ran: reading a version twice
        # is harmless (merged by lineage), missing one is not.
        since = old.read_at - REFRESH_MARGIN
        record = records.chart.changes_since(old.record, self.kinds, since)
        return replace(old, chart=summarise(record, date.today()), record=record,
                       read_at=read_at)


@dataclass(frozen=True)
class ReadRecentPatients:
    """The recent patients' rows from their ids (patients since removed are skipped)."""

    patient_ids: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[PatientSummary, ...]:
        # A list row, as a search shows it: not audited (opening the patient is).
        return tuple(backend.require().patients.summaries(self.patient_ids))


@dataclass(frozen=True)
class ShellSettings:
    """What the window needs besides the session: this computer's name, the lock delay."""

    workstation: str
    lock_minutes: int


@dataclass(frozen=True)
class ReadShellSettings:
    """The workstation as the audit trail names it, and the center's lock delay."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> ShellSettings:
        records = backend.require()
        return ShellSettings(records.actor.workstation, records.settings.get_lock_minutes())


@dataclass(frozen=True)
class SetLockMinutes:
    """The admin changes the minutes of inactivity before a lock (a write)."""

    minutes: int

    def __call__(self, backend: Backend) -> int:
        backend.require().settings.set_lock_minutes(self.minutes)
        return self.minutes


@dataclass(frozen=True)
class CheckPassword:
    """Unlock: the logged-in user's password, checked against the record's key file.

    scrypt takes about half a second, so this runs on a reader, never on the GUI thread;
    a wrong password raises WrongPassword. The record itself stays open throughout.
    """

    password: str = field(repr=False)
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> None:
        backend.require().users.check_own_password(self.password)
