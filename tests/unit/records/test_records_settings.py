"""The center's settings: minutes before a workstation locks (read by all, set by the admin)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import AccessDenied, InvalidInput
from app.records.model import AuditEvent, CenterSetting
from app.records.services.settings import DEFAULT_LOCK_MINUTES


def test_every_role_reads_the_default_until_the_admin_sets_it(open_as):
    for username in ("medico", "infermiere", "segreteria", "admin"):
        assert open_as(username).settings.get_lock_minutes() == DEFAULT_LOCK_MINUTES == 10


def test_the_admin_sets_the_minutes_audited_and_logged(open_as):
    admin = open_as("admin")
    with admin.feed.collect() as collected:
        admin.settings.set_lock_minutes(5)
        admin.settings.set_lock_minutes(30)
    assert collected.changes.kinds == {"center_setting"}
    assert open_as("segreteria").settings.get_lock_minutes() == 30
    with admin.db.read_engine.connect() as conn:
        row = conn.execute(select(CenterSetting)).one()
        actions = conn.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.action == "center_setting.lock_minutes")
            .order_by(AuditEvent.seq)
        ).all()
    assert (row.key, row.value, row.updated_by) == ("lock_minutes", "30", "admin")
    assert [tuple(a) for a in actions] == [("center_setting.lock_minutes", "5"),
                                           ("center_setting.lock_minutes", "30")]


@pytest.mark.parametrize("minutes", [0, -3, 121, 10_000])
def test_minutes_out_of_bounds_are_refused(open_as, minutes):
    admin = open_as("admin")
    with pytest.raises(InvalidInput, match="between 1 and 120"):
        admin.settings.set_lock_minutes(minutes)
    assert admin.settings.get_lock_minutes() == DEFAULT_LOCK_MINUTES


def test_the_bounds_themselves_are_accepted(open_as):
    admin = open_as("admin")
    admin.settings.set_lock_minutes(1)
    assert admin.settings.get_lock_minutes() == 1
    admin.settings.set_lock_minutes(120)
    assert admin.settings.get_lock_minutes() == 120


@pytest.mark.parametrize("username", ["medico", "infermiere", "segreteria"])
def test_only_the_admin_changes_them(open_as, username):
    with pytest.raises(AccessDenied):
        open_as(username).settings.set_lock_minutes(15)
    assert open_as("admin").settings.get_lock_minutes() == DEFAULT_LOCK_MINUTES
