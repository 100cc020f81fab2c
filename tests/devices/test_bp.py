"""Blood pressure and weight line protocol: checksum, validation, stream decoding, messages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.bp import (
    MAX_LINE,
    BpDecoder,
    BpError,
    BpReading,
    WeightReading,
    checksum,
    decode_line,
    encode_reading,
    to_message,
)
from app.devices.results import PatientRef, ProtocolError
from app.devices.sim_bp import BpSimOptions, bp_ticks

WHEN = datetime(2026, 11, 25, 9, 30, 15)
BP = BpReading(128, 82, 71, WHEN)
BP_BODY = b"BP,128,82,71,20261125093015"
BP_LINE = BP_BODY + b"*" + checksum(BP_BODY).encode() + b"\r\n"


def test_the_checksum_is_the_xor_of_the_bytes_before_the_star():
    xor = 0
    for char in "WT,72.4,":
        xor ^= ord(char)
    assert checksum(b"WT,72.4,") == f"{xor:02X}"
    assert encode_reading(BP) == BP_LINE


def test_a_line_decodes_with_or_without_cr_lf_and_in_either_case():
    assert decode_line(BP_LINE) == BP
    assert decode_line(BP_LINE.rstrip(b"\r\n")) == BP
    assert decode_line(BP_LINE.rstrip(b"\r\n").lower().replace(b"bp", b"BP")) == BP
    line = encode_reading(WeightReading(72.45, None))
    assert line.startswith(b"WT,72.45,*") and decode_line(line) == WeightReading(72.45, None)


def test_a_bad_checksum_is_refused():
    spoiled = BP_LINE.replace(b"128", b"129")
    with pytest.raises(BpError, match="checksum") as caught:
        decode_line(spoiled)
    assert isinstance(caught.value, ProtocolError)
    with pytest.raises(BpError, match="no \\*checksum"):
        decode_line(b"BP,128,82,71,\r\n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"BP,128,130,71,", "not below systolic"),
        (b"BP,400,82,71,", "out of range"),
        (b"BP,128,82,7a,", "pulse is not a number"),
        (b"BP,128,82,71,20261325093015", "not a valid date"),
        (b"BP,128,82,71,2026", "YYYYMMDDHHMMSS"),
        (b"BP,128,82,", "unknown record"),
        (b"XX,1,", "unknown record"),
        (b"WT,72.456,", "weight is not a number"),
        (b"WT,0.1,", "weight out of range"),
        (b"BP,128,82,71,\x7f", "non-printable"),
    ],
)
def test_fields_are_validated(body: bytes, message: str):
    with pytest.raises(BpError, match=message):
        decode_line(body + b"*" + checksum(body).encode() + b"\r\n")


def test_encoding_refuses_an_implausible_reading():
    with pytest.raises(BpError):
        encode_reading(BpReading(80, 90, 60))
    with pytest.raises(BpError):
        encode_reading(WeightReading(72.123))


def test_one_bad_line_does_not_hide_the_good_ones_around_it():
    decoder = BpDecoder()
    out = decoder.feed(BP_LINE + b"noise\r\n\r\n" + BP_LINE.replace(b"128", b"129") + BP_LINE[:10])
    assert out[0] == BP and isinstance(out[1], BpError) and isinstance(out[2], BpError)
    assert len(out) == 3
    assert decoder.feed(BP_LINE[10:]) == [BP]


def test_an_over_long_line_is_one_error_then_the_decoder_resyncs():
    decoder = BpDecoder()
    out = decoder.feed(b"x" * (MAX_LINE + 50))
    out += decoder.feed(b"y" * 500 + b"\r\n" + BP_LINE)
    assert [str(x) for x in out[:1]] == [f"line longer than {MAX_LINE} bytes"]
    assert out[1:] == [BP]


def test_a_reading_becomes_a_message_with_loinc_codes():
    message = to_message(BP, raw=BP_LINE, device="sim", tz=ZoneInfo("Europe/Rome"))
    assert message.driver == "bp" and message.raw == BP_LINE and message.device == "sim"
    codes = [(r.code, r.value_num, r.unit) for r in message.results]
    assert codes == [
        ("8480-6", 128.0, "mm[Hg]"),
        ("8462-4", 82.0, "mm[Hg]"),
        ("8867-4", 71.0, "/min"),
    ]
    assert message.sent_at == datetime(2026, 11, 25, 8, 30, 15, tzinfo=UTC)  # CET = UTC+1
    weight = to_message(WeightReading(72.4, WHEN), tz=UTC, patient=PatientRef("42"))
    assert [(r.code, r.value_num, r.unit) for r in weight.results] == [("29463-7", 72.4, "kg")]
    assert weight.patient.identifier == "42" and weight.raw.startswith(b"WT,72.4,")
    assert to_message(BpReading(120, 80, 60)).sent_at is None


def test_the_simulator_sends_valid_lines_and_spoils_the_ones_asked():
    options = BpSimOptions(interval=1, weight_every=2, bad_checksum_every=4, drop_after=10)
    ticks = list(bp_ticks(options))
    assert ticks[0][0] == 0.2 and sum(delay for delay, _ in ticks) <= 10
    out = BpDecoder().feed(b"".join(data for _, data in ticks))
    assert [type(x).__name__ for x in out[:6]] == [
        "BpReading",
        "BpReading",
        "WeightReading",
        "BpError",
        "BpReading",
        "WeightReading",
    ]  # a weight follows every second reading; every fourth line is spoiled
    for reading in out:
        if isinstance(reading, BpReading):
            assert 110 <= reading.systolic <= 160 and reading.diastolic < reading.systolic


# --- properties -------------------------------------------------------------------------

stamps = st.none() | st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
bp_st = st.integers(60, 300).flatmap(
    lambda s: st.builds(
        BpReading, st.just(s), st.integers(20, min(250, s - 1)), st.integers(20, 300), stamps
    )
)
weight_st = st.builds(WeightReading, st.integers(50, 50000).map(lambda g: g / 100), stamps)
readings_st = bp_st | weight_st


@settings(max_examples=200)
@given(readings_st)
def test_encode_then_decode_gives_the_reading_back(reading):
    assert decode_line(encode_reading(reading)) == reading


def _outcome(items: list) -> list[str]:
    return [str(x) if isinstance(x, BpError) else repr(x) for x in items]


@settings(max_examples=200)
@given(st.lists(readings_st | st.binary(max_size=120), max_size=12), st.data())
def test_any_chunking_of_a_stream_gives_the_same_readings(parts, data):
    stream = b"".join(encode_reading(p) if not isinstance(p, bytes) else p for p in parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    expected = BpDecoder().feed(stream)
    chunked = BpDecoder()
    got = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        got += chunked.feed(stream[start:end])
    assert _outcome(got) == _outcome(expected)


def _fuzz(data: bytes) -> None:
    for item in BpDecoder().feed(data):
        assert isinstance(item, BpReading | WeightReading | BpError)
    try:
        decode_line(data)
    except BpError:
        pass


ascii_ish = st.binary(max_size=150) | st.text("BPWT,0123456789.*\r\nAF", max_size=80).map(
    str.encode
)


@settings(max_examples=200)
@given(ascii_ish)
def test_random_bytes_raise_nothing_but_bp_errors(data: bytes):
    _fuzz(data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(ascii_ish)
def test_random_bytes_raise_nothing_but_bp_errors_long_run(data: bytes):
    _fuzz(data)
