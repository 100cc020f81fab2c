"""The center's settings chosen by its admin (e.g. minutes of inactivity before a lock)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from app.core.clock import utc_now
from app.core.errors import InvalidInput
from app.records.model import CenterSetting
from app.records.services.access import Permission, requires
from app.records.services.base import Service

LOCK_MINUTES_KEY = "lock_minutes"
DEFAULT_LOCK_MINUTES = 10
MIN_LOCK_MINUTES = 1
MAX_LOCK_MINUTES = 120


def _lock_minutes(stored: str | None) -> int:
    """The stored value, or the default when missing or unreadable (e.g. a peer's typo)."""
    try:
        minutes = int(stored) if stored is not None else DEFAULT_LOCK_MINUTES
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return minutes if MIN_LOCK_MINUTES <= minutes <= MAX_LOCK_MINUTES else DEFAULT_LOCK_MINUTES


class SettingsService(Service):
    """Read by everyone logged in, changed by the admin."""

    @requires(Permission.OWN_ACCOUNT)  # every role holds it: each session needs its lock
    def get_lock_minutes(self) -> int:
        """Minutes without input before a workstation locks (default 10)."""
        with self._read() as conn:
            stored = conn.execute(
                select(CenterSetting.value).where(CenterSetting.key == LOCK_MINUTES_KEY)
            ).scalar_one_or_none()
        return _lock_minutes(stored)

    @requires(Permission.MANAGE_USERS)
    def set_lock_minutes(self, minutes: int) -> None:
        """Change the minutes before a lock (1 to 120); audited and logged for sync."""
        if not MIN_LOCK_MINUTES <= minutes <= MAX_LOCK_MINUTES:
            # A fixed detail, so the message is translated (the bounds are in it).
            raise InvalidInput(detail="the minutes before a lock must be between 1 and 120")
        row = {"key": LOCK_MINUTES_KEY, "value": str(minutes), "updated_at": utc_now(),
               "updated_by": self._actor.username}
        with self._writing() as batch:
            exists = batch.conn.execute(
                select(CenterSetting.key).where(CenterSetting.key == LOCK_MINUTES_KEY)
            ).first()
            if exists is None:
                batch.conn.execute(insert(CenterSetting).values(**row))
                op = "create"
            else:
                batch.conn.execute(update(CenterSetting)
                                   .where(CenterSetting.key == LOCK_MINUTES_KEY).values(**row))
                op = "update"
            batch.record("center_setting", LOCK_MINUTES_KEY, op, row, patient_id=None,
                         action="center_setting.lock_minutes", detail=str(minutes))
