"""Operations of the visit editor: drafts, signing, amending, problems (records worker)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from app.records.services.visits import SignedVisit, VisitDraft
from app.ui.lanes import Backend, Lane

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SaveDraft:
    """Keep what is typed (a write every few seconds while the editor changes)."""

    draft: VisitDraft
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> VisitDraft:
        saved = backend.require().visits.save_draft(self.draft)
        # The crash test waits on this line; it names the draft, never its content.
        log.info("visit draft saved: %s", saved.draft_id)
        return saved


@dataclass(frozen=True)
class ReadDrafts:
    """The author's unsigned drafts for one patient."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[VisitDraft, ...]:
        return tuple(backend.require().visits.drafts(self.patient_id))


@dataclass(frozen=True)
class DiscardDraft:
    """Throw a draft away."""

    draft_id: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> None:
        backend.require().visits.discard_draft(self.draft_id)


@dataclass(frozen=True)
class SignVisit:
    """Sign the visit: encounter, vitals as observations, the draft deleted."""

    draft: VisitDraft
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> SignedVisit:
        signed = backend.require().visits.sign(self.draft)
        log.info("visit signed: %s", signed.encounter_id)
        return signed


@dataclass(frozen=True)
class StartAmendment:
    """A draft holding a signed visit, to be amended with a reason."""

    encounter_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> VisitDraft:
        return backend.require().visits.amend_draft(self.encounter_id)


@dataclass(frozen=True)
class MarkEnteredInError:
    """An entry was entered in error (a new version with the reason; never deleted)."""

    kind: str
    entry_id: str
    reason: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        return backend.require().clinical.mark_entered_in_error(self.kind, self.entry_id,
                                                                self.reason)


@dataclass(frozen=True)
class AddProblem:
    """A new problem from the picker; returns its lineage id (to link it to the visit)."""

    patient_id: str
    icd9_code: str
    description: str
    clinical_status: str = "active"
    onset: date | None = None
    qualifier: str = ""
    icd10im_code: str | None = None
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        return backend.require().clinical.add_problem(
            self.patient_id, self.icd9_code, self.description,
            clinical_status=self.clinical_status, onset=self.onset,
            qualifier=self.qualifier, icd10im_code=self.icd10im_code)


@dataclass(frozen=True)
class UpdateProblem:
    """Status, dates, qualifier or ICD-10-IM code of a problem (a new version)."""

    problem_id: str
    changes: tuple[tuple[str, object], ...]
    reason: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        return backend.require().clinical.update_problem(self.problem_id, dict(self.changes),
                                                         self.reason)
