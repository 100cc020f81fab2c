"""What the sync light and panel show, read on a worker as plain dataclasses.

``ReadSyncView`` reads the record's sync facts (Replica.status, the conflicts not
reconciled, the journal, the paired workstations) with the session's own rights: a
secretary's or an admin's session holds no clinical file, so no clinical conflict is
even read, and a conflict about a clinical kind kept in the shared file shows no values
to them. Which peers are online now is the running node's to say (``SyncRunner.online``)
and is passed in, not read from the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from app.core.errors import AccessDenied
from app.core.formats import format_datetime
from app.core.i18n import _, translate
from app.records.demographics import DEMOGRAPHIC_FIELDS
from app.records.kinds import KINDS
from app.records.services import Records
from app.sync.identity import find_identity
from app.sync.log import missing
from app.sync.replica import ConflictLine, Replica
from app.sync.settle import detail_of
from app.ui.lanes import Backend, Lane
from app.ui.registration.labels import field_labels, value_text

CONFLICT_LIMIT = 200
JOURNAL_LIMIT = 200
_KIND_BY_NAME = {kind.name: kind for kind in KINDS}


@dataclass(frozen=True)
class PeerRow:
    """A workstation of the center as this one knows it."""

    name: str
    online: bool
    address: str = ""
    last_seen: datetime | None = None
    last_sync: datetime | None = None
    pending_in: int | None = None  # what it held that this one lacked, at last contact
    pending_out: int | None = None  # what this one held that it lacked, at last contact
    received: int = 0  # moved in the session open now
    sent: int = 0
    revoked: bool = False


@dataclass(frozen=True)
class ConflictRow:
    """A conflict in the reader's words."""

    detected_at: datetime
    kind: str
    what: str  # the kind of data (Patients, Appointments, Problems...)
    patient: str
    detail: str
    # A person may settle it here: (field, value kept, other value) of a patient's
    # demographics both workstations wrote (``app.ui.sync_resolve``); else empty.
    choices: tuple[tuple[str, Any, Any], ...] = ()
    patient_id: str = ""


@dataclass(frozen=True)
class JournalRow:
    """One line of the sync journal."""

    at: datetime
    event: str
    peer: str
    detail: str


@dataclass(frozen=True)
class SyncView:
    """The workstation's sync as the light and the panel show it."""

    paired: bool
    workstation: str = ""
    role: str = ""
    center_name: str = ""
    conflicts: int = 0
    kept: int = 0  # entries kept, not applied yet (a newer program, a missing part)
    forks: int = 0
    clock_ahead: int = 0
    audit_alarms: int = 0
    peers: tuple[PeerRow, ...] = ()
    conflict_rows: tuple[ConflictRow, ...] = ()
    journal: tuple[JournalRow, ...] = ()

    @property
    def online(self) -> int:
        """How many peers have a session open now."""
        return sum(1 for peer in self.peers if peer.online)

    @property
    def attention(self) -> bool:
        """Something waits for a person: conflicts, entries kept, forks, clocks, alarms."""
        return bool(self.conflicts or self.kept or self.forks or self.clock_ahead
                    or self.audit_alarms)


# An open session: (peer, received, sent, to receive, to send); the last two None until
# the node's vectors are read.
Live = tuple[str, int, int, int | None, int | None]


def live_rows(peers: Iterable[Any]) -> tuple[Live, ...]:
    """The running node's peers (``SyncRunner.online``) as the read below takes them."""
    return tuple((p.name, p.received, p.sent, p.pending_in, p.pending_out) for p in peers)


@dataclass(frozen=True)
class ReadSyncView:
    """The sync facts; ``full`` adds the conflicts and the journal (the panel's)."""

    online: tuple[Live, ...] = ()  # the open sessions
    full: bool = False
    clinical: bool = False  # the session sees clinical content (conflict values shown)
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> SyncView:
        records = backend.require()
        with records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        if me is None:
            return SyncView(paired=False)
        replica = Replica(records, me.workstation)
        status = replica.status()
        peers = _peers(records, me.workstation, status.vectors, status.peers, self.online)
        conflicts: tuple[ConflictRow, ...] = ()
        journal: tuple[JournalRow, ...] = ()
        if self.full:
            lines = replica.conflicts(CONFLICT_LIMIT)
            names = _patient_names(records, {c.patient_id for c in lines if c.patient_id})
            conflicts = tuple(conflict_row(c, names, self.clinical) for c in lines)
            journal = tuple(line for line in _journal(replica, JOURNAL_LIMIT)
                            if self.clinical or not _clinical_line(line))
        return SyncView(True, me.workstation, me.role, me.center_name, status.conflicts,
                        status.deferred, sum(len(o) for o in status.forked.values()),
                        len(status.clock_ahead), len(status.audit_alarms), peers, conflicts,
                        journal)


def _journal(replica: Replica, limit: int) -> tuple[JournalRow, ...]:
    """The newest journal lines, newest first."""
    return tuple(JournalRow(line.at, line.event, line.peer, line.detail)
                 for line in replica.journal_lines(limit))


def _clinical_line(line: JournalRow) -> bool:
    """A journal line about a conflict of clinical content (not shown to the front desk)."""
    found = _CONFLICT.match(line.detail) if line.event.startswith("conflict.") else None
    kind = _KIND_BY_NAME.get(found.group(1)) if found is not None else None
    return line.event == "conflict.amendment" or (kind is not None and kind.clinical)


def _when(value: object) -> datetime | None:
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _peers(records: Records, me: str, vectors: dict[str, dict[str, int]],
           facts: dict[str, dict[str, object]],
           online: tuple[Live, ...]) -> tuple[PeerRow, ...]:
    """Every workstation paired or seen, but this one; online ones first. What each side
    lacks: now for a peer online, as at the last contact for one offline."""
    live = {row[0]: row[1:] for row in online}
    revoked = {w.name for w in records.workstations.list() if w.revoked}
    names = ({w.name for w in records.workstations.list()} | set(facts) | set(live)) - {me}
    rows = []
    for name in names:
        known = facts.get(name, {})
        theirs = known.get("vectors")
        received, sent, pending_in, pending_out = live.get(name, (0, 0, None, None))
        if isinstance(theirs, dict) and name not in live:
            pending_out = sum(missing(theirs.get(s, {}), v) for s, v in vectors.items())
            pending_in = sum(missing(v, theirs.get(s, {})) for s, v in vectors.items())
        rows.append(PeerRow(name, name in live, str(known.get("address", "") or ""),
                            _when(known.get("last_seen")), _when(known.get("last_sync")),
                            pending_in, pending_out, received, sent, name in revoked))
    return tuple(sorted(rows, key=lambda r: (not r.online, r.revoked, r.name)))


def _patient_names(records: Records, ids: set[str]) -> dict[str, str]:
    """The patients' names as a list row shows them (not an audited chart opening)."""
    if not ids:
        return {}
    try:
        found = records.patients.summaries(sorted(ids))
    except AccessDenied:
        return {}
    return {p.id: f"{p.surname} {p.given_name}" for p in found}


# -- in words -------------------------------------------------------------------------------
def conflict_kind_label(kind: str) -> str:
    """What happened, in a person's words."""
    return {
        "demographics": _("Demographics changed on two workstations"),
        "record": _("Changed on two workstations"),
        "amendment": _("Two corrections of the same entry"),
        "booking": _("Two bookings at the same time"),
        "duplicate-person": _("The same person registered twice"),
        "unique": _("A value that must be unique is taken"),
    }.get(kind, kind)


def what_label(entity: str) -> str:
    """The kind of data a conflict is about (the chart's section names)."""
    kind = _KIND_BY_NAME.get(entity)
    return translate(kind.label) if kind is not None else entity


def conflict_row(line: ConflictLine, names: dict[str, str], clinical: bool) -> ConflictRow:
    """One conflict for the panel; values hidden from a session without clinical rights
    when the data is clinical."""
    kind = _KIND_BY_NAME.get(line.entity)
    patient = names.get(line.patient_id or "", "")
    if not patient and line.patient_id:
        patient = _("patient {id}").format(id=line.patient_id[-8:])
    if kind is not None and kind.clinical and not clinical:
        detail = _("Details for clinicians only")
    else:
        detail = conflict_detail(line.kind, line.detail, names)
    return ConflictRow(line.detected_at, line.kind, what_label(line.entity), patient, detail,
                       _choices(line), line.patient_id or "")


def _choices(line: ConflictLine) -> tuple[tuple[str, Any, Any], ...]:
    """The fields of a demographics conflict a person may choose between."""
    fields = detail_of(line.detail).get("fields")
    if line.kind != "demographics" or not line.patient_id or not isinstance(fields, dict) \
            or not set(fields) <= set(DEMOGRAPHIC_FIELDS):
        return ()
    return tuple((name, sides.get("kept"), sides.get("other"))
                 for name, sides in sorted(fields.items()) if isinstance(sides, dict))


def conflict_detail(kind: str, detail: str, names: dict[str, str]) -> str:
    """The values each side kept, in words."""
    data = detail_of(detail)
    if kind in ("demographics", "record") and isinstance(data.get("fields"), dict):
        labels = field_labels()
        parts = []
        for name, sides in sorted(data["fields"].items()):
            if isinstance(sides, dict):
                parts.append(_("{field}: kept {kept}, other workstation {other}").format(
                    field=labels.get(name, name), kept=value_text(name, sides.get("kept")),
                    other=value_text(name, sides.get("other"))))
        return "; ".join(parts)
    if kind == "amendment":
        versions = data.get("versions")
        count = len(versions) if isinstance(versions, list) else 2
        return _("{n} corrected versions kept: choose the right one in the chart").format(
            n=count)
    if kind == "booking":
        when = _when(data.get("starts_at"))
        return _("Both appointments kept for {when}: move or cancel one").format(
            when=format_datetime(when) if when else data.get("starts_at", ""))
    if kind == "duplicate-person":
        people = [names.get(p, "") for p in data.get("patients", []) if isinstance(p, str)]
        shown = ", ".join(p for p in people if p)
        return _("Codice fiscale {code} on two patient records ({names}): merge them").format(
            code=data.get("codice_fiscale", ""), names=shown or "—")
    if kind == "unique":
        return _("Kept apart: {error}").format(error=data.get("error", ""))
    return detail


def journal_event_label(event: str) -> str:
    """A journal event's name in words."""
    if event == "conflict.settled":
        return _("Conflict settled")
    if event.startswith("conflict."):
        return _("Conflict: {what}").format(what=conflict_kind_label(event[len("conflict."):]))
    return {
        "batch": _("Changes received"),
        "audit": _("Audit events received"),
        "session.end": _("Session ended"),
        "snapshot": _("Record copied from a peer"),
        "fork": _("Origin stopped (fork)"),
        "clock.ahead": _("Clock ahead"),
        "key-file": _("User keys updated"),
        "key-entry-refused": _("User key refused"),
        "codes.import": _("Code list imported"),
        "codes.older": _("Older code list ignored"),
        "codes.refused": _("Code list refused"),
        "audit.refused": _("Audit event refused"),
        "audit.tail-missing": _("AUDIT TRAIL CUT SHORT"),
    }.get(event, event)


def stream_label(stream: str) -> str:
    """Which log: the shared file's or the clinical file's."""
    return {"record": _("demographics and agenda"), "clinical": _("clinical chart"),
            "audit": _("audit trail")}.get(stream, stream)


_BATCH = re.compile(r"^(\w+): (\d+) applied, (\d+) already held, (\d+) kept, "
                    r"(\d+) kept before now applied, (\d+) conflicts$")
_CONFLICT = re.compile(r"^(\w+) (\S+) \((\S+)/(\d+)\)$")
_SETTLED = re.compile(r"^([\w-]+): (\w+) ([\w-]+)$")  # app.sync.settle
_AUDIT = re.compile(r"^(\d+) audit events kept$")
_AHEAD = re.compile(r"^(\S+): (\d+) s ahead of this workstation$")
_SESSION = re.compile(r"^received (\d+), sent (\d+), conflicts (\d+), kept (\d+)$")
_SNAPSHOT = re.compile(r"^(\d+) entries in ([\d.]+) s \(received in ([\d.]+) s, "
                       r"checked in ([\d.]+) s\)$")  # app.sync.snapshot


def journal_detail(event: str, detail: str) -> str:
    """The journal's detail in words where its shape is known (else as written)."""
    batch = _BATCH.match(detail) if event == "batch" else None
    if batch is not None:
        stream, applied, held, kept, retried, conflicts = batch.groups()
        return _("{stream}: {applied} applied, {held} already here, {kept} kept, "
                 "{retried} kept before now applied, {conflicts} conflicts").format(
            stream=stream_label(stream), applied=applied, held=held, kept=kept,
            retried=retried, conflicts=conflicts)
    settled = _SETTLED.match(detail) if event == "conflict.settled" else None
    if settled is not None:
        kind, entity, entity_id = settled.groups()
        return _("{kind}, {what} {id}: settled by a later change").format(
            kind=conflict_kind_label(kind), what=what_label(entity), id=entity_id[-8:])
    conflict = _CONFLICT.match(detail) if event.startswith("conflict.") else None
    if conflict is not None:
        entity, entity_id, _origin, _seq = conflict.groups()
        return _("{what}, entry {id}").format(what=what_label(entity), id=entity_id[-8:])
    audit = _AUDIT.match(detail) if event == "audit" else None
    if audit is not None:
        return _("{n} audit events kept").format(n=audit.group(1))
    ahead = _AHEAD.match(detail) if event == "clock.ahead" else None
    if ahead is not None:
        return _("origin {origin}: {seconds} s ahead of this workstation").format(
            origin=ahead.group(1), seconds=ahead.group(2))
    session = _SESSION.match(detail) if event == "session.end" else None
    if session is not None:
        received, sent, conflicts, kept = session.groups()
        return _("received {received}, sent {sent}, conflicts {conflicts}, kept {kept}").format(
            received=received, sent=sent, conflicts=conflicts, kept=kept)
    copied = _SNAPSHOT.match(detail) if event == "snapshot" else None
    if copied is not None:
        entries, total, received, checked = copied.groups()
        return _("{entries} entries in {total} s (received in {received} s, checked in "
                 "{checked} s)").format(entries=entries, total=total, received=received,
                                        checked=checked)
    return detail
