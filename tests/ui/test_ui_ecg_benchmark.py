"""benchmarks/ecg.py still works, at a tiny size (its times are never checked here)."""

from __future__ import annotations

from benchmarks import ecg


def test_the_ecg_benchmark_measures_every_series(qapp):
    imported = ecg.import_series(2)
    assert set(imported) == {"scp_huffman_10s", "dicom_example"}
    assert all(s["n"] == 2 and 0 < s["p50"] <= s["max"] for s in imported.values())
    painted = ecg.paint_series(1)
    assert painted["cold"]["n"] == painted["warm"]["n"] == 1
    scrolled = ecg.scroll_series(0.5)  # 30 s of strip
    # From the start to the end of the paper, a frame every SCROLL_STEP_PX.
    assert scrolled["frames"]["n"] * ecg.SCROLL_STEP_PX >= scrolled["strip_px"] - ecg.VIEW_SIZE[0]
    # Each of the 12 leads' paths and each 2.5 s chunk of the strip built once (the
    # strip's first chunk is lead II's first column: one path for both), no more.
    assert scrolled["paths_built"] == 12 + 12 - 1
    result = {"import": imported, "paint": painted, "scroll": scrolled}
    text = ecg.table(result)
    assert "scroll 0.5 min, per frame" in text and "paint the 12-lead view" in text
