"""A Contec CMS50D+ that streams a synthetic pleth wave at 60 Hz (``devsim cms50``).

SpO2 wanders within 97-99 % and the pulse within 60-100/min (135-150 with
``high_pulse``, which exercises bit 6 of byte 3). Options take the finger out for a
while, sprinkle line noise and cut packets (the decoder must resync), and drop the
line after some seconds.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.devices.cms50 import PACKET_SIZE, SAMPLE_RATE_HZ, SERIAL_SETTINGS, Sample, encode_sample
from app.devices.simulators import Tick, run_on_port

SEARCH_SECONDS = 1.0  # after the finger goes back in, the device searches this long


@dataclass(frozen=True)
class Cms50SimOptions:
    """How the simulated oximeter behaves; times are seconds from the start of a stream."""

    spo2: int = 98
    pulse: int = 72
    high_pulse: bool = False
    finger_out_at: float | None = None
    finger_out_for: float = 3.0
    noise_every: float | None = None  # a burst of line noise and a cut packet this often
    drop_after: float | None = None  # the line drops (the stream ends) after this long
    seed: int = 1


def pleth_value(phase: float) -> int:
    """A pleth wave at ``phase`` (0-1) of a beat: systolic peak and dicrotic notch, 5-95."""
    systolic = math.exp(-(((phase - 0.15) / 0.07) ** 2))
    dicrotic = 0.35 * math.exp(-(((phase - 0.45) / 0.08) ** 2))
    return max(0, min(100, round(5 + 90 * min(1.0, systolic + dicrotic))))


def _wander(rng: random.Random, value: int, low: int, high: int) -> int:
    return max(low, min(high, value + rng.choice((-1, 0, 0, 1))))


class _Oximeter:
    """The state of one simulated stream: vital signs, beat phase, finger."""

    def __init__(self, options: Cms50SimOptions) -> None:
        self.options = options
        self.rng = random.Random(options.seed)
        self.pulse_range = (135, 150) if options.high_pulse else (60, 100)
        self.pulse = max(self.pulse_range[0], min(self.pulse_range[1], options.pulse))
        self.spo2 = max(97, min(99, options.spo2))
        self.phase = 0.0

    def finger_state(self, t: float) -> str:
        start = self.options.finger_out_at
        if start is None or t < start:
            return "in"
        end = start + self.options.finger_out_for
        if t < end:
            return "out"
        return "searching" if t < end + SEARCH_SECONDS else "in"

    def sample(self, index: int) -> Sample:
        t = index / SAMPLE_RATE_HZ
        if index % round(SAMPLE_RATE_HZ) == 0:  # vital signs drift once a second
            self.pulse = _wander(self.rng, self.pulse, *self.pulse_range)
            self.spo2 = _wander(self.rng, self.spo2, 97, 99)
        state = self.finger_state(t)
        if state != "in":
            return Sample(
                pleth=0,
                pulse_rate=None,
                spo2=None,
                finger_out=state == "out",
                searching=state == "searching",
                searching_too_long=state == "out",
            )
        before, self.phase = self.phase, (self.phase + self.pulse / 60 / SAMPLE_RATE_HZ) % 1
        beat = before < 0.15 <= self.phase  # the systolic peak of this beat
        pleth = pleth_value(self.phase)
        return Sample(
            pleth=pleth,
            pulse_rate=self.pulse,
            spo2=self.spo2,
            signal=8,
            beat=beat,
            bar=pleth * 15 // 100,
        )


def _noise(rng: random.Random, packet: bytes) -> bytes:
    """Bytes without a sync bit, then a packet cut short: the decoder drops both."""
    junk = bytes(rng.randrange(0x80) for _ in range(rng.randint(1, 6)))
    return junk + packet[: rng.randint(1, PACKET_SIZE - 1)]


def cms50_samples(options: Cms50SimOptions) -> Iterator[Sample]:
    """The samples of one stream, 60 a second, until ``drop_after`` (or for ever)."""
    oximeter = _Oximeter(options)
    index = 0
    while options.drop_after is None or index < options.drop_after * SAMPLE_RATE_HZ:
        yield oximeter.sample(index)
        index += 1


def cms50_ticks(options: Cms50SimOptions) -> Iterator[Tick]:
    """The bytes of one stream, one packet per 1/60 s, with the noise the options ask for."""
    rng = random.Random(options.seed + 1)
    every = round(options.noise_every * SAMPLE_RATE_HZ) if options.noise_every else 0
    for index, sample in enumerate(cms50_samples(options)):
        packet = encode_sample(sample)
        if every and index % every == every - 1:
            packet = _noise(rng, packet) + packet
        yield 1 / SAMPLE_RATE_HZ, packet


def simulate_cms50(
    port: str,
    stop: threading.Event,
    *,
    options: Cms50SimOptions | None = None,
    speed: float = 1.0,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Stream on ``port`` (pyserial URL or ``listen://HOST:PORT``) until ``stop`` is set."""
    opts = options or Cms50SimOptions()
    run_on_port(
        port,
        lambda: cms50_ticks(opts),
        stop,
        settings=SERIAL_SETTINGS,
        speed=speed,
        on_listening=on_listening,
    )
