"""A blood-pressure monitor (and scale) speaking the ``app.devices.bp`` line protocol.

Readings are plausible for an adult (systolic 110-160, diastolic 65-95, pulse 55-95,
weight 55-110 kg) and stamped with the local clock, as a device's own clock would.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from app.devices.bp import SERIAL_SETTINGS, BpReading, Reading, WeightReading, encode_reading
from app.devices.simulators import Tick, run_on_port


@dataclass(frozen=True)
class BpSimOptions:
    """How the simulated monitor behaves."""

    interval: float = 5.0  # seconds between readings (the first comes after 0.2 s)
    weight_every: int = 0  # also weigh the patient every N readings (0: never)
    bad_checksum_every: int = 0  # spoil the checksum of every Nth line (0: never)
    drop_after: float | None = None  # the line drops after this many seconds
    seed: int = 1


def bp_readings(
    options: BpSimOptions, clock: Callable[[], datetime] = datetime.now
) -> Iterator[Reading]:
    """An endless series of readings (a weight after every ``weight_every`` BPs)."""
    rng = random.Random(options.seed)
    count = 0
    while True:
        count += 1
        systolic = rng.randint(110, 160)
        diastolic = rng.randint(65, min(95, systolic - 25))
        when = clock().replace(microsecond=0)
        yield BpReading(systolic, diastolic, rng.randint(55, 95), when)
        if options.weight_every and count % options.weight_every == 0:
            yield WeightReading(round(rng.uniform(55, 110), 1), when)


def _spoil(line: bytes) -> bytes:
    """The same line with a wrong checksum (the last hex digit changed)."""
    digit = line[-3:-2]
    return line[:-3] + (b"0" if digit != b"0" else b"1") + line[-2:]


def bp_ticks(options: BpSimOptions) -> Iterator[Tick]:
    """The lines of one connection, ``interval`` apart, until ``drop_after``."""
    weigh_delay = min(0.5, options.interval / 2)
    elapsed = 0.0
    for index, reading in enumerate(bp_readings(options), start=1):
        if index == 1:
            delay = 0.2
        else:  # a weight follows its blood pressure shortly
            delay = options.interval if isinstance(reading, BpReading) else weigh_delay
        if options.drop_after is not None and elapsed + delay > options.drop_after:
            yield options.drop_after - elapsed, b""  # the line stays up until then
            return
        elapsed += delay
        line = encode_reading(reading)
        if options.bad_checksum_every and index % options.bad_checksum_every == 0:
            line = _spoil(line)
        yield delay, line


def simulate_bp(
    port: str,
    stop: threading.Event,
    *,
    options: BpSimOptions | None = None,
    speed: float = 1.0,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Send readings on ``port`` (pyserial URL or ``listen://HOST:PORT``) until ``stop``."""
    opts = options or BpSimOptions()
    run_on_port(
        port,
        lambda: bp_ticks(opts),
        stop,
        settings=SERIAL_SETTINGS,
        speed=speed,
        on_listening=on_listening,
    )
