"""Operations of the code pickers: searches run on a reader thread, never on the GUI's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from app.records.codes import AIFA, ICD9CM, ICD10IM, CodeRow, Drug
from app.ui.lanes import Backend, Lane

RESULTS_LIMIT = 60  # a screenful and a bit: the GP types on rather than scrolls
# The AIFA list has one row per pack and many packs per generic name: enough rows for
# the brands found through their active ingredient to follow the generics.
DRUG_RESULTS_LIMIT = 200


@dataclass(frozen=True)
class PickerSetup:
    """What a problem picker needs to know as it opens."""

    icd10im_loaded: bool


@dataclass(frozen=True)
class PrepareProblemPicker:
    """Build the search indexes now, so the first keystroke finds them ready."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> PickerSetup:
        codes = backend.require().codes
        loaded = codes.icd10im_loaded()
        for system in (ICD9CM, ICD10IM) if loaded else (ICD9CM,):
            codes.prepare_search(system)
        return PickerSetup(loaded)


@dataclass(frozen=True)
class CodeMatches:
    """The codes found for one text in one system (headings flagged)."""

    system: str
    text: str
    rows: tuple[CodeRow, ...]


@dataclass(frozen=True)
class SearchCodes:
    """Diagnoses by code or words, ranked (ICD-9-CM procedures left out)."""

    system: str
    text: str
    limit: int = RESULTS_LIMIT
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> CodeMatches:
        rows = backend.require().codes.search(self.system, self.text, self.limit,
                                              diagnoses_only=True)
        return CodeMatches(self.system, self.text, tuple(rows))


@dataclass(frozen=True)
class Candidates:
    """The codes of the other system corresponding to a chosen code."""

    chosen: CodeRow
    system: str  # the system of the candidates
    rows: tuple[CodeRow, ...]


@dataclass(frozen=True)
class FindCandidates:
    """ICD-10-IM candidates for an ICD-9-CM code, or ICD-9-CM ones for an ICD-10-IM code."""

    system: str  # the system of ``chosen``
    chosen: CodeRow
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> Candidates:
        codes = backend.require().codes
        if self.system == ICD9CM:
            return Candidates(self.chosen, ICD10IM,
                              tuple(codes.icd10im_candidates(self.chosen.code)))
        return Candidates(self.chosen, ICD9CM, tuple(codes.icd9cm_candidates(self.chosen.code)))


@dataclass(frozen=True)
class PrepareDrugPicker:
    """Build the medicines' search index now."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> int:
        return backend.require().codes.prepare_search(AIFA)


@dataclass(frozen=True)
class DrugMatches:
    """The medicines found for one text."""

    text: str
    drugs: tuple[Drug, ...]


@dataclass(frozen=True)
class SearchDrugs:
    """Medicines by name, AIC, ATC code or active ingredient."""

    text: str
    limit: int = DRUG_RESULTS_LIMIT
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> DrugMatches:
        return DrugMatches(self.text, tuple(backend.require().codes.drugs(self.text, self.limit)))
