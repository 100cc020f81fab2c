"""HL7 aECG: round trip through the writer, units, annotations, hostile XML."""

from __future__ import annotations

import codecs
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from app.devices.ecg import (
    EcgAnnotation,
    EcgError,
    EcgMeasurements,
    EcgRecording,
    EcgUnsupportedError,
    read_ecg,
    to_device_message,
    write_aecg,
)
from app.devices.ecg.aecg import read_aecg
from app.devices.ecg.model import make_recording
from app.devices.results import PatientRef
from tests.devices.scp_writer import EIGHT, TWELVE, synthetic_ecg

ROME_SUMMER = timezone(timedelta(hours=2))
ANNOTATIONS = (
    EcgAnnotation("MDC_ECG_HEART_RATE", "72", "bpm", "PQ"),
    EcgAnnotation("MDC_ECG_TIME_PD_QT", "0.384", "s", "PQ"),
    EcgAnnotation("MDC_ECG_BEAT", "MDC_ECG_BEAT_NORMAL", "", "CE"),
    EcgAnnotation("MDC_ECG_INTERPRETATION_STATEMENT", "Ritmo sinusale", "", "ST"),
    EcgAnnotation("MDC_ECG_WAVC_PWAVE", ""),
)


def recording(names: tuple[str, ...] = TWELVE) -> EcgRecording:
    signal = synthetic_ecg(10.0, 500, names)
    leads = {name: values.astype(np.int32) for name, values in signal.items()}
    return make_recording(
        leads,
        500.0,
        "aecg",
        b"",
        acquired_at=datetime(2024, 7, 1, 9, 15, 30, 250000, tzinfo=ROME_SUMMER),
        patient=PatientRef("BNCLRA80A41F205X", "Bianchi", "Laura", "19800101", "F"),
        device="Mortara / ELI 250c / 1234",
        measurements=EcgMeasurements(pr_ms=150.0, qrs_ms=88.0, qtc_ms=412.0, qrs_axis_deg=-15.0),
        statements=("Ritmo sinusale",),
        annotations=ANNOTATIONS,
    )


def test_round_trip_sample_for_sample() -> None:
    original = recording()
    data = write_aecg(original)
    rec = read_ecg(data, "ecg.xml")
    assert rec.source_format == "aecg"
    assert rec.original == data
    assert list(rec.leads) == list(original.leads)
    for name, values in original.leads.items():
        assert np.array_equal(rec.leads[name], values), name
    assert rec.sampling_rate == 500.0
    assert rec.acquired_at == original.acquired_at
    assert rec.patient == original.patient
    assert rec.device == original.device
    assert rec.statements == ("Ritmo sinusale",)
    m = rec.measurements
    assert (m.heart_rate_bpm, m.qt_ms, m.pr_ms, m.qrs_ms, m.qtc_ms) == (72, 384, 150, 88, 412)
    assert m.qrs_axis_deg == -15 and m.p_axis_deg is None
    assert rec.annotations[: len(ANNOTATIONS)] == ANNOTATIONS  # kept, in order
    added = {a.code for a in rec.annotations[len(ANNOTATIONS) :]}
    assert added == {"MDC_ECG_TIME_PD_PR", "MDC_ECG_TIME_PD_QRS", "MDC_ECG_TIME_PD_QTc",
                     "MDC_ECG_ANGLE_QRS_FRONT"}  # fmt: skip
    again = read_ecg(write_aecg(rec))  # a second trip changes nothing
    assert again.annotations == rec.annotations and again.measurements == rec.measurements
    message = to_device_message(rec)
    assert message.driver == "aecg" and message.results[0].value_num == 72


def test_eight_leads_are_completed_with_derived_limb_leads() -> None:
    rec = read_ecg(write_aecg(recording(EIGHT)))
    assert rec.derived == {"III", "aVR", "aVL", "aVF"}
    assert np.array_equal(rec.leads["III"], rec.leads["II"] - rec.leads["I"])
    written = write_aecg(rec)
    assert b"MDC_ECG_LEAD_III" not in written  # derived leads are not written back


def document(body: str, *, time: str = "", prolog: str = "") -> bytes:
    time = time or (
        '<code code="TIME_RELATIVE"/><value xsi:type="GLIST_PQ"><head value="0" unit="s"/>'
        '<increment value="4" unit="ms"/></value>'
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>{prolog}
<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <effectiveTime><low value="20240105083000"/></effectiveTime>
 <component><series>
  <component><sequenceSet>
   <component><sequence>{time}</sequence></component>
   {body}
  </sequenceSet></component>
  <subjectOf><annotationSet><component><annotation>
   <code code="MDC_ECG_INTERPRETATION"/>
   <component><annotation><code code="MDC_ECG_INTERPRETATION_STATEMENT"/>
    <value xsi:type="ST">Normale</value></annotation></component>
  </annotation></component></annotationSet></subjectOf>
 </series></component>
</AnnotatedECG>"""
    return text.encode("utf-8")


def lead(code: str, digits: str, scale: str = 'value="5" unit="uV"', origin: str = "") -> str:
    return (
        f'<component><sequence><code code="{code}"/><value xsi:type="SLIST_PQ">{origin}'
        f"<scale {scale}/><digits>{digits}</digits></value></sequence></component>"
    )


def test_units_origin_scale_and_relative_time() -> None:
    body = lead("MDC_ECG_LEAD_I", "1 2\n -3", 'value="0.005" unit="mV"',
                '<origin value="0.1" unit="mV"/>') + lead("MDC_ECG_LEAD_AVR", "4 5 6")  # fmt: skip
    rec = read_ecg(document(body), local_tz=ROME_SUMMER)
    assert rec.sampling_rate == 250.0
    assert rec.leads["I"].tolist() == [105, 110, 85]
    assert rec.leads["aVR"].tolist() == [20, 25, 30]
    assert rec.acquired_at == datetime(2024, 1, 5, 8, 30, tzinfo=ROME_SUMMER)
    assert rec.statements == ("Normale",)  # nested annotations are found too
    assert rec.annotations[0] == EcgAnnotation("MDC_ECG_INTERPRETATION", "")


def test_unknown_unit_and_value_type_are_refused_by_name() -> None:
    with pytest.raises(EcgUnsupportedError, match="unit 'mmHg'"):
        read_ecg(document(lead("MDC_ECG_LEAD_I", "1", 'value="1" unit="mmHg"')))
    body = (
        '<component><sequence><code code="MDC_ECG_LEAD_II"/>'
        '<value xsi:type="SLIST_INT"/></sequence></component>'
    )
    with pytest.raises(EcgUnsupportedError, match="SLIST_INT"):
        read_ecg(document(body))


@pytest.mark.parametrize(
    "digits", ["1 2 x", "1.5", "9" * 30, ""], ids=["word", "decimal", "huge", "empty"]
)
def test_bad_digits_are_errors(digits: str) -> None:
    with pytest.raises(EcgError):
        read_ecg(document(lead("MDC_ECG_LEAD_I", digits)))


def test_missing_time_axis_is_an_error() -> None:
    with pytest.raises(EcgError, match="time"):
        read_ecg(document(lead("MDC_ECG_LEAD_I", "1 2"), time='<code code="OTHER"/>'))


BILLION_LAUGHS = """<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>"""


def test_dtd_and_entities_are_refused_before_parsing() -> None:
    with pytest.raises(EcgError, match="DTD"):
        read_ecg(document(lead("MDC_ECG_LEAD_I", "&lol3;"), prolog=BILLION_LAUGHS))
    external = '<!doctype AnnotatedECG SYSTEM "file:///etc/passwd">'
    with pytest.raises(EcgError, match="DTD"):
        read_ecg(document(lead("MDC_ECG_LEAD_I", "1"), prolog=external))
    utf16 = document(lead("MDC_ECG_LEAD_I", "1"), prolog=BILLION_LAUGHS).decode("utf-8")
    utf16_bytes = codecs.BOM_UTF16_LE + utf16.replace('"UTF-8"', '"UTF-16"').encode("utf-16-le")
    with pytest.raises(EcgError, match="DTD"):
        read_ecg(utf16_bytes)


def test_encodings_that_could_hide_a_dtd_are_refused() -> None:
    text = document(lead("MDC_ECG_LEAD_I", "1"), prolog=BILLION_LAUGHS).decode("utf-8")
    declaration, _, rest = text.partition("?>")
    ebcdic = declaration.replace("UTF-8", "cp500").encode() + b"?>" + rest.encode("cp500")
    assert b"<!DOCTYPE" not in ebcdic
    with pytest.raises(EcgUnsupportedError, match="cp500"):
        read_aecg(ebcdic)  # past the sniffing, which would not recognise it anyway


def test_utf16_document_with_bom_is_read() -> None:
    text = document(lead("MDC_ECG_LEAD_I", "1 2")).decode("utf-8").replace('"UTF-8"', '"UTF-16"')
    rec = read_ecg(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert rec.leads["I"].tolist() == [5, 10]


def test_other_xml_is_not_an_ecg() -> None:
    with pytest.raises(EcgError, match="not an ECG file"):
        read_ecg(b'<?xml version="1.0"?><note xmlns="urn:other">AnnotatedECG</note>')
    with pytest.raises(EcgError, match="root element"):
        read_ecg(b'<other xmlns="urn:hl7-org:v3"><!-- AnnotatedECG --></other>')
    with pytest.raises(EcgError, match="well-formed"):
        read_ecg(document(lead("MDC_ECG_LEAD_I", "1"))[:-20])
