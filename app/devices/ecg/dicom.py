"""DICOM waveform ECG (12-lead, general and ambulatory ECG IODs) through pydicom.

The rhythm multiplex group (label "RHYTHM", else the first original one) gives the
samples: ``Dataset.waveform_array`` applies each channel's sensitivity, correction
factor and baseline, and the channel's sensitivity unit (UCUM uV/mV/V) converts to
µV. Lead names come from the channel source codes (SCPECG ``5.6.3-9-n`` and MDC
``2:n``/``131072 + n`` reuse the SCP-ECG lead numbers), else from the code meaning.
Measurements and statements come from the waveform annotations.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, tzinfo

import numpy as np
import pydicom
from numpy.typing import NDArray
from pydicom.dataset import Dataset

from app.devices.ecg.errors import EcgError, EcgUnsupportedError
from app.devices.ecg.leads import SCP_LEADS, normalize_lead_name, scp_lead_name
from app.devices.ecg.model import EcgMeasurements, EcgRecording, make_recording, microvolts
from app.devices.ecg.timestamps import parse_timestamp
from app.devices.results import PatientRef

_TO_MICROVOLTS = {"uV": 1.0, "mV": 1000.0, "V": 1e6, "nV": 1e-3}
_MDC_LEAD_BASE = 131072  # MDC partition 2 (ECG leads): code = 2 * 65536 + SCP lead id
_MEASUREMENTS = {
    "heart rate": "heart_rate_bpm", "ventricular heart rate": "heart_rate_bpm",
    "ventricular rate": "heart_rate_bpm", "pr interval": "pr_ms", "qrs duration": "qrs_ms",
    "qt interval": "qt_ms", "qtc interval": "qtc_ms", "p axis": "p_axis_deg",
    "qrs axis": "qrs_axis_deg", "t axis": "t_axis_deg",
}  # fmt: skip


def is_dicom(data: bytes) -> bool:
    """True when ``data`` has the DICOM file preamble ("DICM" at offset 128)."""
    return len(data) >= 132 and data[128:132] == b"DICM"


def read_dicom(data: bytes, local_tz: tzinfo | None = None) -> EcgRecording:
    """Read a DICOM ECG waveform file into an ``EcgRecording`` (samples in µV)."""
    try:
        dataset = pydicom.dcmread(io.BytesIO(data))
        return _recording(dataset, data, local_tz)
    except EcgError:
        raise
    except Exception as error:  # pydicom reports damaged files with many exception types
        raise EcgError(f"DICOM: unreadable ECG ({type(error).__name__}: {error})") from error


def _recording(dataset: Dataset, data: bytes, local_tz: tzinfo | None) -> EcgRecording:
    groups = dataset.get("WaveformSequence")
    if not groups:
        raise EcgError("DICOM file without waveform data")
    index = _rhythm_group(groups)
    group = groups[index]
    samples = dataset.waveform_array(index)
    channels = group.get("ChannelDefinitionSequence") or []
    if samples.ndim != 2 or len(channels) != samples.shape[1]:
        raise EcgError("DICOM: channel definitions do not match the waveform data")
    leads: dict[str, NDArray[np.int32]] = {}
    for column, channel in enumerate(channels):
        name = _lead_name(channel, column)
        name = name if name not in leads else f"{name}#{column + 1}"
        scaled = samples[:, column] * _unit_factor(channel, name)
        leads[name] = microvolts(scaled, f"DICOM lead {name}")
    statements, measurements = _annotations(dataset.get("WaveformAnnotationSequence") or [])
    return make_recording(
        leads,
        float(group.SamplingFrequency),
        "dicom-ecg",
        data,
        acquired_at=_acquired(dataset, local_tz),
        patient=_patient(dataset),
        device=" / ".join(
            str(dataset.get(keyword) or "").strip()
            for keyword in ("Manufacturer", "ManufacturerModelName", "DeviceSerialNumber")
            if str(dataset.get(keyword) or "").strip()
        ),
        measurements=measurements,
        statements=statements,
    )


def _rhythm_group(groups: Sequence[Dataset]) -> int:
    """Index of the rhythm multiplex group (else the first original one, else 0)."""
    for index, group in enumerate(groups):
        if str(group.get("MultiplexGroupLabel", "")).strip().upper() == "RHYTHM":
            return index
    for index, group in enumerate(groups):
        if str(group.get("WaveformOriginality", "")).strip().upper() == "ORIGINAL":
            return index
    return 0


def _lead_name(channel: Dataset, column: int) -> str:
    sources = channel.get("ChannelSourceSequence") or []
    if not sources:
        return f"channel-{column + 1}"
    source = sources[0]
    scheme = str(source.get("CodingSchemeDesignator", "")).strip().upper()
    value = str(source.get("CodeValue", "")).strip()
    lead_id: int | None = None
    if scheme == "SCPECG" and value.startswith("5.6.3-9-") and value[8:].isdigit():
        lead_id = int(value[8:])
    elif scheme == "MDC" and value.startswith("2:") and value[2:].isdigit():
        lead_id = int(value[2:])
    elif scheme == "MDC" and value.isdigit():
        lead_id = int(value) - _MDC_LEAD_BASE
    if lead_id is not None and SCP_LEADS.get(lead_id):
        return scp_lead_name(lead_id)
    meaning = str(source.get("CodeMeaning", "")).strip()
    return normalize_lead_name(meaning) if meaning else f"channel-{column + 1}"


def _unit_factor(channel: Dataset, name: str) -> float:
    units = channel.get("ChannelSensitivityUnitsSequence") or []
    if "ChannelSensitivity" not in channel or not units:
        raise EcgUnsupportedError(f"uncalibrated DICOM channel {name}")
    unit = str(units[0].get("CodeValue", "")).strip()
    if unit not in _TO_MICROVOLTS:
        raise EcgUnsupportedError(f"DICOM channel unit {unit!r} for lead {name}")
    return _TO_MICROVOLTS[unit]


def _acquired(dataset: Dataset, local_tz: tzinfo | None) -> datetime | None:
    offset = str(dataset.get("TimezoneOffsetFromUTC", "") or "").strip()
    stamp = str(dataset.get("AcquisitionDateTime", "") or "").strip()
    if not stamp:
        date = str(dataset.get("ContentDate", "") or "").strip()
        stamp = date + str(dataset.get("ContentTime", "") or "").strip() if date else ""
    if stamp and offset and stamp[-5:-4] not in ("+", "-"):
        stamp += offset
    return parse_timestamp(stamp, local_tz) if stamp else None


def _patient(dataset: Dataset) -> PatientRef:
    name = dataset.get("PatientName")
    return PatientRef(
        identifier=str(dataset.get("PatientID", "") or "").strip(),
        family_name=str(getattr(name, "family_name", "") or "").strip(),
        given_name=str(getattr(name, "given_name", "") or "").strip(),
        birth_date=str(dataset.get("PatientBirthDate", "") or "").strip(),
        sex=str(dataset.get("PatientSex", "") or "").strip(),
    )


def _annotations(items: Sequence[Dataset]) -> tuple[tuple[str, ...], EcgMeasurements]:
    """Statements (unformatted text) and global measurements of the annotations."""
    statements: list[str] = []
    found: dict[str, float] = {}
    rr_ms: float | None = None
    for item in items:
        text = str(item.get("UnformattedTextValue", "") or "").strip()
        if text:
            statements.extend(line.strip() for line in text.splitlines() if line.strip())
        names = item.get("ConceptNameCodeSequence") or []
        if not names or item.get("NumericValue") is None:
            continue
        meaning = str(names[0].get("CodeMeaning", "")).strip().lower()
        value = _number(item.get("NumericValue"))
        if value is None:
            continue
        units = item.get("MeasurementUnitsCodeSequence") or []
        if units and str(units[0].get("CodeValue", "")).strip() == "s":
            value *= 1000.0
        if meaning == "rr interval":
            rr_ms = value
        elif meaning in _MEASUREMENTS:
            found.setdefault(_MEASUREMENTS[meaning], value)
    if "heart_rate_bpm" not in found and rr_ms:
        found["heart_rate_bpm"] = float(round(60000.0 / rr_ms))
    return tuple(statements), EcgMeasurements(**found)


def _number(value: object) -> float | None:
    """A NumericValue (DS, possibly multi-valued) as one finite float."""
    first = value[0] if isinstance(value, Sequence) and not isinstance(value, str) else value
    try:
        number = float(str(first))
    except ValueError:
        return None
    return number if np.isfinite(number) else None
