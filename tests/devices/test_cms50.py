"""CMS50D+ live stream: packet layout, resync, spot check, and the simulator's output."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.cms50 import (
    Cms50Decoder,
    Cms50Error,
    Sample,
    SpotCheckRefused,
    decode_packet,
    encode_sample,
    spot_check,
)
from app.devices.results import DeviceError, PatientRef
from app.devices.sim_cms50 import Cms50SimOptions, cms50_samples, cms50_ticks

GOOD = Sample(pleth=50, pulse_rate=72, spo2=98, signal=8)


def test_a_packet_decodes_field_by_field():
    # sync | beep | signal 8; pleth 50; bar 5; pulse 72; SpO2 98
    sample = decode_packet(bytes([0x80 | 0x40 | 0x08, 50, 0x05, 72, 98]))
    assert (sample.pleth, sample.pulse_rate, sample.spo2) == (50, 72, 98)
    assert (sample.signal, sample.bar, sample.beat) == (8, 5, True)
    assert not sample.finger_out and not sample.searching and sample.valid


def test_a_pulse_above_127_is_carried_in_bit_6_of_byte_3():
    sample = decode_packet(bytes([0x88, 40, 0x40 | 0x03, 12, 97]))
    assert sample.pulse_rate == 140
    assert encode_sample(sample) == bytes([0x88, 40, 0x43, 12, 97])


def test_finger_out_and_invalid_values_map_to_none():
    # probe error (byte 3 bit 4), pulse 255 (bit 6 + 0x7F), SpO2 127
    sample = decode_packet(bytes([0x80 | 0x10, 0, 0x10 | 0x40, 0x7F, 0x7F]))
    assert sample.finger_out and sample.searching_too_long
    assert sample.pulse_rate is None and sample.spo2 is None and not sample.valid


def test_searching_too_long_alone_also_means_the_probe_is_off():
    sample = decode_packet(bytes([0x80 | 0x10, 0, 0, 70, 97]))
    assert sample.probe_off and not sample.finger_out and not sample.valid
    with pytest.raises(SpotCheckRefused, match="finger out"):
        spot_check([GOOD] * 120 + [sample])


def test_searching_flag_makes_a_sample_invalid():
    sample = decode_packet(bytes([0x80, 0, 0x20, 70, 97]))
    assert sample.searching and not sample.valid


def test_a_packet_with_misplaced_sync_bits_is_refused():
    with pytest.raises(Cms50Error, match="not a CMS50 packet"):
        decode_packet(bytes([0x80, 0x81, 0, 0, 0]))
    with pytest.raises(Cms50Error):
        decode_packet(b"\x80\x00")


def test_the_decoder_resyncs_after_garbage_and_cut_packets():
    packet = encode_sample(GOOD)
    stream = b"\x01\x02\x03" + packet[:3] + packet + b"\x7f\x10" + packet[:4] + packet
    decoder = Cms50Decoder()
    assert decoder.feed(stream) == [GOOD, GOOD]
    assert decoder.discarded == 3 + 3 + 2 + 4


def test_a_packet_split_across_chunks_is_decoded_once_complete():
    packet = encode_sample(GOOD)
    decoder = Cms50Decoder()
    assert decoder.feed(packet[:2]) == []
    assert decoder.feed(packet[2:] + packet[:1]) == [GOOD]
    decoder.reset()  # a reconnect drops the half packet
    assert decoder.feed(packet[1:]) == []
    assert decoder.feed(packet) == [GOOD]


def test_the_raw_bytes_of_each_sample_are_kept():
    packet = encode_sample(GOOD)
    (sample,) = Cms50Decoder().feed(b"\x00" + packet)
    assert sample.raw == packet


def test_encoding_refuses_values_the_wire_cannot_carry():
    with pytest.raises(Cms50Error):
        encode_sample(Sample(pleth=200, pulse_rate=72, spo2=98))
    with pytest.raises(Cms50Error):
        encode_sample(Sample(pleth=10, pulse_rate=72, spo2=98, signal=16))


# --- spot check -------------------------------------------------------------------------


def _stream(*samples: Sample) -> list[Sample]:
    return Cms50Decoder().feed(b"".join(encode_sample(s) for s in samples))


def test_a_spot_check_is_the_median_of_the_valid_samples():
    samples = _stream(
        *[Sample(pleth=50, pulse_rate=70, spo2=97)] * 40,
        *[Sample(pleth=50, pulse_rate=None, spo2=None, searching=True)] * 30,
        *[Sample(pleth=50, pulse_rate=80, spo2=99)] * 50,
    )
    when = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    patient = PatientRef(identifier="RSSMRA80A01H501U")
    message = spot_check(samples, seconds=2, observed_at=when, patient=patient)
    assert message.driver == "cms50" and message.patient == patient
    spo2, pulse = message.results
    assert (spo2.code, spo2.unit, spo2.value_num) == ("59408-5", "%", 99.0)
    assert spo2.code_system == "LOINC"
    assert (pulse.code, pulse.unit, pulse.value_num) == ("8867-4", "/min", 80.0)
    assert spo2.observed_at == when and message.sent_at == when
    assert message.raw == b"".join(s.raw for s in samples)  # 120 samples = the 2 s window


def test_a_spot_check_is_refused_when_the_finger_is_out():
    samples = _stream(*[GOOD] * 300, Sample(pleth=0, pulse_rate=None, spo2=None, finger_out=True))
    with pytest.raises(SpotCheckRefused, match="finger out"):
        spot_check(samples)


def test_a_spot_check_is_refused_without_enough_valid_samples():
    samples = _stream(
        *[Sample(pleth=0, pulse_rate=None, spo2=None, searching=True)] * 290, *[GOOD] * 10
    )
    with pytest.raises(SpotCheckRefused, match="no valid SpO2/pulse") as caught:
        spot_check(samples)
    assert isinstance(caught.value, DeviceError)
    with pytest.raises(SpotCheckRefused, match="no reading"):
        spot_check([])


# --- simulator ----------------------------------------------------------------------------


def _decoded(options: Cms50SimOptions) -> list[Sample]:
    return Cms50Decoder().feed(b"".join(data for _, data in cms50_ticks(options)))


def test_the_simulator_streams_60_plausible_samples_a_second():
    options = Cms50SimOptions(drop_after=10)
    samples = _decoded(options)
    assert len(samples) == 600
    assert {s.spo2 for s in samples} <= {97, 98, 99}
    assert all(s.pulse_rate is not None and 60 <= s.pulse_rate <= 100 for s in samples)
    assert 8 <= sum(s.beat for s in samples) <= 17  # 60-100 beats a minute for 10 s
    assert max(s.pleth for s in samples) > 80 and min(s.pleth for s in samples) < 20


def test_the_simulator_exercises_bit_6_and_finger_out():
    options = Cms50SimOptions(high_pulse=True, finger_out_at=2, finger_out_for=1, drop_after=5)
    samples = _decoded(options)
    assert all(s.pulse_rate > 127 for s in samples if s.pulse_rate is not None)
    assert sum(s.finger_out for s in samples) == 60
    assert sum(s.searching for s in samples) == 60
    assert spot_check(samples).results[1].value_num > 127


def test_line_noise_from_the_simulator_is_dropped_by_the_decoder():
    noisy = Cms50SimOptions(noise_every=0.1, drop_after=3)
    decoder = Cms50Decoder()
    samples = decoder.feed(b"".join(data for _, data in cms50_ticks(noisy)))
    assert samples == list(cms50_samples(noisy))
    assert decoder.discarded > 0


# --- properties ---------------------------------------------------------------------------

samples_st = st.builds(
    Sample,
    pleth=st.integers(0, 127),
    pulse_rate=st.none() | st.integers(0, 254),
    spo2=st.none() | st.integers(0, 100),
    finger_out=st.booleans(),
    searching=st.booleans(),
    signal=st.integers(0, 15),
    beat=st.booleans(),
    bar=st.integers(0, 15),
    spo2_dropping=st.booleans(),
    searching_too_long=st.booleans(),
)


@settings(max_examples=200)
@given(samples_st)
def test_encode_then_decode_gives_the_sample_back(sample: Sample):
    assert decode_packet(encode_sample(sample)) == sample


@settings(max_examples=200)
@given(st.lists(samples_st | st.binary(max_size=7), max_size=30), st.data())
def test_any_chunking_of_a_stream_gives_the_same_samples(parts, data):
    stream = b"".join(encode_sample(p) if isinstance(p, Sample) else p for p in parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    whole = Cms50Decoder()
    expected = whole.feed(stream)
    chunked = Cms50Decoder()
    got = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        got += chunked.feed(stream[start:end])
    assert got == expected and chunked.discarded == whole.discarded


def _fuzz(data: bytes) -> None:
    for sample in Cms50Decoder().feed(data):
        assert 0 <= sample.pleth <= 127
    try:
        decode_packet(data[:5])
    except Cms50Error:
        pass


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_random_bytes_raise_nothing_but_cms50_errors(data: bytes):
    _fuzz(data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_raise_nothing_but_cms50_errors_long_run(data: bytes):
    _fuzz(data)
