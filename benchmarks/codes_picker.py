"""ICD-9-CM picker: keystroke to results (target 30 ms), on a center with the shipped lists.

A new encrypted center (ICD-9-CM, about 20,700 codes; ATC; the AIFA medicines) is
opened; a GP's typing is replayed one keystroke at a time (every prefix of realistic
searches: words with and without accents, codes with and without the dot). Each
keystroke is timed three ways:

- ``service``: ``records.codes.search`` as the picker's operation calls it (the access
  check, a reader connection, the index stamp, the ranked search);
- ``dialog``: the picker itself, offscreen: the text set, the search run through a
  synchronous executor, the results model filled and the table repainted;
- ``drugs``: the medicine picker's search, same way as ``service``.

``first_search`` is the cold start: the index built from the record (the picker builds
it as it opens, on a reader thread, so the GP does not wait for it at the first key).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.codes_picker [--rounds 5]

Numbers, never a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TARGET_MS = 30.0
PASSWORD = "benchmark-password-1"
TYPED = (
    "ipertensione arteriosa", "ipertensiòne", "diabete mellito tipo 2", "cardiopatia ischemica",
    "fibrillazione atriale", "broncopneumopatia", "insufficienza renale cronica",
    "scompenso cardiaco", "ipercolesterolemia", "ipotiroidismo", "artrosi del ginocchio",
    "depressione", "obesità", "infarto miocardico pregresso", "401.9", "4019", "250.00",
    "V45.81", "bpco",
)
DRUGS_TYPED = ("metformina", "ramipril", "atorvastatina", "cardioaspirin", "026851016",
               "A10BA02", "amlodipina e valsartan")


def keystrokes(texts: tuple[str, ...]) -> list[str]:
    """Every prefix a GP's typing of ``texts`` produces, one per keystroke."""
    return [text[:n] for text in texts for n in range(1, len(text) + 1)]


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(p95, 3), "max_ms": round(ordered[-1], 3)}


def _series(call: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    samples = []
    for _round in range(rounds):
        for text in texts:
            start = time.perf_counter()
            call(text)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def _center(workdir: Path) -> Path:
    from app.records.storage.center import create_center

    root = workdir / "centro"
    create_center(root, "Centro benchmark", "admin", PASSWORD)
    return root


def _dialog_series(records: Any, texts: list[str], rounds: int) -> list[float]:
    from app.ui.chart.code_picker import ProblemCodeDialog
    from app.ui.ops import SyncExecutor
    from app.ui.qt import QApplication

    app = QApplication.instance() or QApplication(["medirete-bench"])
    executor = SyncExecutor(on_error=lambda exc: print(f"error: {exc!r}", file=sys.stderr))
    executor.backend.attach(records)
    dialog = ProblemCodeDialog(executor)
    dialog.show()
    app.processEvents()

    def keystroke(text: str) -> None:
        dialog.search.setText(text)
        dialog.run_search()
        dialog.table.repaint()

    try:
        return _series(keystroke, texts, rounds)
    finally:
        dialog.close()
        executor.backend.records = None  # the caller closes the record


def measure(rounds: int, workdir: Path) -> dict[str, Any]:
    """Build the center, then time the cold start and every keystroke series."""
    from app.core.heap import settle_after_startup
    from app.records.codes import ICD9CM, store
    from app.records.codes import drugs as drug_store
    from app.records.services import Records

    root = _center(workdir)
    settle_after_startup()  # as the program does once started (app/ui/main.py)
    records = Records.open(root, "admin", PASSWORD)
    try:
        store._INDEXES.clear()
        start = time.perf_counter()
        count = records.codes.prepare_search(ICD9CM)
        first_ms = (time.perf_counter() - start) * 1000
        drug_store._INDEXES.clear()
        start = time.perf_counter()
        drug_count = records.codes.prepare_search("aifa")
        first_drug_ms = (time.perf_counter() - start) * 1000
        texts = keystrokes(TYPED)

        def search(text: str) -> object:
            return records.codes.search(ICD9CM, text, 60, diagnoses_only=True)

        service = _series(search, texts, rounds)
        drugs = _series(lambda text: records.codes.drugs(text, 200), keystrokes(DRUGS_TYPED),
                        rounds)
        dialog = _dialog_series(records, texts, rounds)
    finally:
        records.close()
    return {
        "benchmark": "codes_picker",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "icd9cm_codes": count,
        "aifa_packs": drug_count,
        "keystrokes": len(texts),
        "rounds": rounds,
        "target_ms": TARGET_MS,
        "first_search_ms": round(first_ms, 1),
        "first_drug_search_ms": round(first_drug_ms, 1),
        "service": _stats(service),
        "dialog": _stats(dialog),
        "drugs": _stats(drugs),
    }


def _machine() -> dict[str, Any]:
    from benchmarks.report import machine

    return machine()


def report_table(result: dict[str, Any]) -> str:
    """The figures of ``measure`` as a small table."""
    lines = [
        f"ICD-9-CM picker, {result['icd9cm_codes']:,} codes; {result['keystrokes']} keystrokes "
        f"x {result['rounds']} rounds (target {result['target_ms']:.0f} ms per keystroke)",
        f"  first search (index built): {result['first_search_ms']:.1f} ms; "
        f"medicines ({result['aifa_packs']:,} packs): {result['first_drug_search_ms']:.1f} ms",
        f"  {'series':<10}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}  verdict",
    ]
    for name in ("service", "dialog", "drugs"):
        stats = result[name]
        verdict = "ok" if stats["p95_ms"] <= result["target_ms"] else "MISSED"
        lines.append(f"  {name:<10}{stats['median_ms']:>11.3f}{stats['p95_ms']:>9.3f}"
                     f"{stats['max_ms']:>9.3f}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print; 0 whatever the numbers are."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.codes_picker",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="times each sequence is typed")
    parser.add_argument("--small", action="store_true", help="CI size: one round")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("MEDIRETE_SCRYPT_LOG_N", "14")  # unlock cost only
    workdir = Path(tempfile.mkdtemp(prefix="medirete-bench-codes-"))
    try:
        result = measure(1 if args.small else args.rounds, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(report_table(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
