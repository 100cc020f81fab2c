"""One model for a resting 12-lead ECG, whatever file it came in.

Every reader (SCP-ECG, HL7 aECG, DICOM waveform) returns an ``EcgRecording``: samples
in µV per lead, the sampling rate, the patient and device as sent, the cart's
measurements and statements, and the original bytes. ``to_device_message`` turns it
into the ``DeviceMessage`` the inbox stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from app.devices.ecg.errors import EcgError
from app.devices.ecg.leads import derive_limb_leads, ordered
from app.devices.results import DeviceMessage, DeviceResult, PatientRef

SourceFormat = Literal["scp-ecg", "aecg", "dicom-ecg"]
# Far beyond any body surface potential (a few mV), yet II - I still fits in int32.
MAX_MICROVOLTS = 2**30


@dataclass(frozen=True)
class EcgMeasurements:
    """The cart's global measurements; None where the file gives none."""

    heart_rate_bpm: float | None = None
    pr_ms: float | None = None
    qrs_ms: float | None = None
    qt_ms: float | None = None
    qtc_ms: float | None = None
    p_axis_deg: float | None = None
    qrs_axis_deg: float | None = None
    t_axis_deg: float | None = None


@dataclass(frozen=True)
class EcgAnnotation:
    """One annotation as an aECG file carries it (code, value as text, unit, HL7 type)."""

    code: str
    value: str
    unit: str = ""
    value_type: str = ""  # xsi:type of the value: "PQ", "CE", "ST", ... ("" when none)


@dataclass(frozen=True, eq=False)
class EcgRecording:
    """A 12-lead (or more, or fewer) ECG: samples in µV, read-only."""

    leads: Mapping[str, NDArray[np.int32]]
    sampling_rate: float  # Hz
    source_format: SourceFormat
    original: bytes
    derived: frozenset[str] = frozenset()  # leads computed here, not sent by the cart
    acquired_at: datetime | None = None  # aware
    patient: PatientRef = field(default_factory=PatientRef)
    device: str = ""  # maker / model / serial as the cart reports them
    measurements: EcgMeasurements = field(default_factory=EcgMeasurements)
    statements: tuple[str, ...] = ()  # the cart's interpretation, one line each
    notes: tuple[str, ...] = ()  # free text sent with the ECG (referral, history)
    annotations: tuple[EcgAnnotation, ...] = ()
    # Sample index of each lead's first sample on the common time axis (0 if absent).
    start_samples: Mapping[str, int] = field(default_factory=dict)

    def duration_s(self) -> float:
        """Length of the longest lead in seconds."""
        longest = max((len(data) for data in self.leads.values()), default=0)
        return longest / self.sampling_rate if self.sampling_rate > 0 else 0.0


def microvolts(values: NDArray[np.float64] | NDArray[np.int64], what: str) -> NDArray[np.int32]:
    """Samples already scaled to µV, rounded, as int32; EcgError if not plausible."""
    data = np.asarray(values)
    if data.size and not np.all(np.isfinite(data)):
        raise EcgError(f"{what}: samples that are not numbers")
    if data.size and float(np.max(np.abs(data))) >= MAX_MICROVOLTS:
        raise EcgError(f"{what}: samples out of range")
    return np.asarray(np.rint(data), dtype=np.int64).astype(np.int32)


def make_recording(
    leads: Mapping[str, NDArray[np.int32]],
    sampling_rate: float,
    source_format: SourceFormat,
    original: bytes,
    *,
    acquired_at: datetime | None = None,
    patient: PatientRef | None = None,
    device: str = "",
    measurements: EcgMeasurements | None = None,
    statements: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    annotations: tuple[EcgAnnotation, ...] = (),
    start_samples: Mapping[str, int] | None = None,
) -> EcgRecording:
    """Order the leads, derive missing limb leads from I and II, freeze the arrays."""
    if not leads:
        raise EcgError("the file contains no ECG leads")
    if not (np.isfinite(sampling_rate) and sampling_rate > 0):
        raise EcgError(f"invalid sampling rate {sampling_rate!r}")
    empty = [name for name, data in leads.items() if not len(data)]
    if empty:
        raise EcgError(f"lead {empty[0]} has no samples")
    starts = {name: start for name, start in (start_samples or {}).items() if start}
    recorded = dict(leads)
    derived: dict[str, NDArray[np.int32]] = {}
    if starts.get("I", 0) == starts.get("II", 0):
        derived = derive_limb_leads(recorded)
        starts.update({name: starts.get("I", 0) for name in derived if starts.get("I")})
    all_leads = ordered({**recorded, **derived})
    for name, data in all_leads.items():
        frozen = np.array(data, dtype=np.int32)  # our own copy: the caller's stays writeable
        frozen.flags.writeable = False
        all_leads[name] = frozen
    return EcgRecording(
        leads=MappingProxyType(all_leads),
        sampling_rate=float(sampling_rate),
        source_format=source_format,
        original=bytes(original),
        derived=frozenset(derived),
        acquired_at=acquired_at,
        patient=patient or PatientRef(),
        device=device,
        measurements=measurements or EcgMeasurements(),
        statements=statements,
        notes=notes,
        annotations=annotations,
        start_samples=MappingProxyType(starts),
    )


# The cart's measurements as local codes. LOINC has matching terms (PR interval 8625-6,
# QRS duration 8633-0, QT 8634-8, QTc 8636-3, P/QRS/T axes 8626-4/8632-2/8638-1, to be
# confirmed against the LOINC table before they are used instead).
_MEASUREMENT_RESULTS = (
    ("pr_ms", "ECG-PR", "PR", "ms"),
    ("qrs_ms", "ECG-QRS", "QRS", "ms"),
    ("qt_ms", "ECG-QT", "QT", "ms"),
    ("qtc_ms", "ECG-QTC", "QTc", "ms"),
    ("p_axis_deg", "ECG-P-AXIS", "Asse P", "deg"),
    ("qrs_axis_deg", "ECG-QRS-AXIS", "Asse QRS", "deg"),
    ("t_axis_deg", "ECG-T-AXIS", "Asse T", "deg"),
)


def to_device_message(rec: EcgRecording) -> DeviceMessage:
    """The inbox's view of an ECG: one ECG12 result (heart rate), measurements, the file."""
    when = rec.acquired_at.astimezone(UTC) if rec.acquired_at is not None else None
    results = [
        DeviceResult(
            code="ECG12",
            code_system="local:ecg",
            display="ECG 12 derivazioni",
            value_num=rec.measurements.heart_rate_bpm,
            unit="/min",
            observed_at=when,
            device_code="ECG12",
        )
    ]
    for attribute, code, display, unit in _MEASUREMENT_RESULTS:
        value = getattr(rec.measurements, attribute)
        if value is not None:
            results.append(
                DeviceResult(code=code, code_system="local:ecg", display=display,
                             value_num=value, unit=unit, observed_at=when, device_code=code)
            )  # fmt: skip
    return DeviceMessage(
        driver=rec.source_format,
        patient=rec.patient,
        results=tuple(results),
        raw=rec.original,
        device=rec.device,
        sent_at=when,
        comments=rec.statements + rec.notes,
        attachments={"original": rec.original},
    )
