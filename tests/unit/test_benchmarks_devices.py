"""The device benchmarks still work, at a tiny size: real pty, real processes, real center.

Nothing here looks at a time (benchmarks never fail the suite on time): each test
checks that every message and file the benchmark sent ended up in the inbox, matched to
the right patient, and that each figure was measured for every message.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from app.records.services import Records
from benchmarks import build, devices_astm, devices_gdt
from benchmarks.devices_common import build_center

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs ptys")

PATIENTS = 40


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_center(tmp_path_factory.mktemp("devices") / "center", PATIENTS)


def pending_by_patient(root: Path) -> Counter[str]:
    records = Records.open(root, "medico", build.PASSWORD)
    try:
        return Counter(item.codice_fiscale or "-" for item in records.inbox.items("pending"))
    finally:
        records.close()


def test_astm_messages_reach_the_inbox_on_every_path(center: Path, tmp_path: Path,
                                                     qapp: object) -> None:
    before = pending_by_patient(center)
    result = devices_astm.measure(center, tmp_path, 2, gap=0.05)
    for path in ("direct", "lane"):
        figures = result[path]
        assert figures["visible"] == 2  # the separate reader saw all 20 results of each
        for name in ("eot_to_visible_ms", "last_frame_to_visible_ms", "deliver_ms",
                     "session_ms"):
            assert figures[name]["n"] == 2, (path, name)
    assert result["lane"]["in_dialog"] == 2  # listed by the real inbox dialog
    assert result["link_only"]["session_ms"]["n"] == 2
    assert "visible" not in result["link_only"]  # that path stores nothing
    assert result["receive_only"]["receive_ms"]["n"] == 2
    assert result["receive_only"]["sql_statements_per_message"] > 20
    added = pending_by_patient(center) - before
    # direct, lane and receive_only stored 2 messages each, 20 results, matched by code.
    assert sorted(added.values()) == [20] * 6 and "-" not in added
    text = devices_astm.report(result)
    assert "EOT to visible" in text and "records.inbox.receive alone" in text
    assert [c.name for c in devices_astm.checks(result)][0].startswith("ASTM 20 results, eot")


def test_gdt_files_are_imported_by_the_runner_and_one_by_one(center: Path,
                                                            tmp_path: Path) -> None:
    result = devices_gdt.measure(center, tmp_path, 6, poll=0.05, settle=0.0)
    everything = {"messages": 6, "results": 30, "matched": 30}
    assert result["runner"]["inbox"] == everything
    assert result["runner"]["imported_files"] == 6
    assert not (tmp_path / "gdt-results" / "rejected").exists()
    assert result["one_by_one"]["inbox"] == everything
    assert result["one_by_one"]["per_file_ms"]["n"] == 6
    assert result["parse_only"]["files_per_s"] > 0
    assert all(check.met for check in devices_gdt.checks(result))
    assert "GdtFolderRunner" in devices_gdt.report(result)
