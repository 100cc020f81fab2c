"""LIS2-A2 records: delimiters, escapes, repeats, Latin-1, and messages as DeviceMessage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from codicefiscale import codicefiscale
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.devices.astm import AstmError, AstmReceiver, AstmRecordError, decode_transcript
from app.devices.astm.convert import map_test, parse_timestamp, to_device_messages
from app.devices.astm.frames import ENQ, EOT, frame_records
from app.devices.astm.records import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Field,
    Record,
    decode_record,
    encode_message,
    encode_record,
    escape,
    parse_records,
    split_records,
    unescape,
)
from app.devices.astm.samples import (
    PATIENTS,
    SampleResult,
    SyntheticPatient,
    long_message,
    sample_message,
    sample_records,
)
from app.devices.results import DeviceMessage

WHEN = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
TRANSCRIPTS = Path(__file__).parent / "astm_transcripts"


def session(message: bytes) -> bytes:
    return bytes([ENQ]) + b"".join(frame_records(split_records(message))) + bytes([EOT])


def messages_of(text: bytes) -> list[DeviceMessage]:
    _, records = parse_records(text)
    return to_device_messages(records, b"raw")


# ---- fields, escapes, delimiters ----------------------------------------------------


def test_latin1_accented_names() -> None:
    raw = "P|1|DNGNCL56C14F839Q||LAB7|D'Angelo^Nicolò||19560314|M".encode("latin-1")
    assert raw.count(b"\xf2") == 1  # ò is one byte in Latin-1
    record = decode_record(raw)
    assert record.components(6) == ("D'Angelo", "Nicolò")
    text = "H|\\^&\rP|1|LCUMGR48S42H224X|||Lucà^Maria^Grazia||19481102|F\rL|1|N\r"
    patient = messages_of(text.encode("latin-1"))[0].patient
    assert (patient.family_name, patient.given_name) == ("Lucà", "Maria Grazia")
    assert (patient.identifier, patient.birth_date, patient.sex) == (
        "LCUMGR48S42H224X",
        "19481102",
        "F",
    )


def test_trailing_and_padding_spaces_are_trimmed() -> None:
    record = decode_record(b"R|1|^^^GLU   |  118 |mg/dL  |70-100 |H ||F")
    assert record.get(3, 4) == "GLU"
    assert record.get(4) == "118"
    assert record.field(4) == (("  118 ",),)  # the record itself stays lossless


def test_escape_sequences() -> None:
    d = DEFAULT_DELIMITERS
    assert unescape("a&F&b&S&c&R&d&E&e", d) == "a|b^c\\d&e"
    assert unescape("line1&X0D0A&line2", d) == "line1\r\nline2"
    assert unescape("&Zlocal& & alone &Q& &X0& &", d) == "&Zlocal& & alone &Q& &X0& &"
    assert escape("a|b^c\\d&e\r", d) == "a&F&b&S&c&R&d&E&e&X0D&"
    record = decode_record(b"C|1|I|Glicemia &E& HbA1c &F& nota&S&2|G")
    assert record.get(4) == "Glicemia & HbA1c | nota^2"


def test_repeats_and_components() -> None:
    record = decode_record(b"O|1|S1||^^^HbA1c\\^^^CHOL\\^^^GLU|R")
    tests = record.field(5)
    assert len(tests) == 3
    assert [repeat[3] for repeat in tests] == ["HbA1c", "CHOL", "GLU"]
    assert record.get(5, 4, repeat=2) == "CHOL"
    assert record.get(5, 9) == "" and record.get(5, 1, repeat=9) == "" and record.get(40) == ""


def test_header_declares_other_delimiters() -> None:
    text = "H!@#$!!!Sim#1!\rP!1!CF1!!!Rossi#Mario\rR!1!###GLU!5$F$5!mmol/L\rL!1\r"
    delimiters, records = parse_records(text.encode("latin-1"))
    assert delimiters == Delimiters("!", "@", "#", "$")
    assert records[2].get(4) == "5!5"
    assert records[1].components(6) == ("Rossi", "Mario")
    assert encode_record(records[2], delimiters) == b"R!1!###GLU!5$F$5!mmol/L"


@pytest.mark.parametrize(
    "header",
    [b"H|\\^", b"H|\\^^|", b"H|a^&|", b"H| ^&|", b"X|\\^&"],
)
def test_bad_headers_are_refused(header: bytes) -> None:
    with pytest.raises(AstmRecordError):
        parse_records(header + b"\rL|1\r")


def test_records_outside_latin1_cannot_be_encoded() -> None:
    with pytest.raises(AstmRecordError, match="Latin-1"):
        encode_record(Record.build("P", "1", "", "", "", ("Łukasz", "Ćwik")))


def test_unknown_and_manufacturer_records_are_ignored() -> None:
    text = (
        b"H|\\^&\rM|1|ACME^DIAG|x^y^z\rP|1|CF\rS|1|whatever\rR|1|^^^GLU|99|mg/dL\r"
        b"Q|1|^CF||^^^ALL\rL|1|N\r"
    )
    [message] = messages_of(text)
    assert [result.device_code for result in message.results] == ["GLU"]


# ---- messages -----------------------------------------------------------------------


def test_sample_message_becomes_a_device_message() -> None:
    when = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Rome (winter, UTC+1)
    out = AstmReceiver().feed(session(sample_message(PATIENTS[1], when=when)), 0.0)
    [message] = out.messages
    assert message.driver == "astm"
    assert message.device == "Medirete POC Sim 1.0 SN00042"
    assert message.sent_at == when
    assert message.patient.identifier == "DNGNCL56C14F839Q"
    assert message.patient.given_name == "Nicolò"
    codes = {result.device_code: result for result in message.results}
    assert {code: r.code for code, r in codes.items()} == {
        "HbA1c": "59261-8",
        "CHOL": "2093-3",
        "HDL": "2085-9",
        "LDL": "13457-7",
        "TRIG": "2571-8",
        "GLU": "2345-7",
        "INR": "6301-6",
    }
    hba1c = codes["HbA1c"]
    assert (hba1c.value_num, hba1c.unit, hba1c.abnormal, hba1c.reference_range) == (
        53.0,
        "mmol/mol",
        "H",
        "20-42",
    )
    assert hba1c.status == "final" and hba1c.code_system == "LOINC"
    assert hba1c.observed_at == datetime(2024, 1, 15, 8, 59, tzinfo=UTC)
    assert codes["INR"].value_num == 2.4
    assert message.raw == b"".join(
        frame_records(split_records(sample_message(PATIENTS[1], when=when)))
    )


def test_message_with_24_results_and_a_long_comment() -> None:
    message_text = long_message(when=WHEN)
    [message] = AstmReceiver().feed(session(message_text), 0.0).messages
    assert len(message.results) == 24
    assert all(result.code_system == "LOINC" for result in message.results)
    assert len(message.comments) == 1
    assert "TAO | controllo ^ settimanale &" in message.comments[0]
    assert "22 °C" in message.comments[0]
    assert decode_transcript(message.raw).messages == (message,)


def test_hba1c_percent_and_unknown_codes() -> None:
    assert map_test("HbA1c", "%") == ("4548-4", "LOINC", "HbA1c")
    assert map_test("A1C", "% NGSP") == ("4548-4", "LOINC", "HbA1c")
    assert map_test("HBA1C", "mmol/mol") == ("59261-8", "LOINC", "HbA1c")
    assert map_test("GLU", "mmol/L") == ("14749-6", "LOINC", "Glucose")
    assert map_test("CHOL", "g/L") == ("CHOL", "local:astm", "Total cholesterol")
    assert map_test("CRP", "mg/L") == ("CRP", "local:astm", "CRP")
    text = b"H|\\^&\rP|1\rR|1|^^^CRP^PCR capillare|<5|mg/L||N||X\rL|1\r"
    [result] = messages_of(text)[0].results
    assert (result.code, result.code_system, result.display) == (
        "CRP",
        "local:astm",
        "PCR capillare",
    )
    assert (result.value_num, result.value_text, result.status) == (None, "<5", "cancelled")


@pytest.mark.parametrize(
    ("flag", "status"),
    [("F", "final"), ("C", "corrected"), ("P", "preliminary"), ("X", "cancelled"), ("", "final")],
)
def test_result_status(flag: str, status: str) -> None:
    text = f"H|\\^&\rP|1\rR|1|^^^GLU|5,4|mmol/L||||{flag}\rL|1\r".encode()
    [result] = messages_of(text)[0].results
    assert result.status == status and result.value_num == 5.4


def test_timestamps_are_rome_local_time() -> None:
    assert parse_timestamp("20240115100000") == datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    assert parse_timestamp("20240715100000") == datetime(2024, 7, 15, 8, 0, tzinfo=UTC)
    assert parse_timestamp("202407151000") == datetime(2024, 7, 15, 8, 0, tzinfo=UTC)
    assert parse_timestamp("20240715") == datetime(2024, 7, 14, 22, 0, tzinfo=UTC)
    assert parse_timestamp("20240715100000+0000") == datetime(2024, 7, 15, 10, 0, tzinfo=UTC)
    assert parse_timestamp("  ") is None
    bad_values = ("2024", "20241315100000", "2024011510000x", "20240101120000+9999")
    for bad in (*bad_values, "00010101000000", "99991231235959-1200"):
        with pytest.raises(AstmRecordError):
            parse_timestamp(bad)


def test_several_patients_in_one_message() -> None:
    records = (
        sample_records(PATIENTS[0], when=WHEN)[:-1] + sample_records(PATIENTS[4], when=WHEN)[1:]
    )
    messages = messages_of(encode_message(records))
    assert [m.patient.family_name for m in messages] == ["Rossi", "Esposito"]
    assert all(len(m.results) == 7 for m in messages)


def test_bad_message_is_rejected_with_its_bytes() -> None:
    text = b"H|\\^&\rP|1\rR|1|^^^GLU|99|mg/dL||||F||||2024-01-15\rL|1\r"
    out = AstmReceiver().feed(session(text), 0.0)
    assert out.messages == ()
    [rejected] = out.rejected
    assert "date/time" in rejected.reason
    assert rejected.raw == b"".join(frame_records(split_records(text)))
    assert out.reply.count(b"\x06") == 5  # every frame was still acknowledged


def test_result_without_test_code_is_an_error() -> None:
    with pytest.raises(AstmRecordError, match="no test code"):
        messages_of(b"H|\\^&\rR|1|^^^|5\rL|1\r")


def test_synthetic_codici_fiscali_are_well_formed() -> None:
    for patient in PATIENTS:
        assert codicefiscale.is_valid(patient.codice_fiscale), patient


def test_transcript_file_decodes() -> None:
    data = (TRANSCRIPTS / "poc_two_messages.astm").read_bytes()
    out = decode_transcript(data)
    assert [m.patient.family_name for m in out.messages] == ["Lucà", "D'Angelo"]
    assert [len(m.results) for m in out.messages] == [7, 24]


# ---- properties ---------------------------------------------------------------------

LATIN1 = [chr(code) for code in range(256)]
latin1_text = st.text(alphabet=st.sampled_from(LATIN1), max_size=12)
# Fields drawn as one flat text (much cheaper for Hypothesis than nested lists): three
# characters outside Latin-1 mark where fields, repeats and components end.
FIELD_MARK, REPEAT_MARK, COMPONENT_MARK = "\u0100", "\u0101", "\u0102"
_structured = st.text(
    alphabet=st.sampled_from(LATIN1 + [FIELD_MARK, REPEAT_MARK, COMPONENT_MARK] * 25),
    max_size=100,
)


def _as_fields(text: str) -> tuple[Field, ...]:
    if not text:
        return ()
    return tuple(
        tuple(tuple(repeat.split(COMPONENT_MARK)) for repeat in field.split(REPEAT_MARK))
        for field in text.split(FIELD_MARK)
    )


record_fields = _structured.map(_as_fields)


def delimiter_sets() -> st.SearchStrategy[Delimiters]:
    return st.permutations(list("|\\^&!@#$%*~;")).map(lambda chars: Delimiters(*chars[:4]))


@given(
    st.sampled_from(list("PORCQLM")),
    record_fields,
    delimiter_sets(),
)
@settings(max_examples=200, deadline=None)
def test_encode_decode_round_trip(
    kind: str, values: tuple[Field, ...], delimiters: Delimiters
) -> None:
    record = Record(kind, values)
    encoded = encode_record(record, delimiters)
    assert b"\r" not in encoded and b"\n" not in encoded
    assert decode_record(encoded, delimiters) == record


@given(record_fields, delimiter_sets())
@settings(max_examples=200, deadline=None)
def test_header_round_trip(values: tuple[Field, ...], delimiters: Delimiters) -> None:
    declared = delimiters.repeat + delimiters.component + delimiters.escape
    header = Record("H", (((declared,),), *values))
    encoded = encode_message([header, Record.build("L", "1")], delimiters)
    assert parse_records(encoded) == (delimiters, [header, Record.build("L", "1")])


@given(
    st.sampled_from(PATIENTS),
    st.lists(
        st.builds(
            SampleResult,
            st.sampled_from(["HbA1c", "GLU", "CHOL", "X&Y", "INR"]),
            st.from_regex(r"[0-9]{1,3}(\.[0-9])?|<0\.5|POS", fullmatch=True),
            st.sampled_from(["%", "mg/dL", "mmol/mol", "", "ratio"]),
        ),
        min_size=1,
        max_size=25,
    ),
    latin1_text,
)
@settings(max_examples=100, deadline=None)
def test_generated_messages_survive_the_link(
    patient: SyntheticPatient, results: list[SampleResult], comment: str
) -> None:
    text = sample_message(patient, results, when=WHEN, comment=comment)
    [message] = AstmReceiver().feed(session(text), 0.0).messages
    assert message.patient.family_name == patient.family_name
    assert [r.device_code for r in message.results] == [r.code for r in results]
    assert [r.value_num if r.value_text is None else r.value_text for r in message.results] == [
        float(r.value) if r.value[0].isdigit() else r.value for r in results
    ]


@given(st.from_regex(r"[0-9]{8}([0-9]{4}([0-9]{2})?)?([+-][0-9]{4})?", fullmatch=True))
@settings(max_examples=200, deadline=None)
def test_any_timestamp_shape_gives_utc_or_an_astm_error(text: str) -> None:
    try:
        stamp = parse_timestamp(text)
    except AstmRecordError:
        return
    assert stamp is not None and stamp.tzinfo is UTC


def parse_anything(data: bytes) -> None:
    try:
        messages_of(data)
    except AstmError:
        pass
    try:
        decode_record(data)
    except AstmError:
        pass


_TOKENS = [
    "H|\\^&", "H|\\^&|||", "P|1|", "R|1|^^^GLU|", "L|1", "\r", "|", "^", "\\", "&",
    "&X", "&F&", "20240101", "99", "O|1", "C|1|I|", "H!@#$", "R|1|^^^GLU|5|mg/dL|||N|F|||",
    "2024011512", "+0100", "P|1|CF||", "^Rossi^Mario",
]  # fmt: skip
_TOKEN_TABLE = {0x100 + index: token for index, token in enumerate(_TOKENS)}
_MESSAGE_ALPHABET = LATIN1 + [chr(code) for code in _TOKEN_TABLE] * 6


def message_like() -> st.SearchStrategy[bytes]:
    """Record-shaped noise: one flat draw whose marks expand into record fragments."""
    return st.text(alphabet=st.sampled_from(_MESSAGE_ALPHABET), max_size=120).map(
        lambda text: text.translate(_TOKEN_TABLE).encode("latin-1")
    )


@example(b"\tH")  # found by the slow run: an H after white space, no delimiters
@given(st.one_of(st.binary(max_size=300), message_like()))
@settings(max_examples=200, deadline=None)
def test_random_bytes_raise_only_astm_errors(data: bytes) -> None:
    parse_anything(data)


@pytest.mark.slow
@given(st.one_of(st.binary(max_size=600), message_like()))
@settings(max_examples=10_000, deadline=None)
def test_random_bytes_raise_only_astm_errors_slow(data: bytes) -> None:
    parse_anything(data)


@pytest.mark.slow
@given(st.sampled_from(list("HPORCQLM")), record_fields, delimiter_sets())
@settings(max_examples=10_000, deadline=None)
def test_encode_decode_round_trip_slow(
    kind: str, values: tuple[Field, ...], delimiters: Delimiters
) -> None:
    if kind == "H":
        declared = delimiters.repeat + delimiters.component + delimiters.escape
        values = (((declared,),), *values)
    record = Record(kind, values)
    assert decode_record(encode_record(record, delimiters), delimiters) == record
