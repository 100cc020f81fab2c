"""Write an ``EcgRecording`` as an HL7 v3 annotated ECG (used for round-trip tests).

Leads the cart sent are written as ``SLIST_PQ`` in µV (origin 0, scale 1), so a
recording read back is identical sample for sample; derived leads are left out (the
reader derives them again). Measurements and statements become annotations unless
the recording's own annotations already carry them.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

from app.devices.ecg.aecg_codes import (
    ACT_CODE_SYSTEM,
    CPT_SYSTEM,
    GENDER_SYSTEM,
    LEAD_PREFIX,
    MDC_SYSTEM,
    MEASUREMENT_CODES,
    MEASUREMENT_UNITS,
    NS,
    STATEMENT,
    XSI_TYPE,
    q,
)
from app.devices.ecg.model import EcgAnnotation, EcgRecording
from app.devices.ecg.timestamps import format_timestamp

# HL7 documents put their elements in the default namespace (no prefix on every tag).
ET.register_namespace("", NS)


def _child(parent: ET.Element, path: str, **attributes: str) -> ET.Element:
    """Create the elements of a "a/b/c" path under ``parent``; return the last one."""
    element = parent
    for tag in path.split("/"):
        element = ET.SubElement(element, q(tag))
    element.attrib.update(attributes)
    return element


def write_aecg(rec: EcgRecording) -> bytes:
    """The recording as an aECG document (UTF-8 bytes with an XML declaration)."""
    root = ET.Element(q("AnnotatedECG"))
    _child(root, "id", root=str(uuid.uuid4()))
    _child(root, "code", code="93000", codeSystem=CPT_SYSTEM, codeSystemName="CPT-4")
    _effective_time(root, rec)
    _patient(root, rec)
    series = _child(root, "component/series")
    _child(series, "id", root=str(uuid.uuid4()))
    _child(series, "code", code="RHYTHM", codeSystem=ACT_CODE_SYSTEM)
    _effective_time(series, rec)
    if rec.device:
        device = _child(series, "author/seriesAuthor/manufacturedSeriesDevice")
        _child(device, "manufacturerModelName").text = rec.device
    sequence_set = _child(series, "component/sequenceSet")
    _time_sequence(sequence_set, rec)
    for name, samples in rec.leads.items():
        if name in rec.derived:
            continue
        sequence = _child(sequence_set, "component/sequence")
        _child(sequence, "code", code=LEAD_PREFIX + name.upper(), codeSystem=MDC_SYSTEM)
        value = _child(sequence, "value", **{XSI_TYPE: "SLIST_PQ"})
        _child(value, "origin", value="0", unit="uV")
        _child(value, "scale", value="1", unit="uV")
        _child(value, "digits").text = " ".join(str(v) for v in samples.tolist())
    annotations = _all_annotations(rec)
    if annotations:
        annotation_set = _child(series, "subjectOf/annotationSet")
        for annotation in annotations:
            _annotation(_child(annotation_set, "component/annotation"), annotation)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _effective_time(parent: ET.Element, rec: EcgRecording) -> None:
    if rec.acquired_at is None:
        return
    end = rec.acquired_at + timedelta(seconds=rec.duration_s())
    time = _child(parent, "effectiveTime")
    _child(time, "low", value=format_timestamp(rec.acquired_at))
    _child(time, "high", value=format_timestamp(end))


def _patient(root: ET.Element, rec: EcgRecording) -> None:
    patient = rec.patient
    path = "componentOf/timepointEvent/componentOf/subjectAssignment/subject/trialSubject"
    subject = _child(root, path)
    _child(subject, "id", extension=patient.identifier)
    person = _child(subject, "subjectDemographicPerson")
    name = _child(person, "name")
    _child(name, "given").text = patient.given_name
    _child(name, "family").text = patient.family_name
    if patient.sex:
        _child(person, "administrativeGenderCode", code=patient.sex, codeSystem=GENDER_SYSTEM)
    if patient.birth_date:
        _child(person, "birthTime", value=patient.birth_date)


def _time_sequence(sequence_set: ET.Element, rec: EcgRecording) -> None:
    sequence = _child(sequence_set, "component/sequence")
    increment = repr(1.0 / rec.sampling_rate)
    if rec.acquired_at is not None:
        _child(sequence, "code", code="TIME_ABSOLUTE", codeSystem=ACT_CODE_SYSTEM)
        value = _child(sequence, "value", **{XSI_TYPE: "GLIST_TS"})
        _child(value, "head", value=format_timestamp(rec.acquired_at))
    else:
        _child(sequence, "code", code="TIME_RELATIVE", codeSystem=ACT_CODE_SYSTEM)
        value = _child(sequence, "value", **{XSI_TYPE: "GLIST_PQ"})
        _child(value, "head", value="0", unit="s")
    _child(value, "increment", value=increment, unit="s")


def _all_annotations(rec: EcgRecording) -> list[EcgAnnotation]:
    annotations = list(rec.annotations)
    present = {annotation.code.upper() for annotation in annotations}
    for field_name, codes in MEASUREMENT_CODES.items():
        number = getattr(rec.measurements, field_name)
        if number is not None and not present & {code.upper() for code in codes}:
            unit = MEASUREMENT_UNITS.get(field_name, "ms")
            annotations.append(EcgAnnotation(codes[0], _number_text(number), unit, "PQ"))
    if STATEMENT not in present:
        annotations += [EcgAnnotation(STATEMENT, line, "", "ST") for line in rec.statements]
    return annotations


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _annotation(element: ET.Element, annotation: EcgAnnotation) -> None:
    _child(element, "code", code=annotation.code, codeSystem=MDC_SYSTEM)
    kind = annotation.value_type or ("PQ" if annotation.unit else "ST")
    if not annotation.value and not annotation.value_type:
        return
    value = _child(element, "value", **{XSI_TYPE: kind})
    if kind in ("CE", "CD", "CV", "CO"):
        value.set("code", annotation.value)
    elif kind == "ST":
        value.text = annotation.value
    else:
        value.set("value", annotation.value)
        if annotation.unit:
            value.set("unit", annotation.unit)
