"""Where an initial sync's time goes: the exchange's calls in one thread, under cProfile.

A new replica of the source pulls ``entries`` entries through the very calls a session
makes (``Replica.vectors``, ``Replica.batch_for`` on the source, the batch framed and read
back by ``app.sync.wire``, ``session._entries`` checking every seal, ``Replica.apply``),
without TLS and the event loop, which the process figures show are not the cost.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.records.log_codec import VERSIONS
from app.records.services import Records
from app.sync import wire
from app.sync.replica import Replica
from app.sync.session import BATCH_ENTRIES, _entries
from benchmarks import build
from benchmarks import sync_center as ws

# Where each function's own time is put (a path fragment of its file).
AREAS = (("sqlcipher3", "SQLite (SQLCipher)"), ("sqlalchemy", "SQLAlchemy"),
         ("app/sync/apply.py", "app/sync/apply.py"), ("app/records/journal.py", "seal check"),
         ("cbor2", "CBOR"), ("json", "JSON"), ("app/sync/", "rest of app/sync"))


def _pull(source: Replica, target: Replica, entries: int) -> int:
    applied = 0
    for stream in target.streams:
        while applied < entries:
            theirs = target.vectors().get(stream, {})
            batch, blobs = source.batch_for(stream, theirs, BATCH_ENTRIES)
            if not batch:
                break
            frame = wire.encode({"type": "batch", "id": 1, "stream": stream, "more": True,
                                 "entries": [e.as_wire(VERSIONS) for e in batch], "blobs": blobs})
            received, got = _entries(wire.decode(frame[4:]))
            applied += target.apply(stream, received, got, ws.SOURCE).applied
    return applied


def _areas(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) summed by area, seconds."""
    out: dict[str, float] = {}
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (path, _line, name), (_cc, _nc, own, _cum, _callers) in raw.items():
        where = path if not path.startswith("~") else name
        area = next((label for fragment, label in AREAS if fragment in where),
                    "other (builtins, stdlib)")
        out[area] = out.get(area, 0.0) + own
    return {k: round(v, 2) for k, v in sorted(out.items(), key=lambda kv: -kv[1])}


def profile_apply(source_root: Path, workdir: Path, entries: int) -> dict[str, Any]:
    """Profile pulling ``entries`` entries into a new replica; prints the top functions."""
    root = workdir / "profiled"
    ws.join(source_root, root, "studio-profiled")
    source = Replica(Records.open(source_root, ws.USER, build.PASSWORD), ws.SOURCE)
    target = Replica(Records.open(root, ws.USER, build.PASSWORD), "studio-profiled")
    statements = [0]

    def counted(*_args: Any) -> None:
        statements[0] += 1

    event.listen(target.db.write_engine, "before_cursor_execute", counted)
    profiler = cProfile.Profile()
    try:
        start = time.perf_counter()
        profiler.enable()
        applied = _pull(source, target, entries)
        profiler.disable()
        seconds = time.perf_counter() - start
    finally:
        event.remove(target.db.write_engine, "before_cursor_execute", counted)
        source.records.close()
        target.records.close()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats("app/sync", 15)
    print(text.getvalue())
    return {"entries": applied, "profiled_s": round(seconds, 2),
            "statements_per_entry": round(statements[0] / max(applied, 1), 2),
            "own_time_s_by_area": _areas(stats)}
