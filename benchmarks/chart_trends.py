"""Drawing the heavy chart's trends: HbA1c and blood pressure until painted (target 100 ms).

The heavy chart is the synthetic generator's (20 years of dense history: some 6,000
observations, 800 blood pressure pairs, 120 HbA1c), its observation rows turned into the
``EntryView`` objects the chart service returns; no database is read, so the figures are
the Results tab's own. Qt runs offscreen (a real raster backing store: every paint is
drawn); each timed draw ends with a synchronous repaint of the whole tab.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.chart_trends [--runs 30]

Series: ``gather`` (observations grouped by measure, BP paired, BMI computed), ``bp`` and
``hba1c`` (choose the measure in the list: plot, its table, painted), ``hba1c_and_bp``
(both, the issue's target), ``open_tab`` (``show_observations`` of the whole chart,
painted). The start-up objects are frozen out of the collector first, as the program
does once started (``app.core.heap.settle_after_startup``). Numbers, never a failure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.build import AS_OF, SEED

TARGET_MS = 100.0


def heavy_observations() -> tuple[str, list[Any]]:
    """The heavy chart's observations, as ``records.chart.open(...)`` returns them."""
    from app.records.services import entries
    from app.records.synthetic.center import CenterGenerator, CenterSpec

    spec = CenterSpec(patients=1, seed=SEED, gp_ids=("gp",), nurse_ids=("nurse",),
                      heavy_charts=1, as_of=AS_OF)
    chart = next(iter(CenterGenerator(spec)))
    rows = sorted(chart.rows["observation"], key=lambda r: r["effective_at"], reverse=True)
    return chart.patient_id, [entries.to_view("observation", row) for row in rows]


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered), "p95_ms": p95, "max_ms": ordered[-1]}


def _timed(action: Callable[[], None], paint: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    paint()
    return (time.perf_counter() - start) * 1000


def measure(runs: int, warmup: int = 3) -> dict[str, Any]:
    """Time each series ``runs`` times after ``warmup`` untimed rounds."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.core.heap import settle_after_startup
    from app.ui.chart.observations import gather
    from app.ui.chart.results import ResultsView
    from app.ui.qt import QApplication

    app = QApplication.instance() or QApplication(["medirete-bench"])
    patient_id, observations = heavy_observations()
    view = ResultsView()
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    settle_after_startup()  # as the program does once it has started (app/ui/main.py)

    def paint() -> None:
        view.repaint()  # synchronous: every child on screen is painted now

    series: dict[str, list[float]] = {k: [] for k in
                                      ("gather", "bp", "hba1c", "hba1c_and_bp", "open_tab")}
    view.show_observations(patient_id, observations)
    for run in range(warmup + runs):
        timed: dict[str, float] = {}
        start = time.perf_counter()
        gather(observations)
        timed["gather"] = (time.perf_counter() - start) * 1000
        view.select_measure("weight")  # away from both, untimed
        paint()
        timed["hba1c"] = _timed(lambda: view.select_measure("hba1c"), paint)
        timed["bp"] = _timed(lambda: view.select_measure("bp"), paint)
        timed["hba1c_and_bp"] = timed["hba1c"] + timed["bp"]
        view.clear()
        paint()
        timed["open_tab"] = _timed(lambda: view.show_observations(patient_id, observations),
                                   paint)
        app.processEvents()
        if run >= warmup:
            for key, value in timed.items():
                series[key].append(value)
    counts = {"observations": len(observations),
              "bp_pairs": len(view.results.blood_pressure),
              "hba1c": len(view.results.of("hba1c"))}
    view.close()
    return {"counts": counts, "runs": runs, **{k: _ms(v) for k, v in series.items()}}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(report(measure(args.runs)))


def report(result: dict[str, Any]) -> str:
    """The figures as lines, with the target."""
    counts = result["counts"]
    lines = [f"heavy chart: {counts['observations']} observations, {counts['bp_pairs']} BP "
             f"pairs, {counts['hba1c']} HbA1c; {result['runs']} runs, offscreen, painted"]
    for key in ("gather", "hba1c", "bp", "hba1c_and_bp", "open_tab"):
        figures = result[key]
        target = ""
        if key == "hba1c_and_bp":
            target = "  (target <= 100 ms: " + (
                "met)" if figures["p95_ms"] <= TARGET_MS else "MISSED)")
        lines.append(f"  {key:<14} median {figures['median_ms']:7.1f} ms   "
                     f"p95 {figures['p95_ms']:7.1f} ms   max {figures['max_ms']:7.1f} ms{target}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
