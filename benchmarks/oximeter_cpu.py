"""CPU cost of the live oximeter view: share of one core used while it runs.

The view runs offscreen (a real raster backing store: every redraw is painted), fed by a
synthetic CMS50D+ at 60 samples/s, and the process CPU time over the wall time is
reported (the issue's target: under 5 % of one core). ``--ring`` feeds the device
runtime's own sample ring from a thread in 50 ms chunks, as the serial reader does.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.oximeter_cpu --seconds 20

PySide6 6.12.0 on CPython 3.11 drops a reference to None at every call of a void Qt
method and one to True at every ``Signal.emit`` from Python, so a live view kills the
process within a minute ("Fatal Python error: bool_dealloc"); 6.11.2 does not, and on
CPython 3.12+ None and True are immortal. ``--pin-refcounts`` lets the measurement run
there anyway (it pins their counts out of reach; never do this in the program).
"""

from __future__ import annotations

import argparse
import math
import os
import threading
import time
from typing import Any

RATE_HZ = 60.0


def synthetic_sample(n: int) -> Any:
    """The n-th sample of a steady pulse (72/min, SpO2 97 %) with a pleth wave."""
    from app.devices.cms50 import Sample

    phase = (n / RATE_HZ * 72 / 60) % 1.0
    pleth = 15 + 70 * math.exp(-((phase - 0.25) ** 2) / 0.01) + 10 * math.sin(2 * math.pi * phase)
    return Sample(pleth=max(0, min(100, round(pleth))), pulse_rate=72, spo2=97, signal=8,
                  beat=phase < 1 / 60 * 72 / 60)


class SyntheticSource:
    """Samples appear at 60 Hz by the wall clock, taken from a pool made beforehand.

    The pool is made up front so that what is measured is the view, not the making of
    samples (in the program the reader thread decodes them whether the view is open or not).
    """

    POOL = round(60 * RATE_HZ)  # distinct objects: the view tells new samples by identity

    def __init__(self) -> None:
        pool = [synthetic_sample(n) for n in range(self.POOL)]
        self._twice = pool + pool  # any window is one slice
        self._start = time.monotonic()

    def latest_samples(self, seconds: float) -> list[Any]:
        """The samples of the last ``seconds``, oldest first."""
        due = int((time.monotonic() - self._start) * RATE_HZ)
        count = min(due, round(seconds * RATE_HZ))
        first = (due - count) % self.POOL
        return self._twice[first:first + count]


class RingSource:
    """The device runtime's sample ring behind the view's ``latest_samples``."""

    def __init__(self, ring: Any) -> None:
        self.ring = ring

    def latest_samples(self, seconds: float) -> list[Any]:
        """What ``DeviceRunner.latest_samples`` returns."""
        return list(self.ring.latest(seconds))


def _feed_ring(ring: Any, stop: threading.Event) -> None:
    """Add three samples every 50 ms, like the reader thread with its 50 ms read timeout."""
    n = 0
    start = time.monotonic()
    while not stop.wait(0.05):
        due = int((time.monotonic() - start) * RATE_HZ)
        ring.add(time.monotonic(), [synthetic_sample(i) for i in range(n, due)])
        n = due


def measure(seconds: float, refresh_hz: float, use_ring: bool) -> dict[str, float]:
    """Run the view for ``seconds``; CPU % of one core, frames drawn, timer rate."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.oximeter_view import OximeterView
    from app.ui.qt import QApplication, QTimer

    app = QApplication.instance() or QApplication(["medirete-bench"])
    stop = threading.Event()
    source: Any
    if use_ring:
        from app.devices.runtime import RING_SECONDS, _SampleRing

        ring = _SampleRing(RING_SECONDS)
        source = RingSource(ring)
        feeder = threading.Thread(target=_feed_ring, args=(ring, stop), daemon=True)
        feeder.start()
    else:
        source = SyntheticSource()
    view = OximeterView(source, lambda: None, refresh_hz=refresh_hz)
    view.resize(900, 320)
    view.show()
    ticks = [0]
    view.timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    app.processEvents()
    time.sleep(1.0)  # let the source fill the 5 s window partly, untimed
    app.processEvents()
    frames0 = view.frames
    cpu0, wall0 = time.process_time(), time.perf_counter()
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    stop.set()
    view.close()
    return {"cpu_percent": 100 * cpu / wall, "wall_s": wall,
            "frames_per_s": (view.frames - frames0) / wall, "ticks_per_s": ticks[0] / wall}


def main() -> None:
    """Print the measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--hz", type=float, default=0.0,
                        help="the view's refresh rate (default: the view's own)")
    parser.add_argument("--ring", action="store_true",
                        help="feed app.devices.runtime's sample ring from a reader-like thread")
    args = parser.parse_args()
    from app.ui.oximeter_view import REFRESH_HZ

    hz = args.hz or REFRESH_HZ
    result = measure(args.seconds, hz, args.ring)
    source = "runtime ring, 50 ms chunks" if args.ring else "synthetic 60 Hz"
    print(f"oximeter view at {hz:g} Hz ({source}), {result['wall_s']:.1f} s: "
          f"{result['cpu_percent']:.1f} % of one core "
          f"({result['frames_per_s']:.1f} redraws/s, {result['ticks_per_s']:.1f} ticks/s)")


if __name__ == "__main__":
    main()
