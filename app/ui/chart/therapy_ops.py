"""Operations of the Therapy tab and the prescription dialogs (run on the records worker).

Each is a frozen dataclass the executor runs in its lane; each returns plain data
(EntryView, ids, safety warnings), never a Session (STYLE.md habits 4 and 5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from app.records.safety import SafetyWarning
from app.records.services.therapy import PrescriptionInput, TherapyInput
from app.records.services.views import Chart, EntryView
from app.ui.lanes import Backend, Lane


@dataclass(frozen=True)
class ReadTherapyChart:
    """The chart again after a write of this tab (an audited chart read)."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> Chart:
        return backend.require().chart.open(self.patient_id)


@dataclass(frozen=True)
class ReadTherapyHistory:
    """Every version of every therapy of the patient, stopped ones too (audited)."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[EntryView, ...]:
        return tuple(backend.require().therapy.history(self.patient_id))


@dataclass(frozen=True)
class StartTherapy:
    """Start a therapy; returns its lineage id."""

    patient_id: str
    therapy: TherapyInput
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        return backend.require().therapy.start(self.patient_id, self.therapy)


@dataclass(frozen=True)
class StopTherapies:
    """Stop therapies with the reason the GP gave (a new version ending each today)."""

    medication_ids: tuple[str, ...]
    reason: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> tuple[str, ...]:
        therapy = backend.require().therapy
        return tuple(therapy.stop(m, self.reason) for m in self.medication_ids)


@dataclass(frozen=True)
class RepeatTherapies:
    """One drug prescription per therapy; ``groups`` are (packs, exemption, therapy ids),
    each group one transaction. Returns the new prescriptions' ids."""

    groups: tuple[tuple[int, str | None, tuple[str, ...]], ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> tuple[str, ...]:
        therapy = backend.require().therapy
        ids: list[str] = []
        for packs, esenzione, medication_ids in self.groups:
            ids += therapy.repeat(list(medication_ids), quantity=packs,
                                  esenzione_code=esenzione)
        return tuple(ids)


@dataclass(frozen=True)
class Prescribe:
    """Prepare prescriptions (drugs, lab tests, specialist visits); returns their ids."""

    patient_id: str
    items: tuple[PrescriptionInput, ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> tuple[str, ...]:
        return tuple(backend.require().therapy.prescribe(self.patient_id, list(self.items)))


@dataclass(frozen=True)
class DrugToCheck:
    """A drug about to be prescribed; ``replacing`` is the therapy it repeats or replaces
    (so a repeat is not its own duplicate)."""

    atc_code: str
    name: str
    replacing: str | None = None


@dataclass(frozen=True)
class DrugWarnings:
    """The safety warnings for one drug."""

    drug: DrugToCheck
    warnings: tuple[SafetyWarning, ...]


@dataclass(frozen=True)
class CheckSafety:
    """The safety rules (allergy class, recent lab values, duplicates) for some drugs."""

    patient_id: str
    drugs: tuple[DrugToCheck, ...]
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[DrugWarnings, ...]:
        therapy = backend.require().therapy
        return tuple(DrugWarnings(d, tuple(therapy.safety_warnings(
            self.patient_id, d.atc_code, d.name, replacing=d.replacing))) for d in self.drugs)


@dataclass(frozen=True)
class AcknowledgeWarnings:
    """The GP saw the warnings for these drugs and goes on (audited)."""

    patient_id: str
    rule_ids_by_drug: tuple[tuple[str, tuple[str, ...]], ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> None:
        therapy = backend.require().therapy
        for drug, rule_ids in self.rule_ids_by_drug:
            therapy.acknowledge_warnings(self.patient_id, drug, list(rule_ids))


def acknowledgement(patient_id: str, found: Sequence[DrugWarnings]) -> AcknowledgeWarnings:
    """The acknowledgement of every warning shown (rule ids per drug name)."""
    return AcknowledgeWarnings(patient_id, tuple(
        (d.drug.name, tuple(w.rule_id for w in d.warnings)) for d in found if d.warnings))
