"""Synthetic LIS2-A2 messages a point-of-care analyzer would send (simulator and tests).

Every person here is invented; the codici fiscali are well formed (check letter right)
but belong to nobody on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.devices.astm.convert import ROME
from app.devices.astm.records import Record, Repeat, encode_message


@dataclass(frozen=True)
class SyntheticPatient:
    """An invented patient as an analyzer keeps it."""

    codice_fiscale: str
    family_name: str
    given_name: str
    birth_date: str  # YYYYMMDD
    sex: str  # M / F


PATIENTS = (
    SyntheticPatient("RSSMRA80A01H501U", "Rossi", "Mario", "19800101", "M"),
    SyntheticPatient("DNGNCL56C14F839Q", "D'Angelo", "Nicolò", "19560314", "M"),
    SyntheticPatient("LCUMGR48S42H224X", "Lucà", "Maria Grazia", "19481102", "F"),
    SyntheticPatient("BNCFNC71P70L219I", "Bianchi", "Francesca", "19710930", "F"),
    SyntheticPatient("SPSGPP62L21F205F", "Esposito", "Giuseppe", "19620721", "M"),
)


@dataclass(frozen=True)
class SampleResult:
    """One result line of a synthetic message (R record fields 3-9)."""

    code: str
    value: str
    unit: str
    reference: str = ""
    flag: str = "N"
    status: str = "F"


STANDARD_PANEL = (
    SampleResult("HbA1c", "53", "mmol/mol", "20-42", "H"),
    SampleResult("CHOL", "212", "mg/dL", "<200", "H"),
    SampleResult("HDL", "48", "mg/dL", ">40"),
    SampleResult("LDL", "138", "mg/dL", "<130", "H"),
    SampleResult("TRIG", "130", "mg/dL", "<150"),
    SampleResult("GLU", "118", "mg/dL", "70-100", "H"),
    SampleResult("INR", "2.4", "INR", "2.0-3.0"),
)

DEVICE = ("Medirete POC Sim", "1.0", "SN00042")
LONG_COMMENT = (
    "Campione capillare prelevato a digiuno da 12 ore; il paziente riferisce terapia con "
    "metformina 1000 mg x 2 e warfarin secondo schema TAO | controllo ^ settimanale & "
    "verifica dell'aderenza. Nota dell'operatore: ripetere HbA1c tra tre mesi, lipidi "
    "tra sei mesi, INR tra sette giorni; segnalare al medico curante valori fuori range. "
    "Strumento calibrato il giorno stesso con controlli di livello 1 e 2 entro i limiti. "
    "Lotto cartucce 2406A, scadenza 2026-12; temperatura ambiente 22 °C, umidità 45 %."
)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(ROME).strftime("%Y%m%d%H%M%S")


def sample_records(
    patient: SyntheticPatient = PATIENTS[0],
    results: Sequence[SampleResult] = STANDARD_PANEL,
    *,
    when: datetime | None = None,
    sample_id: str = "POC0001",
    comment: str = "",
) -> list[Record]:
    """H, P, O, the R records (each maybe followed by C) and L of one analyzer message."""
    moment = when or datetime.now(ROME)
    stamp = _stamp(moment)
    tests: list[Repeat] = [("", "", "", result.code) for result in results]
    records = [
        Record.build("H", "\\^&", "", "", DEVICE, "", "", "", "", "Medirete", "", "P",
                     "LIS2-A2", stamp),
        Record.build("P", "1", patient.codice_fiscale, "", "",
                     (patient.family_name, patient.given_name), "", patient.birth_date,
                     patient.sex),
        Record.build("O", "1", sample_id, "", tests, "R", "", _stamp(moment - timedelta(minutes=6)),
                     "", "", "", "N", "", "", "", "capillary", "", "", "", "", "", "", "", "",
                     "F"),
    ]  # fmt: skip
    for number, result in enumerate(results, start=1):
        finished = _stamp(moment - timedelta(minutes=1))
        records.append(
            Record.build("R", str(number), ("", "", "", result.code), result.value, result.unit,
                         result.reference, result.flag, "", result.status, "", "operatore",
                         _stamp(moment - timedelta(minutes=5)), finished, DEVICE[2])
        )  # fmt: skip
    if comment:
        records.append(Record.build("C", "1", "I", comment, "G"))
    records.append(Record.build("L", "1", "N"))
    return records


def sample_message(
    patient: SyntheticPatient = PATIENTS[0],
    results: Sequence[SampleResult] = STANDARD_PANEL,
    *,
    when: datetime | None = None,
    sample_id: str = "POC0001",
    comment: str = "",
) -> bytes:
    """A realistic message (CR-ended records): HbA1c, lipid panel, glucose, INR."""
    records = sample_records(patient, results, when=when, sample_id=sample_id, comment=comment)
    return encode_message(records)


def long_results(count: int = 24) -> list[SampleResult]:
    """``count`` results cycling through the standard panel (repeat measurements)."""
    return [STANDARD_PANEL[index % len(STANDARD_PANEL)] for index in range(count)]


def long_message(
    patient: SyntheticPatient = PATIENTS[1], *, count: int = 24, when: datetime | None = None
) -> bytes:
    """A message with ``count`` results and a comment longer than a frame (ETB splits,
    frame numbers wrapping past 7)."""
    return sample_message(
        patient, long_results(count), when=when, sample_id="POC0024", comment=LONG_COMMENT * 2
    )
