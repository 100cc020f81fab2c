"""The sync benchmark still works, at a tiny size: real ``sync serve`` processes over TLS
on 127.0.0.1, a real source center, a replica joined as ``sync join`` makes it.

Nothing here looks at a time (benchmarks never fail the suite on time): the replica ends
with the source's log and content, every figure was measured for every write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import sync


def test_every_sync_figure_is_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIRETE_SCRYPT_LOG_N", "14")  # the serve processes unlock with it
    result = sync.sync_benchmarks(tmp_path, True, entries=500, writes=2)
    first = result["initial"]
    same = {"vectors": True, "digests": True, "kept_unapplied": 0, "conflicts": 0}
    assert first["verified"] == same and first["method"] == "copy"
    by_entries = first["entry_by_entry"]  # a second new workstation, with --no-copy
    assert by_entries["verified"] == same and by_entries["method"] == "entries"
    assert by_entries["entries"] == first["entries"] and by_entries["batches"] > 1
    assert first["entries"] > 300 and first["entries_per_s"] > 0
    assert first["copy_baseline"]["bytes"] == first["files_bytes"] > 0
    visit = result["visit"]
    assert visit["visits"] == 3 and visit["entries_per_visit"] == 4  # encounter + 3 vitals
    assert all(size > 0 for size in visit["bytes_each"])
    fan = result["fanout"]
    assert fan["workstations"] == 5 and len(fan["each_ms"]) == 2
    assert all(len(row) == 4 for row in fan["each_ms"])  # every peer applied every write
    (size,) = result["log_size"]
    assert size["log_entries"] >= first["entries"] and size["domain_rows"] > 0
    assert size["ratio_pages"] > 0
    assert "initial sync of" in sync.report(result)
    assert len(sync.checks(result)) == 4
