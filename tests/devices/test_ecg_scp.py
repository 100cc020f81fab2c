"""SCP-ECG reader against the test writer: every encoding, CRCs, header, measurements."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from app.devices.ecg import (
    EcgChecksumError,
    EcgError,
    EcgUnsupportedError,
    read_ecg,
    to_device_message,
)
from app.devices.ecg.huffman import DEFAULT_TABLE, decode_default
from app.devices.ecg.scp_record import crc_ccitt
from tests.devices.scp_writer import (
    EIGHT,
    ReferenceBeat,
    ScpSpec,
    crc,
    fast_crc,
    huffman_encode,
    refresh_crcs,
    residuals,
    section_spans,
    synthetic_ecg,
    write_scp,
)

ROME_WINTER = timezone(timedelta(hours=1))
AVM_UV = 5  # the writer's default amplitude value multiplier, 5000 nV


def expect_leads(read: dict[str, np.ndarray], counts: dict[str, np.ndarray], avm_uv: float) -> None:
    for name, values in counts.items():
        assert read[name].dtype == np.int32
        assert np.array_equal(read[name], np.rint(values * avm_uv).astype(np.int32)), name


def test_crc_is_ccitt_with_initial_ffff() -> None:
    assert crc(b"123456789") == 0x29B1  # the CRC-16/CCITT-FALSE check value
    assert crc_ccitt(b"123456789") == 0x29B1
    sample = bytes(range(256)) * 3
    assert crc(sample) == crc_ccitt(sample)


def test_default_huffman_table_codes_decode_to_their_values() -> None:
    assert len(DEFAULT_TABLE) == 19
    for prefix_bits, total_bits, base, code in DEFAULT_TABLE[:17]:
        assert prefix_bits == total_bits == len(code)
        padded = code + "0" * (-len(code) % 8)
        data = int(padded, 2).to_bytes(len(padded) // 8, "big")
        assert decode_default(data, 1, "t").tolist() == [base]
    values = np.arange(-40000, 40000, 97, dtype=np.int64)
    values = np.concatenate([values, np.arange(-300, 300), [-32768, 32767, -129, 128, 0]])
    values = values[(values >= -32768) & (values <= 32767)]
    assert np.array_equal(decode_default(huffman_encode(values), len(values), "t"), values)


def test_huffman_data_that_ends_early_is_an_error() -> None:
    data = huffman_encode(np.array([5, -300, 7], dtype=np.int64))
    with pytest.raises(EcgError, match="ends"):
        decode_default(data[:2], 3, "lead")


@pytest.mark.parametrize("huffman", [False, True], ids=["raw", "huffman"])
@pytest.mark.parametrize("difference", [0, 1, 2], ids=["actual", "diff1", "diff2"])
def test_twelve_leads_read_back_sample_for_sample(difference: int, huffman: bool) -> None:
    counts = synthetic_ecg(10.0, 500)
    data = write_scp(ScpSpec(leads=counts, difference=difference, huffman=huffman))
    rec = read_ecg(data, "ecg.scp")
    assert list(rec.leads) == list(counts)
    assert rec.derived == frozenset()
    assert rec.sampling_rate == 500.0
    assert rec.source_format == "scp-ecg"
    assert rec.original == data
    assert all(len(values) == 5000 for values in rec.leads.values())
    expect_leads(dict(rec.leads), counts, AVM_UV)


def test_amplitude_and_interval_come_from_the_section() -> None:
    counts = synthetic_ecg(2.0, 1000, seed=3)
    data = write_scp(ScpSpec(leads=counts, avm_nv=2500, interval_us=1000, huffman=True))
    rec = read_ecg(data)
    assert rec.sampling_rate == 1000.0
    expect_leads(dict(rec.leads), counts, 2.5)  # halves rounded to even µV


def reference_spec(counts: dict[str, np.ndarray], **options: object) -> ScpSpec:
    """QRS zones around each synthetic spike, the first beat as reference beat type 0."""
    rate, half = 500, 50
    centers = [int(round((0.3 + 0.8 * beat) * rate)) for beat in range(13)]  # 0-based
    first = centers[0]
    beats = {name: values[first - half : first + half].copy() for name, values in counts.items()}
    zones = [(0, c + 1 - half, c + 1, c + half) for c in centers]
    zones[4] = (1, *zones[4][1:])  # another beat type: not subtracted
    last = len(next(iter(counts.values())))
    zones.append((0, last - 20, last + 5, last))  # reference beat reaching past the end
    reference = ReferenceBeat(beats=beats, fiducial=half + 1, zones=zones, **options)
    return ScpSpec(leads=counts, reference=reference, difference=2, huffman=True)


def test_reference_beat_subtraction_is_undone() -> None:
    counts = synthetic_ecg(10.0, 500, seed=7)
    spec = reference_spec(counts)
    residual = residuals(spec)["I"]
    zones = spec.reference.zones  # type: ignore[union-attr]
    _, start, _, end = zones[0]  # the reference beat itself: nothing left
    assert not residual[start - 1 : end].any() and counts["I"][start - 1 : end].any()
    _, start, _, end = zones[4]  # beat type 1: sent as it is
    assert np.array_equal(residual[start - 1 : end], counts["I"][start - 1 : end])
    rec = read_ecg(write_scp(spec))
    expect_leads(dict(rec.leads), counts, AVM_UV)


def test_reference_beat_with_first_differences_and_raw_data() -> None:
    counts = synthetic_ecg(4.0, 500, seed=8)
    spec = reference_spec(counts, difference=1)
    spec.huffman, spec.difference = False, 1
    rec = read_ecg(write_scp(spec))
    expect_leads(dict(rec.leads), counts, AVM_UV)


def test_decimated_rhythm_data_is_refused() -> None:
    spec = reference_spec(synthetic_ecg(10.0, 500), interval_us=1000)
    with pytest.raises(EcgUnsupportedError, match="decimated"):
        read_ecg(write_scp(spec))


def test_bimodal_compression_is_refused_by_name() -> None:
    data = write_scp(ScpSpec(leads=synthetic_ecg(1.0, 500), bimodal=1))
    with pytest.raises(EcgUnsupportedError, match="bimodal") as caught:
        read_ecg(data)
    assert "bimodal" in caught.value.feature


def test_custom_huffman_tables_are_refused_by_name() -> None:
    data = write_scp(ScpSpec(leads=synthetic_ecg(1.0, 500), huffman_tables=1))
    with pytest.raises(EcgUnsupportedError, match="custom Huffman"):
        read_ecg(data)


def test_eight_leads_derive_the_limb_leads() -> None:
    counts = synthetic_ecg(10.0, 500, names=EIGHT)
    rec = read_ecg(write_scp(ScpSpec(leads=counts, huffman=True, difference=2)))
    assert list(rec.leads)[:6] == ["I", "II", "III", "aVR", "aVL", "aVF"]
    assert rec.derived == {"III", "aVR", "aVL", "aVF"}
    one, two = (counts[name] * AVM_UV for name in ("I", "II"))
    assert np.array_equal(rec.leads["III"], two - one)
    assert np.array_equal(rec.leads["aVR"], np.rint(-(one + two) / 2))
    assert np.array_equal(rec.leads["aVL"], np.rint(one - two / 2))
    assert np.array_equal(rec.leads["aVF"], np.rint(two - one / 2))
    assert not rec.leads["III"].flags.writeable


def test_leads_recorded_at_different_times_keep_their_start() -> None:
    counts = synthetic_ecg(2.0, 500, names=EIGHT)
    counts["V1"] = counts["V1"][:250]  # 0.5 s from 1.0 s on (a 3x4 layout, say)
    rec = read_ecg(write_scp(ScpSpec(leads=counts, huffman=True, starts={"V1": 501})))
    assert rec.start_samples.get("V1") == 500
    assert rec.start_samples.get("I", 0) == 0 and rec.start_samples.get("III", 0) == 0
    assert len(rec.leads["V1"]) == 250 and len(rec.leads["I"]) == 1000
    expect_leads(dict(rec.leads), counts, AVM_UV)


def test_header_patient_device_and_time() -> None:
    spec = ScpSpec(leads=synthetic_ecg(1.0, 500), free_text="dolore toracico")
    rec = read_ecg(write_scp(spec))
    assert rec.patient.identifier == "RSSMRA70A01H501S"
    assert (rec.patient.family_name, rec.patient.given_name) == ("Rossi", "Mario")
    assert (rec.patient.birth_date, rec.patient.sex) == ("19700101", "M")
    assert rec.device == "Esaote / P8000 / SN-42"
    assert rec.acquired_at == datetime(2024, 3, 5, 10, 30, 15, tzinfo=ROME_WINTER)
    assert rec.notes == ("dolore toracico",)


def test_time_without_zone_is_read_in_the_local_zone() -> None:
    spec = ScpSpec(leads=synthetic_ecg(1.0, 500), tz_minutes=None)
    rec = read_ecg(write_scp(spec), local_tz=ROME_WINTER)
    assert rec.acquired_at == datetime(2024, 3, 5, 9, 30, 15, tzinfo=UTC)


def test_measurements_and_statements() -> None:
    values = {"rr": 800, "p_on": 100, "p_off": 200, "qrs_on": 260, "qrs_off": 350,
              "t_off": 650, "p_axis": 45, "qrs_axis": -30, "t_axis": 60, "vent_rate": 74,
              "qtc": 431}  # fmt: skip
    lines = ["Ritmo sinusale", "Deviazione assiale sinistra"]
    spec = ScpSpec(leads=synthetic_ecg(1.0, 500), measurements=values, statements=lines)
    rec = read_ecg(write_scp(spec))
    m = rec.measurements
    assert (m.heart_rate_bpm, m.pr_ms, m.qrs_ms, m.qt_ms, m.qtc_ms) == (74, 160, 90, 390, 431)
    assert (m.p_axis_deg, m.qrs_axis_deg, m.t_axis_deg) == (45, -30, 60)
    assert rec.statements == tuple(lines)
    message = to_device_message(rec)
    assert message.driver == "scp-ecg"
    assert message.results[0].code == "ECG12"
    assert message.results[0].value_num == 74
    assert message.results[0].unit == "/min"
    measured = {r.code: (r.value_num, r.unit) for r in message.results[1:]}
    assert measured["ECG-PR"] == (160, "ms") and measured["ECG-QRS-AXIS"] == (-30, "deg")
    assert {r.code_system for r in message.results} == {"local:ecg"}
    assert message.comments == tuple(lines)
    assert message.raw == rec.original == message.attachments["original"]
    assert message.patient.identifier == "RSSMRA70A01H501S"


def test_heart_rate_from_rr_when_no_ventricular_rate() -> None:
    spec = ScpSpec(leads=synthetic_ecg(1.0, 500), measurements={"rr": 1000})
    m = read_ecg(write_scp(spec)).measurements
    assert m.heart_rate_bpm == 60
    assert (m.pr_ms, m.qrs_axis_deg, m.qtc_ms) == (None, None, None)


@pytest.fixture(scope="module")
def small_record() -> bytes:
    spec = ScpSpec(leads=synthetic_ecg(0.5, 500, names=EIGHT), huffman=True, difference=2,
                   measurements={"rr": 900}, statements=["Normale"])  # fmt: skip
    return write_scp(spec)


def flipped(data: bytes, position: int) -> bytes:
    out = bytearray(data)
    out[position] ^= 0x10
    return bytes(out)


@pytest.mark.parametrize("section", [0, 1, 2, 3, 6, 7, 8])
def test_a_flipped_byte_fails_that_sections_crc(small_record: bytes, section: int) -> None:
    start, end = section_spans(small_record)[section]
    rng = np.random.default_rng(section)
    positions = set(range(start, start + 16)) | set(rng.integers(start, end, 25).tolist())
    for position in sorted(positions):
        with pytest.raises(EcgChecksumError, match=f"section {section}") as caught:
            read_ecg(flipped(small_record, position))
        assert caught.value.section == section, position


def test_a_flipped_byte_elsewhere_fails_the_record_crc(small_record: bytes) -> None:
    with pytest.raises(EcgChecksumError, match="record CRC") as caught:
        read_ecg(flipped(small_record, 1))
    assert caught.value.section is None
    start, end = section_spans(small_record)[6]
    changed = bytearray(flipped(small_record, end - 3))  # section 6 CRC made right again
    changed[start : start + 2] = struct.pack("<H", fast_crc(bytes(changed[start + 2 : end])))
    with pytest.raises(EcgChecksumError, match="record CRC"):
        read_ecg(bytes(changed))


def test_all_crcs_right_again_reads(small_record: bytes) -> None:
    changed = refresh_crcs(flipped(small_record, small_record.index(b"Rossi")))
    rec = read_ecg(changed)
    assert rec.patient.family_name == "Bossi"
    assert len(rec.leads) == 12


@pytest.mark.parametrize("cut", [0, 5, 6, 21, 100, -1])
def test_truncated_records_are_errors(small_record: bytes, cut: int) -> None:
    with pytest.raises(EcgError):
        read_ecg(small_record[:cut])


def test_not_an_ecg_names_the_file() -> None:
    with pytest.raises(EcgError, match="notes.txt: not an ECG file"):
        read_ecg(b"hello, world", "notes.txt")
