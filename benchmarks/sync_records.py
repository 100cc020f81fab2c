"""What the sync benchmark reads and writes in the records: log counts, a visit signed
as the desktop signs it, and whether two replicas hold the same content."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.core.clock import utc_now
from app.records.services import Records
from app.records.services.visits import VITAL_BY_KEY, VisitDraft
from app.records.synthetic import soap
from app.sync.replica import Replica
from benchmarks import build

USER = "medico"


def _open(root: Path) -> Replica:
    return Replica(Records.open(root, USER, build.PASSWORD))


def log_entries(root: Path) -> int:
    """Change-log entries the record holds, both logs."""
    replica = _open(root)
    try:
        return sum(sum(v.values()) for v in replica.vectors().values())
    finally:
        replica.records.close()


def same_content(a: Path, b: Path) -> dict[str, bool | int]:
    """Both records hold the same log (vectors) and the same content (digests of both
    files), with nothing kept unapplied and no conflict at the second."""
    first, second = _open(a), _open(b)
    try:
        status = second.status()
        return {"vectors": first.vectors() == status.vectors,
                "digests": first.digests() == second.digests(),
                "kept_unapplied": status.deferred, "conflicts": status.conflicts}
    finally:
        first.records.close()
        second.records.close()


@dataclass(frozen=True)
class Written:
    """One signed visit: when its transaction had committed, how many entries it logged."""

    committed_ns: int
    entries: int


class Writer:
    """The GP signing visits on one record, as the desktop's visit editor does."""

    def __init__(self, root: Path, seed: int = build.SEED) -> None:
        self.replica = _open(root)
        self.records = self.replica.records
        self.rng = random.Random(seed)
        with self.records.db.read_engine.connect() as conn:
            self.patients = [str(r[0]) for r in conn.exec_driver_sql(
                "SELECT id FROM patient ORDER BY id")]

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.records.close()

    def visit(self) -> Written:
        """Sign one ambulatory visit with blood pressure and pulse."""
        rng = self.rng
        vitals = {"systolic": float(rng.randint(105, 165)),
                  "diastolic": float(rng.randint(60, 95)), "pulse": float(rng.randint(55, 95))}
        shown = {VITAL_BY_KEY[k].display: v for k, v in vitals.items()}
        draft = VisitDraft(
            rng.choice(self.patients), utc_now().replace(microsecond=0) - timedelta(minutes=20),
            "ambulatory", subjective=soap.subjective(rng, []), objective=soap.objective(shown, []),
            assessment="Quadro clinico stabile.",
            plan=soap.plan(rng, [], [], False, on_therapy=True), vitals=tuple(vitals.items()))
        before = self._logged()
        self.records.visits.sign(draft)
        committed = time.monotonic_ns()
        return Written(committed, self._logged() - before)

    def _logged(self) -> int:
        """Entries this workstation wrote to its logs (the local mark ends with the last
        audit event, which is not a log entry and not counted in 'applied')."""
        return sum(self.replica.local_mark()[:-1])
