"""DICOM waveform ECG: pydicom's own example file, channel subsets, units."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.waveforms.numpy_handler import multiplex_array

from app.devices.ecg import EcgError, EcgUnsupportedError, read_ecg, to_device_message

ROME_WINTER = timezone(timedelta(hours=1))
TWELVE = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def example_path() -> str:
    path = get_testdata_file("waveform_ecg.dcm")
    assert isinstance(path, str)
    return path


def example_bytes() -> bytes:
    with open(example_path(), "rb") as handle:
        return handle.read()


def to_bytes(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    dataset.save_as(buffer)
    return buffer.getvalue()


def keep_channels(dataset: Dataset, columns: list[int], samples: int | None = None) -> Dataset:
    """The rhythm group only, with the given channels (and maybe fewer samples)."""
    raw = multiplex_array(dataset, 0, as_raw=True)[:samples, columns]
    group = dataset.WaveformSequence[0]
    group.ChannelDefinitionSequence = Sequence(
        [group.ChannelDefinitionSequence[c] for c in columns]
    )
    group.NumberOfWaveformChannels = len(columns)
    group.NumberOfWaveformSamples = raw.shape[0]
    group.WaveformData = raw.astype("<i2").tobytes()
    dataset.WaveformSequence = Sequence([group])
    return dataset


def test_pydicom_example_imports_with_twelve_leads_at_1000_hz() -> None:
    data = example_bytes()
    rec = read_ecg(data, "waveform_ecg.dcm", local_tz=ROME_WINTER)
    assert rec.source_format == "dicom-ecg"
    assert list(rec.leads) == TWELVE
    assert rec.derived == frozenset()
    assert rec.sampling_rate == 1000.0
    assert all(len(values) == 10000 for values in rec.leads.values())  # 10 s
    expected = pydicom.dcmread(example_path()).waveform_array(0)  # µV, 1.25 µV steps
    for column, name in enumerate(TWELVE):
        assert np.array_equal(rec.leads[name], np.rint(expected[:, column]).astype(np.int32))
    assert rec.leads["I"][:3].tolist() == [100, 81, 62]
    assert rec.patient.identifier == "642341"
    assert (rec.patient.family_name, rec.patient.birth_date, rec.patient.sex) == (
        "Anonymous", "19710123", "F",
    )  # fmt: skip
    assert rec.device == "Mortara Instrument, Inc. / el250"
    assert rec.acquired_at == datetime(2013, 1, 25, 10, 59, 19, tzinfo=ROME_WINTER)
    m = rec.measurements
    assert (m.pr_ms, m.qrs_ms, m.qt_ms, m.qtc_ms) == (161, 75, 368, 370)
    assert (m.p_axis_deg, m.qrs_axis_deg, m.t_axis_deg) == (74, 52, 57)
    assert m.heart_rate_bpm == 61  # from the RR interval of 982 ms
    assert rec.statements == ("RITMO SINUSALE", "ECG NORMALE")
    message = to_device_message(rec)
    assert message.driver == "dicom-ecg"
    assert message.results[0].value_num == 61
    assert message.attachments == {"original": data}


def test_eight_channels_get_derived_limb_leads() -> None:
    dataset = keep_channels(pydicom.dcmread(example_path()), [0, 1, 6, 7, 8, 9, 10, 11])
    full = read_ecg(example_bytes())
    rec = read_ecg(to_bytes(dataset))
    assert list(rec.leads) == TWELVE
    assert rec.derived == {"III", "aVR", "aVL", "aVF"}
    one, two = rec.leads["I"].astype(np.int64), rec.leads["II"].astype(np.int64)
    assert np.array_equal(rec.leads["III"], two - one)
    assert np.array_equal(rec.leads["aVF"], np.rint(two - one / 2))
    for name in ("III", "aVR", "aVL", "aVF"):  # the cart's own leads agree within rounding
        assert np.abs(rec.leads[name] - full.leads[name].astype(np.int64)).max() <= 3


def test_millivolt_channels_are_converted() -> None:
    dataset = keep_channels(pydicom.dcmread(example_path()), [0, 1], samples=50)
    for channel in dataset.WaveformSequence[0].ChannelDefinitionSequence:
        channel.ChannelSensitivity = "0.00125"
        channel.ChannelSensitivityUnitsSequence[0].CodeValue = "mV"
    rec = read_ecg(to_bytes(dataset))
    assert rec.leads["I"][:3].tolist() == [100, 81, 62]


def test_uncalibrated_channel_is_refused() -> None:
    dataset = keep_channels(pydicom.dcmread(example_path()), [0, 1], samples=50)
    del dataset.WaveformSequence[0].ChannelDefinitionSequence[1].ChannelSensitivity
    with pytest.raises(EcgUnsupportedError, match="uncalibrated"):
        read_ecg(to_bytes(dataset))


def test_dicom_without_waveform_is_an_error() -> None:
    dataset = pydicom.dcmread(example_path())
    del dataset.WaveformSequence
    with pytest.raises(EcgError, match="without waveform"):
        read_ecg(to_bytes(dataset))


def test_truncated_dicom_is_an_ecg_error() -> None:
    with pytest.raises(EcgError):
        read_ecg(example_bytes()[:5000])
