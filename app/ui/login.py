"""The login window: user name and password; the unlock runs on the records worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import _, language
from app.ui.errors import show_in_form
from app.ui.operations import Login, SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QCloseEvent,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


@dataclass(frozen=True)
class DemoHint:
    """Shown on the login of the synthetic demo center, where the passwords are public."""

    users: tuple[str, ...]
    password: str


class LoginWindow(QWidget):
    """Ask for user name and password; emit ``logged_in`` with the session."""

    logged_in = Signal(object)  # SessionInfo
    language_requested = Signal(str)

    def __init__(self, executor: RunsOperations, center: Path, demo: DemoHint | None = None,
                 username: str = "", note: str = "") -> None:
        super().__init__()
        self._executor = executor
        self._center = center
        self._busy = False
        self.setObjectName("loginWindow")
        self.setWindowTitle(_("Medirete - Log in"))

        self.username = QLineEdit(username)
        self.username.setMinimumWidth(260)
        self.username.setPlaceholderText(_("e.g. mrossi"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: the unlock takes about half a second
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()

        self.submit = QPushButton(_("Log in"))
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._log_in)
        self.username.returnPressed.connect(self._log_in)
        self.password.returnPressed.connect(self._log_in)
        self.note = QLabel(note)
        self.note.setObjectName("loginNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))

        layout = QVBoxLayout(self)
        # The window follows its content (the error line, the demo box): never squeezed.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(self._heading())
        if demo is not None:
            layout.addWidget(self._demo_box(demo))
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addLayout(self._buttons())
        (self.password if username else self.username).setFocus()

    def _buttons(self) -> QHBoxLayout:
        # Each language offered in its own words, so a reader of the other finds it.
        other = "en" if language() == "it" else "it"
        self.language_button = QPushButton({"en": "English", "it": "Italiano"}[other])
        self.language_button.setObjectName("loginLanguage")
        self.language_button.setFlat(True)
        self.language_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.language_button.setStyleSheet(
            "QPushButton#loginLanguage { color: palette(link); text-decoration: underline;"
            " border: none; padding: 2px 0; }")
        self.language_button.setAutoDefault(False)
        self.language_button.clicked.connect(lambda: self.language_requested.emit(other))
        buttons = QHBoxLayout()
        buttons.addWidget(self.language_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        return buttons

    def _heading(self) -> QWidget:
        title = QLabel(_("Medirete"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        where = QLabel(_("Center: {path}").format(path=str(self._center)))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(placeholder-text);")
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(title)
        inner.addWidget(where)
        return box

    @staticmethod
    def _demo_box(demo: DemoHint) -> QFrame:
        box = QFrame()
        box.setObjectName("demoHint")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("#demoHint { background: #fff8e1; border: 1px solid #f0c36d; }")
        text = QLabel(
            _("Demo center with synthetic patients (no real data).")
            + "\n"
            + _("Users: {users}").format(users=", ".join(demo.users))
            + "\n"
            + _("Password: {password}").format(password=demo.password)
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner = QVBoxLayout(box)
        inner.addWidget(text)
        return box

    def _log_in(self) -> None:
        username = self.username.text().strip()
        if not username:
            self._show_message(_("Enter your user name."))
            self.username.setFocus()
            return
        if self._busy:
            return
        self._set_busy(True)
        op = Login(self._center, username, self.password.text())
        self._executor.run(op, self._on_logged_in, self._on_failed)

    def _on_logged_in(self, session: SessionInfo) -> None:
        self._set_busy(False)
        self.password.clear()
        self.message.hide()
        self.logged_in.emit(session)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        show_in_form(exc, self.message, self._executor.report_error)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.username, self.password, self.submit):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        self.submit.setText(_("Opening...") if busy else _("Log in"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Esc closes the login (the line edits pass it up to the window)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Drop the typed password when the window goes away."""
        self.password.clear()
        super().closeEvent(event)
