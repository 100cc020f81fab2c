"""``verify``'s checks of a copied record, on two cores (ADR 0029).

A million entries take about a minute of checks in one process, most of it Python
reading and comparing rows: every change-log entry's hash, every signed version against
the entry that sealed it. The two walks share nothing, so the seals are checked in a
second process (started fresh, not forked: this process may hold threads and open
SQLite handles) while this one runs the rest.

The helper must never outlive the check: ``sync serve`` killed mid-check would otherwise
leave it running, holding the copy open and the terminal's output. So it leaves the
output alone (its own goes nowhere), watches its parent and ends the moment the parent
does, and the parent kills it on any way out of the check.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import Engine

from app.records.integrity import (
    check_audit_chain,
    check_change_log,
    check_clinical_file,
    check_pages,
    table_columns,
)
from app.records.kinds import ENTRY_KINDS
from app.records.seals import check_entry_seals
from app.records.storage.engine import Attached, open_engine
from app.records.storage.migrate import current_revision, head_revision

RECORD, CLINICAL = "record.db", "clinical.db"


def _engine(folder: Path, db_key: bytes, clinical_key: bytes) -> Engine:
    return open_engine(folder / RECORD, db_key, writer=False,
                       clinical=Attached(folder / CLINICAL, clinical_key))


def _seals(folder: Path, db_key: bytes, clinical_key: bytes) -> list[str]:
    engine = _engine(folder, db_key, clinical_key)
    try:
        with engine.connect() as conn, conn.begin():
            present = {k.name: set(table_columns(conn, k.name)) for k in ENTRY_KINDS}
            return check_entry_seals(conn, present, split=True)
    finally:
        engine.dispose()


def _rest(folder: Path, db_key: bytes, clinical_key: bytes) -> list[str]:
    engine = _engine(folder, db_key, clinical_key)
    problems: list[str] = []
    try:
        with engine.connect() as conn, conn.begin():
            problems.extend(check_pages(conn))  # as verify checks them, schemas too
            if current_revision(conn) != head_revision():
                problems.append(f"schema {current_revision(conn)}, expected {head_revision()}")
            problems.extend(check_clinical_file(conn))
            problems.extend(check_audit_chain(conn)[1])
            problems.extend(check_change_log(conn))
    finally:
        engine.dispose()
    return problems


def _end_with_parent() -> None:
    """In the helper: no inherited output, and gone as soon as the parent is."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent process has ended, however it ended
        os._exit(1)

    threading.Thread(target=watch, name="copy-check-parent", daemon=True).start()


def _helper(folder: Path, db_key: bytes, clinical_key: bytes, reply: Connection) -> None:
    _end_with_parent()
    try:
        reply.send(("done", _seals(folder, db_key, clinical_key)))
    except Exception as error:  # noqa: BLE001 - told to the parent, which refuses the copy
        reply.send(("failed", f"{type(error).__name__}: {str(error).splitlines()[0]}"))
    finally:
        reply.close()


def check_copy(folder: Path, db_key: bytes, clinical_key: bytes) -> list[str]:
    """What is wrong with the copy in ``folder`` (empty: nothing); raises what opening
    or reading it raises here, and names a failure of the helper as a problem."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, args=(folder, db_key, clinical_key, send),
                             name="medirete-copy-check", daemon=True)
    helper.start()
    send.close()
    try:
        problems = _rest(folder, db_key, clinical_key)
        try:
            outcome, found = receive.recv()
        except EOFError:
            helper.join(5.0)
            return [*problems, f"the seal check ended early (exit code {helper.exitcode})"]
        if outcome != "done":
            return [*problems, f"the seal check failed ({found})"]
        return [*problems, *found]
    finally:
        receive.close()
        if helper.is_alive():
            helper.kill()
        helper.join()
