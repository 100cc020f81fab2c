"""Demo centers: synthetic patients, the usual staff, one password for every demo user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

from sqlalchemy import select

from app.core.clock import utc_now
from app.records.agenda_time import local_today, to_local
from app.records.journal import append_audit
from app.records.model import User
from app.records.permissions import CLINICAL_ROLES
from app.records.services import Records
from app.records.storage.center import CenterPaths, create_center
from app.records.storage.engine import checkpoint
from app.records.storage.sqlerrors import translating_db_errors
from app.records.synthetic.agenda import AgendaSpec, write_agenda
from app.records.synthetic.loader import write_center_data

DEMO_PASSWORD = "demo-medirete"
DEMO_CENTER_NAME = "Casa di Comunità Demo (dati sintetici)"
DEMO_STAFF = (
    ("medico", "Dott.ssa Giulia Ferrari", "gp"),
    ("medico2", "Dott. Paolo Conti", "gp"),
    ("infermiere", "Inf. Sara Galli", "nurse"),
    ("segreteria", "Laura Fontana", "secretary"),
)


Progress = Callable[[int, int], None]


def create_demo_center(
    root: Path,
    password: str,
    *,
    patients: int,
    seed: int = 1,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> list[str]:
    """Create a demo center with synthetic patients and its agenda around ``as_of`` (today).

    Every patient has a history that fits age, sex and conditions; the charts hold a few
    small PDFs, and one patient is the documentation's Maggi Emilia (metformin with a
    recent eGFR below 30, see ``synthetic/showcase.py``). Returns the user names.
    """
    today = as_of or local_today()
    create_center(root, DEMO_CENTER_NAME, "admin", password, "Amministratore demo")
    admin = Records.open(root, "admin", password)
    try:
        for username, full_name, role in DEMO_STAFF:
            admin.users.add(username, full_name, role, password)
    finally:
        admin.close()
    # The first GP founds the clinical file and grants its key to the other clinicians,
    # as a real center does (docs/decisions/0011-clinical-key.md).
    records = Records.open(root, DEMO_STAFF[0][0], password)
    try:
        for username, _name, role in DEMO_STAFF[1:]:
            if role in CLINICAL_ROLES:
                records.users.grant_clinical(username)
        with records.db.writing_clinical(), records.db.write_engine.begin() as conn:
            ids = {row.username: row.id for row in conn.execute(select(User.username, User.id))}
            gp_ids = tuple(ids[name] for name, _full, role in DEMO_STAFF if role == "gp")
            nurse_ids = tuple(ids[name] for name, _full, role in DEMO_STAFF if role == "nurse")
            summary = write_center_data(
                conn,
                patients=patients,
                seed=seed,
                gp_ids=list(gp_ids),
                nurse_ids=list(nurse_ids),
                history="full",
                batch_size=50,
                progress=(lambda done: progress(done, patients)) if progress else None,
                as_of=today,
                demo_extras=True,
            )
            desk = next(name for name, _full, role in DEMO_STAFF if role == "secretary")
            agenda = write_agenda(conn, AgendaSpec(gp_ids, nurse_ids, today, seed, desk,
                                                   clock=_demo_clock(as_of)))
            append_audit(
                conn,
                records.actor,
                "demo.generate",
                detail=f"{patients} synthetic patients, seed {seed}, "
                f"{summary.total_rows + agenda.total_rows} rows, agenda around {today}",
            )
        with translating_db_errors(), records.db.writing_clinical():
            checkpoint(records.db.write_engine)  # a full disk is an error, not a silent WAL
    finally:
        records.close()
    return ["admin"] + [username for username, _name, _role in DEMO_STAFF]


def ensure_demo_center(
    root: Path,
    password: str = DEMO_PASSWORD,
    patients: int = 300,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    as_of: date | None = None,
) -> bool:
    """Create the demo center if it does not exist yet; True when it was created."""
    if CenterPaths(root).exists():
        return False
    create_demo_center(root, password, patients=patients, seed=seed, progress=progress,
                       as_of=as_of)
    return True


def _demo_clock(as_of: date | None) -> time:
    """The demo's "now" for today's arrivals: the real time of day, within opening hours,
    when the demo is built for today (a newcomer sees realistic waiting times); the fixed
    10:20 when a day is given (tests and screenshots, reproducible)."""
    if as_of is not None:
        return AgendaSpec.clock
    now = to_local(utc_now()).time().replace(second=0, microsecond=0)
    return min(max(now, time(8, 45)), time(18, 30))

