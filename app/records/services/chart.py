"""Reading a patient's chart: current versions, history, documents; every read audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from app.core.errors import NotFound
from app.records import kinds
from app.records.model import Esenzione, Patient
from app.records.services import entries
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote, Service
from app.records.services.chart_read import chart_changes, chart_views
from app.records.services.patients import _SUMMARY_COLUMNS, _summary
from app.records.services.views import Chart, EntryView, PatientSummary


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _patient(conn: Connection, patient_id: str) -> PatientSummary:
    row = conn.execute(select(*_SUMMARY_COLUMNS).where(Patient.id == patient_id)).first()
    if row is None:
        raise NotFound(what=f"patient {patient_id}")
    return _summary(row)


def _esenzioni(conn: Connection, patient_id: str, user_id: str | None) -> list[EntryView]:
    """A patient's exemptions the user may see (not versioned: read whole each time)."""
    rows = conn.execute(
        select(Esenzione)
        .where(Esenzione.patient_id == patient_id)
        .order_by(Esenzione.valid_from.desc())
    ).all()
    return [
        EntryView("esenzione", e.id, e.id, 1, "signed", "", _midnight(e.valid_from),
                  {"code": e.code, "valid_from": e.valid_from, "valid_to": e.valid_to,
                   "description": e.description},
                  hidden=bool(e.hidden))
        for e in rows
        if not e.hidden or e.author_id == user_id
    ]


class ChartService(Service):
    """The chart as clinicians see it (GP and nurse)."""

    @requires(Permission.READ_CHART)
    def open(self, patient_id: str) -> Chart:
        """Current, visible, valid entries of every kind; the read is audited."""
        user_id = self._actor.user_id
        with self._read() as conn:
            patient = _patient(conn, patient_id)
            by_kind: dict[str, list[EntryView]] = {}
            for kind in kinds.ENTRY_NAMES:
                views = chart_views(conn, kind, patient_id, user_id)
                by_kind[kind] = entries.newest_first(kind, views)
            by_kind["esenzione"] = _esenzioni(conn, patient_id, user_id)
        self._audit(AuditNote("chart.read", "patient", patient_id, patient_id))
        return Chart(patient, by_kind)

    @requires(Permission.READ_CHART)
    def changes_since(self, chart: Chart, changed: Iterable[str], since: datetime) -> Chart:
        """``chart`` brought up to date after writes to the ``changed`` kinds: only the
        versions recorded from ``since`` on are read (a heavy chart is 8,000 entries) and
        merged by lineage; the read is audited like an open."""
        user_id = self._actor.user_id
        patient_id = chart.patient.id
        merged = dict(chart.entries)
        with self._read() as conn:
            patient = _patient(conn, patient_id)
            for kind in sorted(set(changed)):
                if kind == "esenzione":
                    merged[kind] = _esenzioni(conn, patient_id, user_id)
                    continue
                fresh, gone = chart_changes(conn, kinds.entry_kind(kind).name, patient_id,
                                            user_id, since)
                if not fresh and not gone:
                    continue
                replaced = gone | {v.lineage_id for v in fresh}
                kept = [v for v in merged.get(kind, []) if v.lineage_id not in replaced]
                merged[kind] = entries.newest_first(kind, kept + fresh)
        self._audit(AuditNote("chart.read", "patient", patient_id, patient_id))
        return Chart(patient, merged)


    @requires(Permission.READ_CHART)
    def history(self, kind: str, lineage_id: str) -> list[EntryView]:
        """Every version of one entry, oldest first (corrections and their reasons)."""
        table = entries.table_of(kind)
        columns = [c for c in table.columns if c.key not in entries.BLOB_COLUMNS]
        with self._read() as conn:
            rows = list(
                conn.execute(
                    select(*columns)
                    .where(table.c.lineage_id == lineage_id)
                    .order_by(table.c.version)
                ).mappings()
            )
        if not rows or not entries.visible_to(rows[-1], self._actor.user_id):
            raise NotFound(what=f"{kind} {lineage_id}")
        self._audit(AuditNote("chart.history", kind, lineage_id, rows[0]["patient_id"]))
        return [entries.to_view(kind, row) for row in rows]

    @requires(Permission.READ_CHART)
    def document_content(self, kind: str, entry_id: str) -> bytes:
        """The bytes of a document or device recording (audited)."""
        if kind not in ("document", "device_recording"):
            raise NotFound(what=f"{kind} content")
        with self._read() as conn:
            row = entries.load_version(conn, kind, entry_id)
            # Oscuramento follows the newest version: an older id must not leak the bytes.
            latest = entries.latest_version(conn, kind, row["lineage_id"])
        if not entries.visible_to(row, self._actor.user_id) or not entries.visible_to(
            latest, self._actor.user_id
        ):
            raise NotFound(what=f"{kind} {entry_id}")
        self._audit(AuditNote("document.read", kind, entry_id, row["patient_id"]))
        return bytes(row["content"])
