"""Synthetic LIS2-A2 messages a point-of-care analyzer would send (simulator and tests).

Every person here is invented; the codici fiscali are well formed (check letter right)
but belong to nobody on purpose. ``read_patients`` reads the analyzer's own patient list
from a file (``devsim astm --patients``): one patient a line, tab-separated.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from app.core.i18n import _
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
    tests: tuple[str, ...] = ()  # test codes measured for this patient (empty: STANDARD_PANEL)


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


# Tests whose value follows the patient (code: low, high, decimals, unit, reference range):
# a diabetic's HbA1c and fasting glucose, and the INR of a patient on a direct oral
# anticoagulant (apixaban, edoxaban, rivaroxaban leave it near normal). A patient naming
# a lipid test gets STANDARD_PANEL's value.
_VARIED: dict[str, tuple[float, float, int, str, tuple[float, float]]] = {
    "HbA1c": (48.0, 72.0, 0, "mmol/mol", (20.0, 42.0)),
    "GLU": (104.0, 186.0, 0, "mg/dL", (70.0, 100.0)),
    "INR": (1.0, 1.5, 1, "INR", (0.8, 1.2)),
}
PANEL_CODES = tuple(result.code for result in STANDARD_PANEL)
_CF_SHAPE = re.compile(r"[A-Z0-9]{16}")


def _draw(*key: object) -> random.Random:
    return random.Random(zlib.crc32(":".join(map(str, key)).encode("utf-8")))


def _varied(patient: SyntheticPatient, code: str, draw: int) -> SampleResult:
    low, high, decimals, unit, (ref_low, ref_high) = _VARIED[code]
    level = _draw(patient.codice_fiscale, code).uniform(low, high)  # the patient's own level
    spread = (high - low) / 10
    value = level + _draw(patient.codice_fiscale, code, draw).uniform(-spread, spread)
    value = round(min(high, max(low, value)), decimals)
    flag = "H" if value > ref_high else "L" if value < ref_low else "N"
    return SampleResult(code, f"{value:.{decimals}f}", unit, f"{ref_low:g}-{ref_high:g}", flag)


def patient_results(patient: SyntheticPatient, draw: int = 0) -> tuple[SampleResult, ...]:
    """The results of ``patient``'s ``draw``-th sample: STANDARD_PANEL when the patient
    names no tests, else those tests, near the patient's own level at every draw."""
    if not patient.tests:
        return STANDARD_PANEL
    standard = {result.code: result for result in STANDARD_PANEL}
    return tuple(_varied(patient, code, draw) if code in _VARIED else standard[code]
                 for code in patient.tests)  # fmt: skip


class PatientsFileError(ValueError):
    """A patients file that cannot be used; the message says where and why."""


def patients_line(patient: SyntheticPatient) -> str:
    """``patient`` as a line of a patients file (no line end)."""
    fields = [patient.codice_fiscale, patient.family_name, patient.given_name,
              patient.birth_date, patient.sex]  # fmt: skip
    if patient.tests:
        fields.append(",".join(patient.tests))
    return "\t".join(fields)


def _is_birth_date(text: str) -> bool:
    if len(text) != 8 or not text.isdigit():
        return False
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def _parse_line(line: str) -> SyntheticPatient | str:
    """The patient on one line, or what is wrong with it."""
    fields = [field.strip() for field in line.split("\t")]
    if len(fields) not in (5, 6):
        return _("expected 5 or 6 tab-separated fields, found {count}").format(count=len(fields))
    cf, surname, given, birth, sex = fields[:5]
    tests = tuple(code.strip() for code in fields[5].split(",") if code.strip()) \
        if len(fields) == 6 else ()  # fmt: skip
    unknown = [code for code in tests if code not in PANEL_CODES]
    if not _CF_SHAPE.fullmatch(cf.upper()):
        return _("not a codice fiscale: {value}").format(value=cf)
    if not surname or not given:
        return _("a surname and a given name are needed")
    if not _is_birth_date(birth):
        return _("not a birth date (YYYYMMDD): {value}").format(value=birth)
    if sex not in ("M", "F"):
        return _("sex must be M or F: {value}").format(value=sex)
    if unknown:
        return _("unknown test code: {value}").format(value=unknown[0])
    return SyntheticPatient(cf.upper(), surname, given, birth, sex, tests)


def read_patients(path: Path) -> tuple[SyntheticPatient, ...]:
    """The patients of a UTF-8 file: codice fiscale, surname, given name, birth date
    (YYYYMMDD), sex (M/F) and optionally test codes (comma-separated), tab-separated, one
    patient a line; blank lines and lines starting with ``#`` are skipped.

    ``PatientsFileError`` names the first line that cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatientsFileError(_("cannot read the patients file {path}: {detail}")
                                .format(path=path, detail=exc)) from exc  # fmt: skip
    patients: list[SyntheticPatient] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parsed = _parse_line(line)
        if isinstance(parsed, str):
            raise PatientsFileError(_("patients file {path}, line {line}: {problem}")
                                    .format(path=path, line=number, problem=parsed))  # fmt: skip
        patients.append(parsed)
    if not patients:
        raise PatientsFileError(_("no patients in {path}").format(path=path))
    return tuple(patients)
