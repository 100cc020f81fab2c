"""Pairing from the desktop: the admin invites a workstation, a new one joins the center.

The same functions as ``medirete-admin sync invite`` and ``sync join``
(app/sync/pairing.py), run on a worker. The admin's dialog writes the sealed invitation
to a file and shows its one-time code and the center CA's fingerprint; the new
workstation's dialog (from the first-run page) opens the file with the code, shows the
center's name and the fingerprint for the person to compare with the admin's screen,
and only then makes the replica, unlocked by a user of the center with the same
password as there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from app.core.errors import InvalidInput, MedireteError
from app.core.files import open_private
from app.core.i18n import _
from app.core.paths import user_data_dir
from app.records.storage.keys import write_atomically
from app.sync.node import parse_address
from app.sync.pairing import OpenedInvitation, invite, join, open_bundle
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QFontDatabase,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

INVITATION_SUFFIX = ".medirete-invito"


@dataclass(frozen=True)
class InvitationMade:
    """What the admin reads and passes on."""

    code: str
    center_name: str
    ca_fingerprint: str
    workstation: str
    role: str
    path: Path


@dataclass(frozen=True)
class MakeInvitation:
    """Seal an invitation for a new workstation and write it to ``out`` (the admin's)."""

    password: str = field(repr=False)
    workstation: str | None
    role: str
    addresses: tuple[str, ...]
    out: Path
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> InvitationMade:
        invitation = invite(backend.require(), self.password, workstation=self.workstation,
                            role=self.role, addresses=self.addresses)
        try:
            open_private(self.out).close()
            write_atomically(self.out, invitation.blob)
        except OSError as error:
            raise InvalidInput(detail=f"{self.out}: {error.strerror}") from None
        return InvitationMade(invitation.code, invitation.center_name,
                              invitation.ca_fingerprint, invitation.workstation,
                              invitation.role, self.out)


@dataclass(frozen=True)
class OpenInvitation:
    """Open an invitation file with its one-time code (nothing written yet)."""

    path: Path
    code: str = field(repr=False)
    lane: ClassVar[Lane] = Lane.JOB

    def __call__(self, _backend: Backend) -> OpenedInvitation:
        try:
            blob = self.path.read_bytes()
        except OSError as error:
            raise InvalidInput(detail=f"{self.path}: {error.strerror}") from None
        return open_bundle(blob, self.code)


@dataclass(frozen=True)
class JoinCenter:
    """Make this workstation's replica from an opened invitation."""

    root: Path
    opened: OpenedInvitation = field(repr=False)
    username: str
    password: str = field(repr=False)
    lane: ClassVar[Lane] = Lane.JOB

    def __call__(self, _backend: Backend) -> Path:
        join(self.root, self.opened, self.username, self.password)
        return self.root


def role_words(role: str) -> str:
    """A workstation's role in words."""
    return {"full": _("full (doctors and nurses)"),
            "front-desk": _("front desk (no clinical data)")}.get(role, role)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("pairingError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def _accept_or_cancel(label: str, accept: Callable[[], object], cancel: Callable[[], object],
                      ) -> tuple[QDialogButtonBox, QPushButton]:
    """A page's buttons: one that does the step, and Cancel."""
    buttons = QDialogButtonBox()
    button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(cancel)
    return buttons, button


def _big(text: str = "", *, mono: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = (QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if mono
            else QFont(label.font()))
    font.setPointSizeF(label.font().pointSizeF() * scale)
    if scale > 1:
        font.setBold(True)
    label.setFont(font)
    return label


class _FileField(QWidget):
    """A path with a button that asks for one."""

    def __init__(self, ask: str, *, save: bool, default: Path | None = None) -> None:
        super().__init__()
        self.edit = QLineEdit(str(default) if default else "")
        self.button = QPushButton(_("Choose..."))
        self._ask, self._save = ask, save
        self.button.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _choose(self) -> None:
        pick = QFileDialog.getSaveFileName if self._save else QFileDialog.getOpenFileName
        chosen, _filter = pick(self, self._ask, self.edit.text())
        if chosen:
            self.edit.setText(chosen)

    @property
    def path(self) -> Path | None:
        """The path typed or chosen (None when empty)."""
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None


class InviteDialog(QDialog):
    """The admin: a new workstation's invitation, then its code and the CA fingerprint."""

    made = Signal(object)  # InvitationMade

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inviteDialog")
        self.setWindowTitle(_("Invite a workstation"))
        self._executor = executor
        self.pages = QStackedWidget()
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(560)

    def _form_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(_("A new workstation of the center gets its certificate from this "
                         "invitation. The password is the one of the admin who keeps the "
                         "center's certificate authority."))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("automatic (postazione-N)"))
        self.role = QComboBox()
        for role in ("full", "front-desk"):
            self.role.addItem(role_words(role), role)
        self.address = QLineEdit()
        self.address.setPlaceholderText(_("e.g. 192.168.1.10:47400 (optional)"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.out = _FileField(_("Save the invitation as"), save=True,
                              default=Path.home() / f"postazione{INVITATION_SUFFIX}")
        form = QFormLayout()
        form.addRow(_("New workstation's name"), self.name)
        form.addRow(_("Kind of workstation"), self.role)
        form.addRow(_("Where it finds this one"), self.address)
        form.addRow(_("Admin password"), self.password)
        form.addRow(_("Invitation file"), self.out)
        self.error = _error_label()
        buttons, self.create_button = _accept_or_cancel(
            _("Create the invitation"), self.make_invitation, self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.code = _big(mono=True, scale=2.0)
        self.code.setObjectName("invitationCode")
        self.fingerprint = _big(mono=True)
        self.fingerprint.setObjectName("caFingerprint")
        steps = QLabel(_("On the new workstation: choose \"Join a center by pairing\", open "
                         "the invitation file, type the one-time code, and check that it "
                         "shows the same fingerprint before joining."))
        steps.setWordWrap(True)
        done = QDialogButtonBox()
        done.addButton(_("Close"), QDialogButtonBox.ButtonRole.AcceptRole)
        done.accepted.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(_("One-time code:")))
        layout.addWidget(self.code)
        layout.addWidget(QLabel(_("Fingerprint of the center's certificate authority:")))
        layout.addWidget(self.fingerprint)
        layout.addWidget(steps)
        layout.addStretch(1)
        layout.addWidget(done)
        return page

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.create_button.setEnabled(True)

    def make_invitation(self) -> None:
        """Check the form, then seal the invitation on the writer."""
        addresses: tuple[str, ...] = ()
        text = self.address.text().strip()
        if text:
            try:
                host, port = parse_address(text)
            except ValueError:
                self._fail(_("Not an address with a port (HOST:PORT): {value}").format(
                    value=text))
                return
            addresses = (f"{host}:{port}",)
        out = self.out.path
        if out is None:
            self._fail(_("Choose where to save the invitation file."))
            return
        if not self.password.text():
            self._fail(_("Type the admin password."))
            return
        self.error.hide()
        self.create_button.setEnabled(False)
        self._executor.run(
            MakeInvitation(self.password.text(), self.name.text().strip() or None,
                           str(self.role.currentData()), addresses, out),
            self._made, self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, MedireteError):
            self._fail(exc.user_message())
        else:
            self.create_button.setEnabled(True)
            self._executor.report_error(exc)

    def _made(self, made: InvitationMade) -> None:
        self.password.clear()
        self.summary.setText(_("Invitation for {name}, {role}, of {center}, saved in {path}.")
                             .format(name=made.workstation, role=role_words(made.role),
                                     center=made.center_name, path=made.path))
        self.code.setText(made.code)
        self.fingerprint.setText(made.ca_fingerprint)
        self.pages.setCurrentIndex(1)
        self.made.emit(made)


class JoinDialog(QDialog):
    """A new workstation: open the invitation, compare the fingerprint, join."""

    joined = Signal(object)  # the new record's folder

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.setWindowTitle(_("Join a center by pairing"))
        self._executor = executor
        self.opened: OpenedInvitation | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._open_page())
        self.pages.addWidget(self._join_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(560)

    def _open_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(_("The center's admin made an invitation for this workstation on "
                         "another one: open its file and type the one-time code shown "
                         "there."))
        intro.setWordWrap(True)
        self.file = _FileField(_("Open an invitation"), save=False)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        form = QFormLayout()
        form.addRow(_("Invitation file"), self.file)
        form.addRow(_("One-time code"), self.code)
        self.open_error = _error_label()
        buttons, self.open_button = _accept_or_cancel(
            _("Open the invitation"), self.open_invitation, self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.open_error)
        layout.addWidget(buttons)
        return page

    def _join_page(self) -> QWidget:
        page = QWidget()
        self.center = _big(scale=1.3)
        self.center.setObjectName("centerName")
        self.fingerprint = _big(mono=True)
        self.fingerprint.setObjectName("caFingerprint")
        compare = QLabel(_("Compare this fingerprint with the one on the screen of the "
                           "workstation that made the invitation: join only if they are the "
                           "same."))
        compare.setWordWrap(True)
        self.becomes = QLabel()
        self.becomes.setWordWrap(True)
        self.folder = _FileField(_("Folder of this workstation's record"), save=True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("Record folder"), self.folder)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        self.join_error = _error_label()
        buttons, self.join_button = _accept_or_cancel(
            _("Same fingerprint: join the center"), self.join, self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Center:")))
        layout.addWidget(self.center)
        layout.addWidget(QLabel(_("Fingerprint of the center's certificate authority:")))
        layout.addWidget(self.fingerprint)
        layout.addWidget(compare)
        layout.addWidget(self.becomes)
        layout.addLayout(form)
        layout.addWidget(self.join_error)
        layout.addWidget(buttons)
        return page

    @staticmethod
    def _show_error(label: QLabel, exc: BaseException, executor: RunsOperations) -> bool:
        if isinstance(exc, MedireteError):
            label.setText(exc.user_message())
            label.show()
            return True
        executor.report_error(exc)
        return False

    def open_invitation(self) -> None:
        """Open the file with the code (on a worker: the code's key takes a moment)."""
        path = self.file.path
        if path is None or not self.code.text().strip():
            self.open_error.setText(_("Choose the invitation file and type the code."))
            self.open_error.show()
            return
        self.open_error.hide()
        self.open_button.setEnabled(False)
        self._executor.run(OpenInvitation(path, self.code.text().strip()), self._opened,
                           self._not_opened)

    def _not_opened(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self._show_error(self.open_error, exc, self._executor)

    def _opened(self, opened: OpenedInvitation) -> None:
        self.opened = opened
        self.open_button.setEnabled(True)
        self.center.setText(opened.center_name)
        self.fingerprint.setText(opened.ca_fingerprint)
        self.becomes.setText(_("This workstation will be {name}, {role}.").format(
            name=opened.workstation, role=role_words(opened.role)))
        self.folder.edit.setText(str(user_data_dir() / f"centro-{opened.workstation}"))
        self.pages.setCurrentIndex(1)
        self.username.setFocus()

    def join(self) -> None:
        """Make the replica (the password is checked before anything is written)."""
        root = self.folder.path
        if self.opened is None or root is None or not self.username.text().strip():
            self.join_error.setText(_("Choose the folder and type your user name and "
                                      "password."))
            self.join_error.show()
            return
        self.join_error.hide()
        self.join_button.setEnabled(False)
        self._executor.run(JoinCenter(root, self.opened, self.username.text().strip(),
                                      self.password.text()), self._joined, self._not_joined)

    def _not_joined(self, exc: BaseException) -> None:
        self.join_button.setEnabled(True)
        self._show_error(self.join_error, exc, self._executor)

    def _joined(self, root: Path) -> None:
        self.password.clear()
        self.accept()
        self.joined.emit(root)
