"""The operations the UI runs on the records worker; each returns plain dataclasses.

Each operation is a small frozen dataclass called with the worker's Backend, so a
slot only builds one and hands it to the executor (STYLE.md habit 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from app.records.services import Records
from app.records.services.patients import SEARCH_LIMIT
from app.records.services.views import (
    AccountNotice,
    PatientDetails,
    PatientSummary,
    UserView,
)
from app.records.summary import ChartSummary, summarise
from app.ui.lanes import Backend, Lane


@dataclass(frozen=True)
class SessionInfo:
    """Who is logged in, where."""

    username: str
    full_name: str
    role: str
    center_name: str
    center_path: Path
    # For clinicians: whether this session holds the clinical key, what an admin did to
    # clinical accounts since the last login, and colleagues waiting for a grant.
    clinical_access: bool = False
    notices: tuple[AccountNotice, ...] = ()
    pending: tuple[UserView, ...] = ()


def _center_name(records: Records, root: Path) -> str:
    return records.center_name or root.name


@dataclass(frozen=True)
class Login:
    """Unlock the center as one user (scrypt: about half a second)."""

    root: Path
    username: str
    password: str
    lane: ClassVar[Lane] = Lane.SESSION

    def __call__(self, backend: Backend) -> SessionInfo:
        backend.close()
        records = Records.open(self.root, self.username, self.password)
        backend.attach(records)
        user = records.user
        access = records.users.clinical_access()
        return SessionInfo(user.username, user.full_name, user.role,
                           _center_name(records, self.root), self.root, access,
                           tuple(records.users.account_notices()),
                           tuple(records.users.pending_clinical()) if access else ())


@dataclass(frozen=True)
class GrantClinical:
    """Give clinical colleagues the clinical key this clinician holds."""

    usernames: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> tuple[str, ...]:
        for username in self.usernames:
            backend.require().users.grant_clinical(username)
        return self.usernames


@dataclass(frozen=True)
class Logout:
    """Forget the key and close the record."""

    lane: ClassVar[Lane] = Lane.SESSION

    def __call__(self, backend: Backend) -> None:
        backend.close()


@dataclass(frozen=True)
class SearchResult:
    """Patients found for one search text (the UI drops answers to stale texts)."""

    text: str
    patients: tuple[PatientSummary, ...]
    limit: int

    @property
    def truncated(self) -> bool:
        """True when there may be more patients than shown."""
        return len(self.patients) >= self.limit


@dataclass(frozen=True)
class SearchPatients:
    """Patients by surname [given name] prefix or codice fiscale."""

    text: str
    limit: int = SEARCH_LIMIT
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> SearchResult:
        if not self.text.strip():
            return SearchResult(self.text, (), self.limit)
        found = backend.require().patients.search(self.text, self.limit)
        return SearchResult(self.text, tuple(found), self.limit)


@dataclass(frozen=True)
class OpenChartSummary:
    """A clinician opens a chart (audited by the records layer)."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> ChartSummary:
        chart = backend.require().chart.open(self.patient_id)
        return summarise(chart, date.today())


@dataclass(frozen=True)
class ReadDemographics:
    """The anagrafica of one patient (what the front desk may see)."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> PatientDetails:
        return backend.require().patients.get(self.patient_id)


@dataclass(frozen=True)
class UpdateContacts:
    """The front desk corrects a patient's addresses and contacts (a write)."""

    patient_id: str
    changes: tuple[tuple[str, str | None], ...]

    def __call__(self, backend: Backend) -> None:
        backend.require().patients.update_contacts(self.patient_id, dict(self.changes))


@dataclass(frozen=True)
class EnsureDemoCenter:
    """Create the synthetic demo center if it is missing (slow the first time), with the
    simulated devices of this workstation."""

    root: Path
    lane: ClassVar[Lane] = Lane.JOB

    def __call__(self, backend: Backend) -> bool:
        from app.devices.demo_devices import ensure_demo_devices
        from app.records.demo import ensure_demo_center

        created = ensure_demo_center(self.root, progress=backend.progress)
        ensure_demo_devices(self.root)  # the simulated analyzer, oximeter and spirometer
        return created
