"""The ECG paper: where each lead goes, in millimetres, at a given speed and gain.

The standard resting-ECG page: three rows of four leads, 2.5 s each (I, aVR, V1, V4 /
II, aVL, V2, V5 / III, aVF, V3, V6, so each column shows the next 2.5 s), then a rhythm
strip of lead II as long as the recording; a 1 mV, 0.2 s calibration pulse opens every
row. The screen viewer (pixels) and the PDF (points) draw this same paper, so they
cannot disagree about where a lead is or what a millimetre means. No Qt here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

ROWS = (("I", "aVR", "V1", "V4"), ("II", "aVL", "V2", "V5"), ("III", "aVF", "V3", "V6"))
RHYTHM_LEADS = ("II", "I", "V1")  # the first one the recording has
COLUMN_S = 2.5
PAGE_S = COLUMN_S * len(ROWS[0])  # the 12-lead block covers the first 10 s
PULSE_S, PULSE_MV = 0.2, 1.0
SPEEDS = (25.0, 50.0)  # mm/s
GAINS = (5.0, 10.0, 20.0)  # mm/mV
TOP_MM = 6.0  # room for the lead labels of the first row
BOTTOM_MM = 6.0  # room for the rhythm strip's time marks
RIGHT_MM = 5.0
BASELINE_AT = 0.6  # the 0 mV line sits this far down its row (QRS mostly points up)
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Scale:
    """Paper speed and gain: 25 mm/s and 10 mm/mV unless switched."""

    speed_mm_s: float = 25.0
    gain_mm_mv: float = 10.0


@dataclass(frozen=True)
class Segment:
    """One lead from ``start_s`` for ``duration_s``; its start and 0 mV at ``x_mm``,
    ``baseline_mm``."""

    lead: str
    row: int
    start_s: float
    duration_s: float
    x_mm: float
    baseline_mm: float
    derived: bool = False

    def end_mm(self, scale: Scale) -> float:
        """Where the segment ends on the paper."""
        return self.x_mm + self.duration_s * scale.speed_mm_s


@dataclass(frozen=True)
class Paper:
    """The whole sheet: size, row baselines and the segments, in millimetres."""

    scale: Scale
    width_mm: float
    height_mm: float
    row_mm: float
    pulse_x_mm: float
    trace_x_mm: float
    baselines: tuple[float, ...]  # one per row, the rhythm strip last
    segments: tuple[Segment, ...]  # the 12-lead block
    rhythm: Segment | None

    def time_at(self, x_mm: float) -> float:
        """Seconds from the start of the recording at ``x_mm`` (on the rhythm strip)."""
        return (x_mm - self.trace_x_mm) / self.scale.speed_mm_s


def row_height_mm(gain_mm_mv: float) -> float:
    """A row holds 3.5 mV at the gain in force (35 mm at 10 mm/mV), never less than 25 mm:
    four rows fit a laptop screen at true size; taller waves overlap, as on paper."""
    return max(25.0, 3.5 * gain_mm_mv)


def lead_seconds(lengths: Mapping[str, int], starts: Mapping[str, int], rate: float) -> float:
    """Seconds from the common time 0 to the end of the longest lead."""
    return max((starts.get(n, 0) + size for n, size in lengths.items()), default=0) / rate


def layout(lengths: Mapping[str, int], rate: float, *, scale: Scale = Scale(),
           starts: Mapping[str, int] | None = None, derived: Collection[str] = (),
           row_mm: float | None = None, max_seconds: float | None = None) -> Paper:
    """The paper for leads of these lengths (samples) at ``rate`` Hz.

    ``max_seconds`` cuts the rhythm strip (a printed page holds 10 s); leads missing
    from the recording leave their place empty.
    """
    starts = starts or {}
    total = lead_seconds(lengths, starts, rate) if rate > 0 else 0.0
    if max_seconds is not None:
        total = min(total, max_seconds)
    row = row_mm or row_height_mm(scale.gain_mm_mv)
    pulse_x = 2.0
    trace_x = pulse_x + PULSE_S * scale.speed_mm_s + 3.0
    baselines = tuple(TOP_MM + row * (i + BASELINE_AT) for i in range(len(ROWS) + 1))
    segments = []
    for row_index, leads in enumerate(ROWS):
        for column, lead in enumerate(leads):
            start = column * COLUMN_S
            duration = min(COLUMN_S, total - start)
            if lead in lengths and duration > 0:
                segments.append(Segment(lead, row_index, start, duration,
                                        trace_x + start * scale.speed_mm_s,
                                        baselines[row_index], lead in derived))
    rhythm_lead = next((name for name in RHYTHM_LEADS if name in lengths), None)
    if rhythm_lead is None and lengths:
        rhythm_lead = next(iter(lengths))
    rhythm = None
    if rhythm_lead is not None and total > 0:
        rhythm = Segment(rhythm_lead, len(ROWS), 0.0, total, trace_x, baselines[-1],
                         rhythm_lead in derived)
    shown = max(total, PAGE_S) if max_seconds is None else max_seconds
    width = trace_x + shown * scale.speed_mm_s + RIGHT_MM
    height = TOP_MM + row * (len(ROWS) + 1) + BOTTOM_MM
    return Paper(scale, _up_to_5(width), _up_to_5(height), row, pulse_x, trace_x, baselines,
                 tuple(segments), rhythm)


def _up_to_5(value: float) -> float:
    """Round a sheet size up to whole 5 mm squares."""
    return float(np.ceil(value / 5.0 - 1e-9) * 5.0)


def pulse_points(x_mm: float, baseline_mm: float, scale: Scale) -> list[tuple[float, float]]:
    """The 1 mV, 0.2 s calibration pulse as a polyline (millimetres, y down)."""
    width = PULSE_S * scale.speed_mm_s
    top = baseline_mm - PULSE_MV * scale.gain_mm_mv
    lead_in = 1.0
    return [(x_mm - lead_in, baseline_mm), (x_mm, baseline_mm), (x_mm, top),
            (x_mm + width, top), (x_mm + width, baseline_mm),
            (x_mm + width + lead_in, baseline_mm)]


def segment_samples(segment: Segment, data: NDArray[np.int32], rate: float,
                    first_sample: int = 0, *, start_s: float | None = None,
                    end_s: float | None = None) -> tuple[NDArray[np.int32], float]:
    """The samples of ``segment`` (or of its part from ``start_s`` to ``end_s``, in
    recording time) and the time of the first one from the part's start, in seconds."""
    start = segment.start_s if start_s is None else start_s
    end = segment.start_s + segment.duration_s if end_s is None else end_s
    first = max(int(np.ceil(start * rate - 1e-9)) - first_sample, 0)
    last = min(int(np.ceil(end * rate - 1e-9)) - first_sample, len(data))
    if last <= first:
        return data[:0], 0.0
    return data[first:last], (first + first_sample) / rate - start


def trace_xy(samples: NDArray[np.int32], offset_s: float, rate: float, scale: Scale, *,
             units_per_mm: float, bucket_units: float = 1.0
             ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Samples (µV) as x, y in drawing units from the part's start and 0 mV (y down).

    Where more than two samples fall in one ``bucket_units`` column, only the lowest and
    the highest of each column are kept, in the order they came: the drawn line looks the
    same and a narrow QRS keeps its peak, with a few points per column instead of tens.
    """
    count = len(samples)
    units_per_sample = scale.speed_mm_s * units_per_mm / rate
    per = int(bucket_units / units_per_sample) if units_per_sample > 0 else 1
    index = np.arange(count)
    if per >= 3 and count > 2 * per:
        blocks = count // per
        shaped = samples[: blocks * per].reshape(blocks, per)
        low, high = np.argmin(shaped, axis=1), np.argmax(shaped, axis=1)
        base = np.arange(blocks) * per
        pairs = np.stack([np.minimum(low, high), np.maximum(low, high)], axis=1) + base[:, None]
        index = np.concatenate([pairs.ravel(), np.arange(blocks * per, count)])
    x = (offset_s + index / rate) * scale.speed_mm_s * units_per_mm
    y = -(samples[index].astype(np.float64) / 1000.0) * scale.gain_mm_mv * units_per_mm
    return x, y


@dataclass(frozen=True)
class CalliperReading:
    """What the calliper spans: time in ms (always positive), amplitude in mV (up is +)."""

    ms: float
    mv: float

    @property
    def rate_per_min(self) -> float | None:
        """The rate an interval this long would mean (an R-R interval read as beats/min)."""
        return 60000.0 / self.ms if self.ms > 0 else None


def calliper(start_mm: tuple[float, float], end_mm: tuple[float, float],
             scale: Scale) -> CalliperReading:
    """The interval and the amplitude between two points of the paper (millimetres)."""
    seconds = abs(end_mm[0] - start_mm[0]) / scale.speed_mm_s
    millivolts = (start_mm[1] - end_mm[1]) / scale.gain_mm_mv
    return CalliperReading(seconds * 1000.0, millivolts)


def grid_lines(start_mm: float, end_mm: float) -> tuple[list[int], list[int]]:
    """Whole millimetres from ``start_mm`` to ``end_mm``: (1 mm lines, 5 mm lines)."""
    first, last = int(np.ceil(start_mm)), int(np.floor(end_mm))
    every = range(first, last + 1)
    return [m for m in every if m % 5], [m for m in every if m % 5 == 0]
