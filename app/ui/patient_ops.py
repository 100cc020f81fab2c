"""Operations of the registration and demographics screens, run on the records worker.

Reads (the form's lists, the duplicate check, the history) run on the READ lane; saving
a patient is one operation on the writer lane: the anagrafica, then the consents that
changed, each through the records layer's one write path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from app.records import places_it
from app.records.demographics import DemographicsVersion
from app.records.duplicates import DuplicateHit
from app.records.services.views import PatientInput, PatientSummary, UserView
from app.ui.lanes import Backend, Lane

CONSENTS_SHOWN = ("dossier", "oscuramento")


@dataclass(frozen=True)
class RegistrationData:
    """What the form lists: the center's GPs of choice and the patient's consents."""

    gps: tuple[UserView, ...]
    consents: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class LoadRegistration:
    """The GPs a patient may choose (active ones, and the current one even if not)."""

    patient_id: str | None = None
    current_gp: str | None = None
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> RegistrationData:
        records = backend.require()
        places_it.load()  # the birthplace completer's index, built here rather than on typing
        gps = tuple(u for u in records.users.list()
                    if u.role == "gp" and (u.active or u.id == self.current_gp))
        consents: dict[str, bool] = {}
        if self.patient_id is not None:
            consents = records.patients.consents(self.patient_id)
        return RegistrationData(
            tuple(sorted(gps, key=lambda u: u.full_name.casefold())),
            tuple((k, v) for k, v in consents.items() if k in CONSENTS_SHOWN))


@dataclass(frozen=True)
class FindDuplicates:
    """Registered patients who may be the person in the form."""

    candidate: PatientInput
    exclude_id: str | None = None
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[DuplicateHit, ...]:
        return tuple(backend.require().patients.duplicates(self.candidate, self.exclude_id))


@dataclass(frozen=True)
class SavePatient:
    """Register a patient (``patient_id`` None) or change the anagrafica; then consents."""

    patient_id: str | None
    fields: tuple[tuple[str, Any], ...]  # every field for a new patient, the changed ones else
    consents: tuple[tuple[str, bool], ...] = ()

    def __call__(self, backend: Backend) -> PatientSummary:
        patients = backend.require().patients
        values = dict(self.fields)
        if self.patient_id is None:
            saved = patients.register(PatientInput(**values))
        else:
            saved = patients.update_demographics(self.patient_id, values)
        for kind, granted in self.consents:
            patients.record_consent(saved.id, kind, granted)
        return saved


@dataclass(frozen=True)
class DemographicsHistory:
    """The versions of one patient's anagrafica, with who the patient is."""

    patient: PatientSummary
    versions: tuple[DemographicsVersion, ...]


@dataclass(frozen=True)
class ReadDemographicsHistory:
    """Who changed what in a patient's demographics, and when."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> DemographicsHistory:
        patients = backend.require().patients
        versions = tuple(patients.history(self.patient_id))
        return DemographicsHistory(patients.get(self.patient_id).summary, versions)
