"""The promemoria of some prescriptions: grouped into ricette, printed as one PDF file.

One ricetta holds one kind of item with one esenzione, one priority class and one
clinical question: drugs two at a time, lab tests up to eight, one specialist visit.
Prescriptions that differ in those go on separate memos, one after the other in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from app.core.formats import local_time
from app.records.services.views import EntryView, PatientDetails
from app.reports.promemoria import (
    CenterInfo,
    DrugItem,
    Item,
    LabItem,
    PatientInfo,
    Prescriber,
    PromemoriaData,
    SpecialistItem,
    write_promemorie,
)
from app.ui.lanes import Backend, Lane

ITEMS_PER_RICETTA = {"drug": 2, "lab": 8, "specialist": 1}


def _kind(p: EntryView) -> str:
    return str(p.fields.get("item_kind") or "drug")


def _item(p: EntryView) -> Item:
    f = p.fields
    kind = _kind(p)
    if kind == "drug":
        return DrugItem(str(f.get("name") or ""), atc=str(f.get("atc_code") or ""),
                        aic=f.get("aic_code") or None, dosage=str(f.get("dosage") or ""),
                        packs=int(f.get("quantity") or 1))
    item = LabItem if kind == "lab" else SpecialistItem
    return item(str(f.get("code") or ""), str(f.get("name") or ""))


def _issued_on(p: EntryView) -> date:
    issued = p.fields.get("issued_at")
    return local_time(issued if isinstance(issued, datetime) else p.recorded_at).date()


def _ricetta_key(p: EntryView) -> tuple[Any, ...]:
    f = p.fields
    return (_kind(p), f.get("esenzione_code") or None, f.get("priority") or None,
            str(f.get("clinical_question") or "").strip(), p.author_id, _issued_on(p))


def ricette(prescriptions: Sequence[EntryView]) -> list[list[EntryView]]:
    """The prescriptions grouped as ricette, in the order given."""
    groups: dict[tuple[Any, ...], list[list[EntryView]]] = {}
    for p in prescriptions:
        chunks = groups.setdefault(_ricetta_key(p), [[]])
        if len(chunks[-1]) >= ITEMS_PER_RICETTA.get(_kind(p), 1):
            chunks.append([])
        chunks[-1].append(p)
    return [chunk for chunks in groups.values() for chunk in chunks]


def patient_info(details: PatientDetails) -> PatientInfo:
    """The patient as the memo prints them (residence address)."""
    s, f = details.summary, details.fields
    place = " ".join(str(f.get(k) or "") for k in ("residence_postcode", "residence_city"))
    address = ", ".join(p for p in (str(f.get("residence_address") or ""), place.strip()) if p)
    return PatientInfo(s.surname, s.given_name, s.codice_fiscale, s.birth_date, address)


def memo_data(center: CenterInfo, names: dict[str, str], patient: PatientInfo,
              ricetta: Sequence[EntryView]) -> PromemoriaData:
    """One memo: one ricetta's items, esenzione, priority, question, prescriber."""
    first = ricetta[0].fields
    return PromemoriaData(
        center=center, prescriber=Prescriber(names.get(ricetta[0].author_id, "")),
        patient=patient, items=tuple(_item(p) for p in ricetta),
        issued_on=_issued_on(ricetta[0]), priority=first.get("priority") or None,
        clinical_question=str(first.get("clinical_question") or ""),
        esenzione=first.get("esenzione_code") or None)


def write_memos(path: Path, memos: Sequence[PromemoriaData]) -> None:
    """One memo as it is; several one after the other in one file (owner-only, whole)."""
    write_promemorie(path, memos)


@dataclass(frozen=True)
class WritePromemoria:
    """The promemoria PDF of some prescriptions of one patient, written to ``path``."""

    path: Path
    patient_id: str
    prescription_ids: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.READ  # reads the record; writes only the file

    def __call__(self, backend: Backend) -> Path:
        records = backend.require()
        details = records.patients.get(self.patient_id)
        wanted = set(self.prescription_ids)
        chosen = [p for p in records.chart.open(self.patient_id).of("prescription")
                  if p.id in wanted]
        chosen.sort(key=lambda p: self.prescription_ids.index(p.id))
        names = {u.id: u.full_name for u in records.users.list()}
        center = CenterInfo(records.center_name)
        patient = patient_info(details)
        write_memos(self.path, [memo_data(center, names, patient, r) for r in ricette(chosen)])
        return self.path
