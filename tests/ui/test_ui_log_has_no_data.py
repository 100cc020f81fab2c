"""Hardening item 15: after every kind of error the log file holds no patient data.

Failed on main before this change: the UI logged an unexpected error with its
traceback, whose last line is the exception's message (here a codice fiscale and an
address), into ``medirete.log`` in clear.
"""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.core.errors import InvalidCodiceFiscale
from app.core.logs import setup_logging
from app.records.services import Records
from app.records.services.patients import PatientInput
from app.ui import errors as ui_errors
from tests.conftest import PASSWORD
from tests.ui.test_ui_db_errors import SECRET, disk_full_error

CODICE_FISCALE = "BNCLRA71E52F205T"
ADDRESS = "Via dei Segreti 17, Lodi"


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MEDIRETE_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging("medirete")
    assert path is not None
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    class Box:
        @staticmethod
        def warning(_parent: object, _title: str, text_: str) -> None:
            shown.append(text_)

    class Dialog:
        def __init__(self, report: str, _parent: object = None) -> None:
            shown.append(report)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(ui_errors, "QMessageBox", Box)
    monkeypatch.setattr(ui_errors, "BugReportDialog", Dialog)
    return shown


def _bug_with_data() -> Exception:
    try:
        try:
            raise KeyError(f"{CODICE_FISCALE} {ADDRESS}")
        except KeyError as inner:
            raise ValueError(f"cannot save {CODICE_FISCALE} at {ADDRESS}") from inner
    except ValueError as exc:
        return exc


def test_no_error_writes_patient_data_to_the_log(qapp, tmp_path, log_file, quiet_dialogs,
                                                 template_center):
    root = tmp_path / "center"
    shutil.copytree(template_center, root)
    gp = Records.open(root, "medico", PASSWORD)
    request = gp  # closed at the end

    gp.patients.register(PatientInput("Bianchi", "Lara", "F", date(1971, 5, 12), "Milano",
                                      codice_fiscale=CODICE_FISCALE))
    provoked: list[BaseException] = []
    # 1. a validation message carrying the codice fiscale the user typed
    provoked.append(InvalidCodiceFiscale(value=CODICE_FISCALE))
    # 2. a real database error whose statement had user data as a parameter
    provoked.append(disk_full_error(tmp_path / "full.db"))
    # 3. a duplicate registration through the service (its message names the code)
    with pytest.raises(Exception) as duplicate:
        gp.patients.register(PatientInput("Bianchi", "Lara", "F", date(1971, 5, 12), "Milano",
                                          codice_fiscale=CODICE_FISCALE))
    provoked.append(duplicate.value)
    # 4. a bug whose messages (and whose cause's) hold a code and an address
    provoked.append(_bug_with_data())
    for exc in provoked:
        ui_errors.show_error(exc)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text("utf-8")
    assert "expected failure" in text and "unexpected error" in text  # all were logged
    assert "ValueError (message not logged)" in text and "KeyError" in text
    for secret in (CODICE_FISCALE, ADDRESS, SECRET, "Via dei Segreti"):
        assert secret not in text
    # The person still sees what went wrong (messages and the report are not the log).
    assert any(CODICE_FISCALE in shown for shown in quiet_dialogs)
    request.close()
