"""What a clinician sees at login about the clinical accounts of the center.

Hardening item 10 and ADR 0011: an admin who creates a clinical account or resets a
GP's password is shown to every GP and nurse at their next login (besides the audit),
and a clinician who holds the clinical key grants it to colleagues waiting for it from
here. A clinician without the key is told that their access awaits a colleague.
"""

from __future__ import annotations

from html import escape

from app.core.formats import format_datetime, role_label
from app.core.i18n import _
from app.records.services.views import AccountNotice, UserView
from app.ui.operations import GrantClinical, SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
    Signal,
)


def needs_notice(session: SessionInfo) -> bool:
    """True when this login has something to tell the clinician."""
    clinician = session.role in ("gp", "nurse")
    return clinician and (bool(session.notices) or bool(session.pending)
                          or not session.clinical_access)


def notice_line(notice: AccountNotice) -> str:
    """One line per admin action, in the user's language."""
    when = format_datetime(notice.at)  # on the center's clock, not the workstation's
    if notice.action == "user.add":
        text = _("{admin} created the clinical account {account} on {when}")
    else:
        text = _("{admin} reset the password of {account} on {when}")
    return text.format(admin=notice.admin, account=notice.account, when=when)


class AccountNoticesDialog(QDialog):
    """Admin actions on clinical accounts, and the colleagues awaiting the clinical key."""

    granted = Signal(tuple)

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.setObjectName("accountNotices")
        self.setWindowTitle(_("Clinical accounts - Medirete"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if not session.clinical_access:
            pending = QLabel(_(
                "Your access to clinical content has not been granted yet: a doctor or "
                "nurse of the center grants it from their session"))
            pending.setObjectName("accessPending")
            pending.setWordWrap(True)
            pending.setStyleSheet("QLabel { background: #fff3cd; padding: 8px; }")
            layout.addWidget(pending)
        if session.notices:
            layout.addWidget(QLabel("<b>" + escape(_(
                "Since your last login the administrator changed these clinical accounts:"),
                quote=False) + "</b>"))
            for notice in session.notices:
                line = QLabel("• " + escape(notice_line(notice), quote=False))
                line.setWordWrap(True)
                layout.addWidget(line)
            layout.addWidget(QLabel(_(
                "If you do not know of these changes, tell the center's coordinator.")))
        self.checks: dict[str, QCheckBox] = {}
        if session.pending:
            layout.addWidget(QLabel("<b>" + escape(_(
                "These colleagues are waiting for access to clinical content:"),
                quote=False) + "</b>"))
            for user in session.pending:
                self.checks[user.username] = self._check(user)
                layout.addWidget(self.checks[user.username])
        buttons = QDialogButtonBox()
        if self.checks:
            self.grant_button = buttons.addButton(
                _("Grant access to the selected"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.grant_button.clicked.connect(self.grant)
        close = buttons.addButton(_("Not now") if self.checks else _("Close"),
                                  QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)

    def _check(self, user: UserView) -> QCheckBox:
        role = role_label(user.role)
        check = QCheckBox(f"{user.full_name} ({user.username}, {role})")
        check.setObjectName(f"grant_{user.username}")
        return check  # unchecked: granting is a decision, never a default

    def selected(self) -> tuple[str, ...]:
        """The colleagues ticked for a grant."""
        return tuple(name for name, check in self.checks.items() if check.isChecked())

    def grant(self) -> None:
        """Seal the clinical key to the ticked colleagues (a write on the writer lane)."""
        chosen = self.selected()
        if not chosen:
            self.reject()
            return
        self.buttons.setEnabled(False)
        self._executor.run(GrantClinical(chosen), self._on_granted, self._on_failed,
                           initiator=self)

    def _on_granted(self, usernames: tuple[str, ...]) -> None:
        self.granted.emit(usernames)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._executor.report_error(exc)
