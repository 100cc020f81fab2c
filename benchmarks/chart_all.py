"""The GP's chart benchmarks together, for ``benchmarks.run`` (issue 8's targets).

- the heavy chart opened until painted (<= 300 ms), its journal scrolled (frames <= 50 ms),
  a visit signed until the summary shows it (<= 100 ms), on the run's own center;
- HbA1c and BP trends of the heavy chart drawn (<= 100 ms);
- the ICD-9-CM picker, keystroke to results (<= 30 ms).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks import chart_open, chart_trends, codes_picker


def chart_benchmarks(root: Path, heavy_patient_id: str, small: bool,
                     workdir: Path) -> dict[str, Any]:
    """Every chart figure; ``small`` runs each a few times only (CI)."""
    opened = chart_open.measure(root, heavy_patient_id, 5 if small else 20,
                                warmup=1 if small else 2)
    trends = chart_trends.measure(5 if small else 30, warmup=1 if small else 3)
    picker = codes_picker.measure(1 if small else 5, Path(tempfile.mkdtemp(dir=workdir)))
    return {"open": opened, "trends": trends, "picker": picker}


def chart_report(result: dict[str, Any]) -> str:
    """The three reports one after the other."""
    return "\n\n".join(("The GP's chart", chart_open.report(result["open"]),
                        chart_trends.report(result["trends"]),
                        codes_picker.report_table(result["picker"])))
