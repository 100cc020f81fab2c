"""A known database failure is a message for the GP, never a bug report, and logs no data."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from app.core.errors import DiskFull
from app.records.storage.engine import open_engine
from app.ui import errors as ui_errors

KEY = bytes(range(32))
SECRET = "RSSMRA50C12F205X Mario Rossi"


class Shown:
    """Stands in for the modal boxes: records what would have been shown."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.reports: list[str] = []


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Replace the modal message box and bug dialog (exec() would block the test)."""
    seen = Shown()

    class Box:
        @staticmethod
        def warning(_parent: object, _title: str, text_: str) -> None:
            seen.warnings.append(text_)

    class Dialog:
        def __init__(self, report: str, _parent: object = None) -> None:
            seen.reports.append(report)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(ui_errors, "QMessageBox", Box)
    monkeypatch.setattr(ui_errors, "BugReportDialog", Dialog)
    return seen


def disk_full_error(path: Path) -> DBAPIError:
    """A real SQLITE_FULL whose statement carries user data as a parameter."""
    engine = open_engine(path, KEY)

    @event.listens_for(engine, "connect")
    def limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA max_page_count = 4")

    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x TEXT)"))
        with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": SECRET + "." * 40_000})
    finally:
        engine.dispose()
    assert SECRET not in str(caught.value)  # the engine hides SQL parameters
    return caught.value


def test_a_full_disk_is_a_message_not_a_bug(qapp, tmp_path, shown, caplog):
    error = disk_full_error(tmp_path / "record.db")
    with caplog.at_level(logging.INFO, logger=ui_errors.__name__):
        ui_errors.show_error(error)
    assert shown.warnings == [DiskFull().user_message()]
    assert shown.reports == []
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "SQLITE_FULL (13)" in logged
    assert SECRET not in logged and "[SQL:" not in logged and not caplog.records[0].exc_info


def test_an_unknown_database_error_is_still_a_bug(qapp, tmp_path, shown):
    engine = open_engine(tmp_path / "record.db", KEY)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
            conn.execute(text("SELEC 1"))
    finally:
        engine.dispose()
    ui_errors.show_error(caught.value)
    assert shown.warnings == []
    assert len(shown.reports) == 1 and "SELEC 1" in shown.reports[0]
