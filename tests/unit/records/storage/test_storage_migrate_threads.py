"""Two records created or upgraded at once on two threads of one process (the demo's
second workstation joining while the window creates a record) each get their own
migrations: alembic's ``op`` and ``context`` are global to the process, and before the
lock in ``migrate`` each thread ran steps on the other's file ("no such table")."""

from __future__ import annotations

import threading
from pathlib import Path

from app.records.services import Records
from app.records.storage.center import create_center
from app.records.storage.migrate import head_revision
from tests.conftest import PASSWORD


def test_two_centers_created_at_once_on_two_threads_are_both_whole(tmp_path: Path):
    roots = [tmp_path / f"center-{n}" for n in range(2)]
    start = threading.Barrier(len(roots))
    failures: list[BaseException] = []

    def create(root: Path) -> None:
        try:
            start.wait()
            create_center(root, f"Centro {root.name}", "admin", PASSWORD)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=create, args=(root,)) for root in roots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    for root in roots:
        records = Records.open(root, "admin", PASSWORD)
        try:
            report = records.audit.verify()
            assert report.schema_revision == head_revision() and not report.problems
        finally:
            records.close()
