"""12-lead ECG files: SCP-ECG, HL7 aECG and DICOM waveform, read into one model.

``read_ecg`` recognises the format from the bytes themselves and returns an
``EcgRecording``; ``to_device_message`` turns it into what the devices inbox stores.
Anything that is not an ECG file we can read raises ``EcgError`` (a ``ProtocolError``).
No Qt here: drawing the trace is the UI's business.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from datetime import tzinfo

from app.devices.ecg.aecg import is_aecg, read_aecg, write_aecg
from app.devices.ecg.dicom import is_dicom, read_dicom
from app.devices.ecg.errors import EcgChecksumError, EcgError, EcgUnsupportedError
from app.devices.ecg.model import (
    EcgAnnotation,
    EcgMeasurements,
    EcgRecording,
    to_device_message,
)
from app.devices.ecg.scp import is_scp, read_scp

__all__ = [
    "EcgAnnotation",
    "EcgChecksumError",
    "EcgError",
    "EcgMeasurements",
    "EcgRecording",
    "EcgUnsupportedError",
    "read_ecg",
    "to_device_message",
    "write_aecg",
]

# What our own parsers could still raise on hostile input; reported as a damaged file.
_MALFORMED = (struct.error, IndexError, KeyError, ValueError, OverflowError, ET.ParseError)


def read_ecg(data: bytes, name: str = "", local_tz: tzinfo | None = None) -> EcgRecording:
    """Read an ECG file of any supported format; ``name`` only labels error messages.

    ``local_tz`` is the zone of carts that do not state their UTC offset (default:
    this computer's zone).
    """
    label = f"{name}: " if name else ""
    reader = (
        read_dicom if is_dicom(data)
        else read_aecg if is_aecg(data)
        else read_scp if is_scp(data)
        else None
    )  # fmt: skip
    if reader is None:
        raise EcgError(f"{label}not an ECG file we can read (SCP-ECG, HL7 aECG, DICOM)")
    try:
        return reader(data, local_tz)
    except EcgError as error:
        if label:
            error.args = (f"{label}{error}",)
        raise
    except _MALFORMED as error:
        raise EcgError(f"{label}damaged ECG file ({type(error).__name__}: {error})") from error
