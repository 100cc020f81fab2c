"""Fuzzing the ECG readers: whatever the bytes, the only exception is an ``EcgError``.

Inputs: random bytes (bare and behind each format's signature), truncations and bit
flips of small valid files of every format, SCP-ECG records damaged and then given
correct CRCs again (so the damage reaches the section parsers), and aECG documents
with random text spliced in. The default runs are quick; the ``slow`` ones try
10 000 cases each.
"""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime

import numpy as np
import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.data import get_testdata_file
from pydicom.sequence import Sequence
from pydicom.waveforms.numpy_handler import multiplex_array

from app.devices.ecg import EcgError, EcgRecording, read_ecg, write_aecg
from app.devices.ecg.model import EcgMeasurements, make_recording
from tests.devices.scp_writer import (
    EIGHT,
    ReferenceBeat,
    ScpSpec,
    refresh_crcs,
    synthetic_ecg,
    write_scp,
)

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10_000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
XML_TEXT = st.text(alphabet='<>/="\' \n0123456789.-+eExsi:ATVmuS_&#;!', max_size=40)


def only_ecg_errors(data: bytes) -> EcgRecording | None:
    """Read ``data``; an EcgError is a fine answer, any other exception fails the test."""
    try:
        rec = read_ecg(data)
    except EcgError:
        return None
    assert rec.leads and rec.sampling_rate > 0
    for values in rec.leads.values():
        assert values.dtype == np.int32
    return rec


def _scp_reference() -> bytes:
    counts = synthetic_ecg(1.6, 500, names=EIGHT, seed=5)
    beats = {name: values[100:200].copy() for name, values in counts.items()}
    zones = [(0, 101, 151, 200), (0, 501, 551, 600), (1, 701, 751, 800)]
    reference = ReferenceBeat(beats=beats, fiducial=51, zones=zones, difference=1)
    return write_scp(ScpSpec(leads=counts, reference=reference, huffman=True, difference=2))


def _aecg() -> bytes:
    leads = {n: v.astype(np.int32) for n, v in synthetic_ecg(0.5, 500, names=EIGHT).items()}
    rec = make_recording(
        leads, 500.0, "aecg", b"",
        acquired_at=datetime(2024, 1, 1, 8, 0, tzinfo=UTC),
        measurements=EcgMeasurements(heart_rate_bpm=70.0, pr_ms=150.0),
        statements=("Normale",),
    )  # fmt: skip
    return write_aecg(rec)


def _dicom() -> bytes:
    path = get_testdata_file("waveform_ecg.dcm")
    assert isinstance(path, str)
    dataset = pydicom.dcmread(path)
    group = dataset.WaveformSequence[0]
    raw = multiplex_array(dataset, 0, as_raw=True)[:120]
    group.NumberOfWaveformSamples = raw.shape[0]
    group.WaveformData = raw.astype("<i2").tobytes()
    dataset.WaveformSequence = Sequence([group])
    del dataset.WaveformAnnotationSequence[20:]
    buffer = io.BytesIO()
    dataset.save_as(buffer)
    return buffer.getvalue()


@functools.cache
def samples() -> dict[str, bytes]:
    """Small valid files of every format and encoding, each read once to be sure."""
    files = {
        "scp-huffman": write_scp(ScpSpec(
            leads=synthetic_ecg(0.4, 500, names=EIGHT), huffman=True, difference=2,
            measurements={"rr": 800, "p_on": 10, "qrs_on": 150, "qrs_off": 240, "t_off": 500,
                          "vent_rate": 75, "qtc": 420},
            statements=["Ritmo sinusale", "Normale"], free_text="nota")),
        "scp-raw": write_scp(ScpSpec(leads=synthetic_ecg(0.3, 500), difference=1)),
        "scp-reference": _scp_reference(),
        "aecg": _aecg(),
        "dicom": _dicom(),
    }  # fmt: skip
    for name, data in files.items():
        assert only_ecg_errors(data) is not None, name
    return files


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, bit in flips:
        out[position % len(out)] ^= 1 << bit
    return bytes(out)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A valid sample truncated, bit-flipped, CRC-repaired after flips, or spliced."""
    name = draw(st.sampled_from(sorted(samples())))
    data = samples()[name]
    kinds = ["truncate", "flip", "splice"] + (["flip-and-fix"] if name.startswith("scp") else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "splice":
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 64)))
        text = draw(XML_TEXT if name == "aecg" else st.binary(max_size=40).map(bytes.hex))
        return data[:start] + text.encode() + data[end:]
    flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)),
                          min_size=1, max_size=6))  # fmt: skip
    flipped = _flip(data, flips)
    return refresh_crcs(flipped) if kind == "flip-and-fix" else flipped


SIGNATURES = (
    b"",
    bytes(128) + b"DICM",
    b'<?xml version="1.0"?><AnnotatedECG xmlns="urn:hl7-org:v3">',
    b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0SCPECG",
)


@st.composite
def random_files(draw: st.DrawFn) -> bytes:
    """Random bytes, bare or behind a signature that sends them to one reader."""
    return draw(st.sampled_from(SIGNATURES)) + draw(st.binary(max_size=2048))


def _check(data: bytes) -> None:
    only_ecg_errors(data)


test_random_bytes = QUICK(given(random_files())(_check))
test_damaged_files = QUICK(given(damaged())(_check))
test_random_bytes_slow = pytest.mark.slow(SLOW(given(random_files())(_check)))
test_damaged_files_slow = pytest.mark.slow(SLOW(given(damaged())(_check)))


def test_samples_are_valid() -> None:
    assert set(samples()) == {"scp-huffman", "scp-raw", "scp-reference", "aecg", "dicom"}


@pytest.mark.parametrize("name", ["scp-huffman", "scp-raw", "scp-reference", "aecg", "dicom"])
def test_every_truncation_of_the_small_files(name: str) -> None:
    data = samples()[name]
    step = max(1, len(data) // 400)
    for cut in range(0, len(data), step):
        only_ecg_errors(data[:cut])
