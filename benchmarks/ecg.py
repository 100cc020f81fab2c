"""ECG benchmarks (issue 10): read the files, paint the 12-lead view, scroll a long strip.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.ecg [--small] [--out FILE]

- import: ``read_ecg`` of a 10-second 12-lead SCP-ECG (500 Hz, second differences,
  default Huffman table; written by the tests' own SCP writer) and of pydicom's
  ``waveform_ecg.dcm`` (12 leads, 10 s at 1,000 Hz): ms per file, p50 / p95 / max;
- paint: the pydicom ECG set on a shown, empty ``EcgView`` (1,100 × 640, 96 dpi) and
  painted into a QImage (``viewport().grab()``): cold (the paper laid out and every
  path built on that paint) and warm (the same view painted again);
- scroll: a 5-minute 12-lead recording, the view scrolled along the rhythm strip 40 px
  at a time (about 10 mm, 0.4 s) from start to end, each frame a synchronous
  ``viewport().repaint()`` on the offscreen backing store: ms per frame, max.

Targets: paint ≤ 100 ms, no scroll frame over 50 ms. Prints a table, writes JSON with
``--out``, and always exits 0 (a missed target is reported, never a failure).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402 - the platform must be set before Qt loads
from pydicom.data import get_testdata_file  # noqa: E402

from app.devices.ecg import EcgRecording, read_ecg  # noqa: E402
from app.devices.ecg.model import make_recording  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from tests.devices.scp_writer import TWELVE, ScpSpec, synthetic_ecg, write_scp  # noqa: E402

PAINT_TARGET_MS = 100.0
FRAME_TARGET_MS = 50.0
VIEW_SIZE = (1100, 640)
SCROLL_STEP_PX = 40


def summary(times_ms: list[float]) -> dict[str, float]:
    """p50, p95 and max of a series, in ms."""
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(ordered), "p50": statistics.median(ordered), "p95": p95,
            "max": ordered[-1]}


def timed(call: Callable[[], Any], repeat: int, warmup: int = 2) -> list[float]:
    """``call`` timed ``repeat`` times after ``warmup`` untimed runs, in ms."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def scp_file(seconds: float = 10.0) -> bytes:
    """A 12-lead SCP-ECG, 500 Hz, second differences and the default Huffman table."""
    leads = synthetic_ecg(seconds=seconds, rate=500, names=TWELVE)
    return write_scp(ScpSpec(leads=leads, huffman=True, difference=2,
                             measurements={"vent_rate": 75}, statements=["Ritmo sinusale"]))


def dicom_file() -> bytes:
    """pydicom's example 12-lead ECG."""
    return Path(str(get_testdata_file("waveform_ecg.dcm"))).read_bytes()


def long_recording(minutes: float = 5.0) -> EcgRecording:
    """12 synthetic leads, ``minutes`` long at 500 Hz."""
    leads = synthetic_ecg(seconds=minutes * 60, rate=500, names=TWELVE)
    return make_recording({n: d.astype(np.int32) for n, d in leads.items()}, 500, "scp-ecg",
                          b"")


def import_series(repeat: int) -> dict[str, dict[str, float]]:
    """ms to read each file into an ``EcgRecording``."""
    scp, dicom = scp_file(), dicom_file()
    assert len(read_ecg(scp).leads) == 12 and len(read_ecg(dicom).leads) == 12
    return {"scp_huffman_10s": summary(timed(lambda: read_ecg(scp), repeat)),
            "dicom_example": summary(timed(lambda: read_ecg(dicom), repeat))}


def _view(recording: EcgRecording | None) -> Any:
    from app.ui.ecg import EcgView

    view = EcgView(dpi=96.0)
    view.resize(*VIEW_SIZE)
    if recording is not None:
        view.set_recording(recording)
    view.show()
    return view


def paint_series(repeat: int) -> dict[str, dict[str, float]]:
    """ms to paint the 12-lead view into a QImage: a new view each time, then the same."""
    from app.ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    recording = read_ecg(dicom_file())
    cold: list[float] = []
    for _ in range(repeat + 2):
        view = _view(None)  # shown, empty: the window itself is not what is timed
        app.processEvents()
        started = time.perf_counter()
        view.set_recording(recording)  # lays the paper out; no path is built yet
        image = view.viewport().grab().toImage()
        cold.append((time.perf_counter() - started) * 1000)
        assert not image.isNull()
        view.close()
        view.deleteLater()
        app.processEvents()
    view = _view(recording)
    app.processEvents()
    warm = timed(lambda: view.viewport().grab().toImage(), repeat)
    view.close()
    return {"cold": summary(cold[2:]), "warm": summary(warm)}


def scroll_series(minutes: float) -> dict[str, Any]:
    """ms per frame scrolling the rhythm strip of a ``minutes``-long recording."""
    from app.ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    view = _view(long_recording(minutes))
    app.processEvents()
    view.viewport().repaint()
    bar = view.horizontalScrollBar()
    frames: list[float] = []
    for value in range(0, bar.maximum() + SCROLL_STEP_PX, SCROLL_STEP_PX):
        started = time.perf_counter()
        bar.setValue(min(value, bar.maximum()))
        view.viewport().repaint()
        frames.append((time.perf_counter() - started) * 1000)
    result = {"minutes": minutes, "frames": summary(frames), "paths_built": view.paths.built,
              "strip_px": bar.maximum() + bar.pageStep()}
    view.close()
    return result


def checks(result: dict[str, Any]) -> list[str]:
    """Each target with "ok" or "MISSED"."""
    paint = result["paint"]["cold"]["max"]
    frame = result["scroll"]["frames"]["max"]
    return [f"paint the 12-lead view ≤ {PAINT_TARGET_MS:g} ms (cold, max {paint:.1f}): "
            + ("ok" if paint <= PAINT_TARGET_MS else "MISSED"),
            f"scroll frame ≤ {FRAME_TARGET_MS:g} ms (max {frame:.1f}): "
            + ("ok" if frame <= FRAME_TARGET_MS else "MISSED")]


def run(*, small: bool = False) -> dict[str, Any]:
    """Every series (``small``: a handful of repetitions and a 1-minute strip)."""
    repeat = 5 if small else 50
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(),
            "load_average": os.getloadavg(), "import": import_series(repeat),
            "paint": paint_series(3 if small else 20),
            "scroll": scroll_series(1.0 if small else 5.0)}


def table(result: dict[str, Any]) -> str:
    """The figures as text."""
    lines = ["series                      n     p50 ms   p95 ms   max ms"]
    rows = [(f"import {k}", v) for k, v in result["import"].items()]
    rows += [(f"paint 12-lead {k}", v) for k, v in result["paint"].items()]
    rows.append((f"scroll {result['scroll']['minutes']:g} min, per frame",
                 result["scroll"]["frames"]))
    for name, s in rows:
        lines.append(f"{name:26s} {s['n']:4d} {s['p50']:9.2f} {s['p95']:8.2f} {s['max']:8.2f}")
    lines.append(f"scroll: {result['scroll']['paths_built']} paths built over "
                 f"{result['scroll']['strip_px']:,} px of paper")
    return "\n".join(lines + checks(result))


def main(argv: list[str] | None = None) -> int:
    """Run, print, optionally write JSON; always 0."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ecg", description=__doc__)
    parser.add_argument("--small", action="store_true", help="a quick run (CI size)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    result = run(small=args.small)
    print(table(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
