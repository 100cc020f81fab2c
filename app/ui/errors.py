"""Showing failures: expected ones as a message, bugs with a report the GP can copy."""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import sys
import traceback
from collections.abc import Callable

from app.core.errors import MedireteError
from app.core.i18n import _
from app.core.logs import log_safe_traceback
from app.records.storage.sqlerrors import classify, describe_for_log
from app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)


def bug_report(exc: BaseException) -> str:
    """The text a GP pastes into a support request: versions and the traceback."""
    try:
        version = importlib.metadata.version("medirete")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    lines = [
        f"Medirete {version} on Python {sys.version.split()[0]}, {platform.platform()}",
        "",
        *traceback.format_exception(exc),
    ]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class BugReportDialog(QDialog):
    """"Unexpected error": a plain apology, the details folded away, a copy button."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_("Unexpected error - Medirete"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(_(
            "Something went wrong that Medirete did not expect. Your data is safe: "
            "nothing was half-saved. Please copy the report and send it to your "
            "technical support."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy report"))
        self.details_button = QPushButton(_("Show details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_report)
        self.details_button.clicked.connect(self._toggle_details)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(_("Copied"))

    def _toggle_details(self) -> None:
        self.details.setVisible(not self.details.isVisible())
        self.adjustSize()


def expected_failure(exc: BaseException) -> MedireteError | None:
    """The failure a person can act on that ``exc`` stands for, or None for a bug."""
    if isinstance(exc, MedireteError):
        return exc
    # Busy, disk full, read-only, damaged: classified by SQLite result code in records.
    return classify(exc)


def show_in_form(exc: BaseException, message: QLabel,
                 report: Callable[[BaseException], None]) -> None:
    """A form's failure: an expected one in the form's own message line (the user retries
    there, e.g. a wrong password), anything else to ``report`` (the bug report)."""
    known = expected_failure(exc)
    if known is None:
        report(exc)
        return
    message.setText(known.user_message())
    message.show()


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    """An expected failure shows its message; anything else is a bug with a report option."""
    parent = parent or QApplication.activeWindow()
    known = expected_failure(exc)
    if known is not None:
        # Class, msgid and SQLite code only: a DBAPIError's text holds SQL parameters.
        log.info("expected failure: %s", describe_for_log(exc))
        QMessageBox.warning(parent, _("Medirete"), known.user_message())
        return
    log.error("unexpected error:\n%s", log_safe_traceback(exc))
    BugReportDialog(bug_report(exc), parent).exec()
