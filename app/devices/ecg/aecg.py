"""HL7 v3 annotated ECG (FDA aECG) reader, and ``write_aecg`` for round trips.

The document is ``AnnotatedECG`` in ``urn:hl7-org:v3``: a series holds a sequence set
whose sequences are a time axis (``TIME_ABSOLUTE`` as ``GLIST_TS`` or
``TIME_RELATIVE`` as ``GLIST_PQ``: the increment gives the sampling interval) and one
``SLIST_PQ`` per lead (``MDC_ECG_LEAD_I`` ...: value = digit x scale + origin, in the
unit given). Annotation sets carry measurements and statements as coded annotations.

XML from outside is parsed with ElementTree only after refusing any document with a
DTD or entity declaration (no entity expansion, no external entities).
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from datetime import datetime, tzinfo

import numpy as np
from numpy.typing import NDArray

from app.devices.ecg.aecg_codes import (
    LEAD_PREFIX,
    MEASUREMENT_CODES,
    STATEMENT,
    TO_MICROVOLTS,
    TO_SECONDS,
    XSI_TYPE,
    q,
)
from app.devices.ecg.aecg_writer import write_aecg
from app.devices.ecg.errors import EcgError, EcgUnsupportedError
from app.devices.ecg.leads import normalize_lead_name
from app.devices.ecg.model import (
    EcgAnnotation,
    EcgMeasurements,
    EcgRecording,
    make_recording,
    microvolts,
)
from app.devices.ecg.timestamps import parse_timestamp
from app.devices.results import PatientRef

__all__ = ["is_aecg", "read_aecg", "write_aecg"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF8, "utf-8-sig"),
)  # fmt: skip
_SNIFF = 65536
_DECLARED_ENCODING = re.compile(r"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# Encodings in which the markup we look for ("<!DOCTYPE") reads as it is written; any
# other (UTF-7, EBCDIC, ...) could hide a DTD from the check and is refused.
_SAFE_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1",
                   "iso-8859-15", "windows-1252", "cp1252", "utf-16"}  # fmt: skip


def _as_text(data: bytes) -> str:
    """The document as text, for looking at its markup (never for parsing)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\0" in data:
        raise EcgError("aECG: NUL bytes in the document (unsupported encoding)")
    return data.decode("latin-1")  # markup is ASCII in every ASCII-compatible encoding


def is_aecg(data: bytes) -> bool:
    """True when ``data`` looks like an HL7 annotated ECG document."""
    try:
        head = _as_text(data[:_SNIFF]).lstrip()
    except EcgError:
        return False
    return head.startswith("<") and "AnnotatedECG" in head and "urn:hl7-org:v3" in head


def parse_document(data: bytes) -> ET.Element:
    """The root element, refusing DTDs and entity declarations before parsing."""
    text = _as_text(data)
    declared = _DECLARED_ENCODING.match(text.lstrip("\ufeff \t\r\n"))
    if declared and declared.group(1).strip().lower() not in _SAFE_ENCODINGS:
        raise EcgUnsupportedError(f"aECG document encoding {declared.group(1)!r}")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise EcgError("aECG: documents with a DTD or entity declarations are refused")
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError, UnicodeError) as error:
        raise EcgError(f"aECG: not well-formed XML ({error})") from error
    if root.tag != q("AnnotatedECG"):
        raise EcgError(f"aECG: root element is {root.tag}, not AnnotatedECG")
    return root


def read_aecg(data: bytes, local_tz: tzinfo | None = None) -> EcgRecording:
    """Read an HL7 aECG document into an ``EcgRecording`` (samples in µV)."""
    root = parse_document(data)
    series = root.find(f"{q('component')}/{q('series')}")
    if series is None:
        raise EcgError("aECG: no series")
    sequence_set = series.find(f"{q('component')}/{q('sequenceSet')}")
    if sequence_set is None:
        raise EcgError("aECG: no sequence set")
    sequences = sequence_set.findall(f"{q('component')}/{q('sequence')}")
    interval_s, head = _time_axis(sequences, local_tz)
    annotations = _annotations(series)
    rate = 1.0 / interval_s
    if abs(rate - round(rate)) < 1e-9 * rate:  # 0.002 s is 500 Hz, not 499.99999999999994
        rate = float(round(rate))
    return make_recording(
        _leads(sequences),
        rate,
        "aecg",
        data,
        acquired_at=_effective_time(root, series, local_tz) or head,
        patient=_patient(root),
        device=_device(series),
        measurements=_measurements(annotations),
        statements=tuple(a.value for a in annotations if a.code == STATEMENT and a.value),
        annotations=annotations,
    )


def _code(element: ET.Element) -> str:
    code = element.find(q("code"))
    return code.get("code", "") if code is not None else ""


def _value_type(value: ET.Element) -> str:
    return value.get(XSI_TYPE, "").rpartition(":")[2]


def _number(element: ET.Element | None, what: str) -> float:
    if element is None:
        raise EcgError(f"aECG: {what} missing")
    try:
        number = float(element.get("value", ""))
    except ValueError as error:
        raise EcgError(f"aECG: {what} is not a number") from error
    if not np.isfinite(number):
        raise EcgError(f"aECG: {what} is not a number")
    return number


def _factor(element: ET.Element | None, table: dict[str, float], what: str) -> float:
    unit = element.get("unit", "") if element is not None else ""
    if unit not in table:
        raise EcgUnsupportedError(f"aECG {what} unit {unit!r}")
    return table[unit]


def _time_axis(
    sequences: list[ET.Element], local_tz: tzinfo | None
) -> tuple[float, datetime | None]:
    """Sampling interval in seconds, and the time of the first sample when absolute."""
    for sequence in sequences:
        value = sequence.find(q("value"))
        if _code(sequence).startswith("TIME_") and value is not None:
            increment = value.find(q("increment"))
            interval = _number(increment, "time increment")
            interval *= _factor(increment, TO_SECONDS, "time increment")
            if not 1e-9 <= interval <= 1.0:  # 1 GHz .. 1 Hz: anything else is not an ECG
                raise EcgError(f"aECG: time increment of {interval} s")
            head = value.find(q("head"))
            start = None
            if _value_type(value) == "GLIST_TS" and head is not None:
                start = parse_timestamp(head.get("value", ""), local_tz)
            return interval, start
    raise EcgError("aECG: no time sequence (sampling rate unknown)")


def _leads(sequences: list[ET.Element]) -> dict[str, NDArray[np.int32]]:
    leads: dict[str, NDArray[np.int32]] = {}
    for sequence in sequences:
        code = _code(sequence)
        value = sequence.find(q("value"))
        if not code.startswith(LEAD_PREFIX) or value is None:
            continue
        if _value_type(value) != "SLIST_PQ":
            raise EcgUnsupportedError(f"aECG lead value type {_value_type(value)!r}")
        name = normalize_lead_name(code[len(LEAD_PREFIX) :])
        leads[name if name not in leads else f"{name}#{len(leads)}"] = _samples(value, name)
    return leads


def _samples(value: ET.Element, name: str) -> NDArray[np.int32]:
    """digits x scale + origin, converted to µV."""
    origin, scale = value.find(q("origin")), value.find(q("scale"))
    origin_uv = 0.0
    if origin is not None:
        origin_uv = _number(origin, f"lead {name} origin")
        origin_uv *= _factor(origin, TO_MICROVOLTS, "origin")
    scale_uv = _number(scale, f"lead {name} scale") * _factor(scale, TO_MICROVOLTS, "scale")
    digits = value.find(q("digits"))
    try:
        raw = np.array((digits.text or "").split() if digits is not None else [], dtype=np.int64)
    except (ValueError, OverflowError) as error:
        raise EcgError(f"aECG: lead {name} digits are not integers") from error
    with np.errstate(over="ignore", invalid="ignore"):  # microvolts() rejects inf and nan
        values = np.asarray(raw * scale_uv + origin_uv, dtype=np.float64)
    return microvolts(values, f"aECG lead {name}")


def _annotations(series: ET.Element) -> tuple[EcgAnnotation, ...]:
    """Every annotation of the series and its derived series, nested ones flattened."""
    found = []
    for annotation in series.iter(q("annotation")):
        code = _code(annotation)
        value = annotation.find(q("value"))
        if not code:
            continue
        if value is None:
            found.append(EcgAnnotation(code, ""))
            continue
        kind = _value_type(value)
        if kind in ("CE", "CD", "CV", "CO"):
            text = value.get("code", "")
        elif kind == "ST":
            text = (value.text or "").strip()
        else:
            text = value.get("value", (value.text or "").strip())
        found.append(EcgAnnotation(code, text, value.get("unit", ""), kind))
    return tuple(found)


def _measurements(annotations: tuple[EcgAnnotation, ...]) -> EcgMeasurements:
    """The first numeric annotation for each measurement code (durations in ms)."""
    found: dict[str, float] = {}
    for field_name, codes in MEASUREMENT_CODES.items():
        wanted = {code.upper() for code in codes}
        for annotation in annotations:
            if annotation.code.upper() in wanted:
                number = _annotation_number(annotation)
                if number is not None:
                    found[field_name] = number
                    break
    return EcgMeasurements(**found)


def _annotation_number(annotation: EcgAnnotation) -> float | None:
    try:
        number = float(annotation.value)
    except ValueError:
        return None
    if not np.isfinite(number):
        return None
    return number * 1000.0 if annotation.unit == "s" else number


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _attribute(element: ET.Element | None, path: str, name: str) -> str:
    found = element.find(path) if element is not None else None
    return found.get(name, "").strip() if found is not None else ""


def _effective_time(
    root: ET.Element, series: ET.Element, local_tz: tzinfo | None
) -> datetime | None:
    for element in (root, series):
        for bound in ("low", "center"):
            stamp = _attribute(element, f"{q('effectiveTime')}/{q(bound)}", "value")
            if stamp:
                return parse_timestamp(stamp, local_tz)
    return None


def _patient(root: ET.Element) -> PatientRef:
    subject = root.find(f".//{q('trialSubject')}")
    person = subject.find(q("subjectDemographicPerson")) if subject is not None else None
    identifier = _attribute(subject, q("id"), "extension") or _attribute(subject, q("id"), "root")
    name = person.find(q("name")) if person is not None else None
    family = _text(name, q("family"))
    given = _text(name, q("given"))
    if name is not None and not (family or given):
        family = (name.text or "").strip()  # e.g. initials only
    return PatientRef(
        identifier=identifier,
        family_name=family,
        given_name=given,
        birth_date=_attribute(person, q("birthTime"), "value")[:8],
        sex=_attribute(person, q("administrativeGenderCode"), "code"),
    )


def _device(series: ET.Element) -> str:
    author = series.find(f"{q('author')}/{q('seriesAuthor')}")
    device = author.find(q("manufacturedSeriesDevice")) if author is not None else None
    parts = (
        _text(author, f"{q('manufacturerOrganization')}/{q('name')}"),
        _text(device, q("manufacturerModelName")),
        _attribute(device, q("id"), "extension"),
    )
    return " / ".join(part for part in parts if part)
