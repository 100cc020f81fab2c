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
DEVICES_KEY_PREFIX = "devices:"  # + the workstation's name
MAX_WORKSTATION = 52  # the key is at most 60 characters
MAX_DEVICE_TEXT = 64 * 1024


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

    @requires(Permission.OWN_ACCOUNT)  # every role: the devices run whoever is logged in
    def device_config(self, workstation: str) -> str | None:
        """The stored device list of a workstation (JSON text; parsed by app.devices)."""
        key = DEVICES_KEY_PREFIX + workstation
        with self._read() as conn:
            return conn.execute(
                select(CenterSetting.value).where(CenterSetting.key == key)
            ).scalar_one_or_none()

    @requires(Permission.MANAGE_USERS)
    def set_device_config(self, workstation: str, text: str) -> None:
        """Store a workstation's device list (checked by the caller); audited, logged."""
        if not workstation.strip() or len(workstation) > MAX_WORKSTATION:
            raise InvalidInput(detail="a workstation name is 1 to 52 characters")
        if len(text) > MAX_DEVICE_TEXT:
            raise InvalidInput(detail="the device list is too long")
        key = DEVICES_KEY_PREFIX + workstation
        row = {"key": key, "value": text, "updated_at": utc_now(),
               "updated_by": self._actor.username}
        with self._writing() as batch:
            exists = batch.conn.execute(
                select(CenterSetting.key).where(CenterSetting.key == key)).first()
            if exists is None:
                batch.conn.execute(insert(CenterSetting).values(**row))
            else:
                batch.conn.execute(update(CenterSetting)
                                   .where(CenterSetting.key == key).values(**row))
            batch.record("center_setting", key, "update" if exists else "create", row,
                         patient_id=None, action="center_setting.devices", detail=workstation)
