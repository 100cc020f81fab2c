"""Locking a session: after minutes without input, or on Ctrl+L.

While locked the window shows only the user's name and a password field; the record
stays open, so unlocking resumes exactly where the user was. The password is checked
against the record's key file on a reader thread (scrypt takes about half a second).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from app.core.errors import WrongPassword
from app.core.i18n import _
from app.records.services.settings import MAX_LOCK_MINUTES, MIN_LOCK_MINUTES
from app.ui.errors import show_in_form
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QObject,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.shell_ops import CheckPassword, SetLockMinutes

log = logging.getLogger(__name__)
Clock = Callable[[], float]
CHECK_MS = 5_000  # how often the idle time is looked at (a lock may come 5 s late)
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
})


class InactivityWatch(QObject):
    """Emits ``idle`` after ``minutes`` with no key or mouse input to the application.

    An application-wide event filter notes the time of each input; a timer compares it
    with ``clock`` (injectable: tests advance a fake clock instead of waiting).
    """

    idle = Signal()

    def __init__(self, minutes: int, clock: Clock = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.minutes = minutes
        self.last_input = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self._watching = False

    def start(self) -> None:
        """Count from now."""
        self.last_input = self.clock()
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self.timer.start()

    def stop(self) -> None:
        """No lock while stopped (the session is locked already, or over)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def set_minutes(self, minutes: int) -> None:
        """The center's setting changed."""
        self.minutes = minutes

    def check(self) -> None:
        """Lock when the idle time has reached the limit."""
        if self.clock() - self.last_input >= self.minutes * 60:
            self.stop()
            self.idle.emit()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Every key press or mouse move anywhere in the application counts as activity."""
        if event.type() in INPUT_EVENTS:
            self.last_input = self.clock()
        return False


class LockScreen(QWidget):
    """Only the user's name and a password field; or another user, from the login."""

    unlocked = Signal()
    switch_user_requested = Signal()

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._executor = executor
        self._busy = False
        title = QLabel(_("Session locked"))
        title.setObjectName("lockTitle")
        user = QLabel(session.full_name)
        user.setObjectName("lockUser")
        font = QFont(user.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        user.setFont(font)
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(260)
        self.password.returnPressed.connect(self.unlock)
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.switch_button = QPushButton(_("Switch user"))
        self.switch_button.setObjectName("lockSwitchUser")
        self.switch_button.clicked.connect(self.switch_user_requested)
        self.setLayout(self._layout(title, user))

    def _layout(self, title: QLabel, user: QLabel) -> QVBoxLayout:
        form = QFormLayout()
        form.addRow(_("Password"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        box = QFrame()
        box.setObjectName("lockBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        for widget in (title, user):
            inner.addWidget(widget)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.busy)
        inner.addLayout(buttons)
        outer = QVBoxLayout()
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        return outer

    def reset(self) -> None:
        """Ready for the password (called as the lock starts)."""
        self.password.clear()
        self.message.hide()
        self._set_busy(False)
        self.password.setFocus()

    def unlock(self) -> None:
        """Check the password off the GUI thread."""
        if self._busy:
            return
        if not self.password.text():
            self._show_message(_("Enter your password."))
            return
        self._set_busy(True)
        op = CheckPassword(self.password.text())
        self.password.clear()  # the typed password is kept only inside the operation
        self._executor.run(op, self._on_checked, self._on_failed)

    def _on_checked(self, _none: None) -> None:
        self._set_busy(False)
        self.message.hide()
        self.unlocked.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, WrongPassword):  # the user is known here: only the password
            self._show_message(_("Wrong password: try again, or switch user."))
            return
        show_in_form(exc, self.message, self._executor.report_error)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.password, self.unlock_button, self.switch_button):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)


class LockSettingsDialog(QDialog):
    """The admin sets the minutes of inactivity before a workstation locks."""

    saved = Signal(int)

    def __init__(self, executor: RunsOperations, minutes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.setObjectName("lockSettingsDialog")
        self.setWindowTitle(_("Center settings - Medirete"))
        self.minutes = QSpinBox()
        self.minutes.setObjectName("lockMinutes")
        self.minutes.setRange(MIN_LOCK_MINUTES, MAX_LOCK_MINUTES)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(" " + _("min"))
        form = QFormLayout()
        form.addRow(_("Lock the workstations after (minutes without use)"), self.minutes)
        note = QLabel(_("Applies to each session from its next login."))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        """A write on the writer lane (the records layer checks the bounds and the role)."""
        self.buttons.setEnabled(False)
        self._executor.run(SetLockMinutes(self.minutes.value()), self._on_saved,
                           self._on_failed, initiator=self)

    def _on_saved(self, minutes: int) -> None:
        self.saved.emit(minutes)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._executor.report_error(exc)


class WindowLock:
    """What a lock does to a main window: its content, menus, toolbar, status bar and
    dialogs out of sight, its commands disabled; all back as they were on unlock."""

    def __init__(self, window: QMainWindow, content: QWidget, lock_screen: LockScreen,
                 watch: InactivityWatch, set_commands_locked: Callable[[bool], None]) -> None:
        self._window = window
        self.lock_screen = lock_screen
        # The window's content and the lock screen take turns as its central widget.
        self._screens = QStackedWidget()
        self._screens.addWidget(content)
        self._screens.addWidget(lock_screen)
        window.setCentralWidget(self._screens)
        self._watch = watch
        self._set_commands_locked = set_commands_locked
        self.locked = False
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None

    def lock(self) -> None:
        """Only the user's name and a password field (the record stays open)."""
        if self.locked:
            return
        self.locked = True
        self._watch.stop()
        self._focus = QApplication.focusWidget()
        self._hidden = owned_windows(self._window)
        for window in self._hidden:
            window.hide()
        self._set_commands_locked(True)
        self._screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()
        log.info("session locked")

    def unlock(self) -> None:
        """Everything as it was, the focus too."""
        if not self.locked:
            return
        self.locked = False
        self._screens.setCurrentIndex(0)
        self._set_commands_locked(False)
        for window in self._hidden:
            window.show()
        self._hidden = []
        if self._focus is not None and self._focus.window() is self._window:
            self._focus.setFocus()
        self._watch.start()
        log.info("session unlocked")

    def close_hidden(self) -> None:
        """The session ends while locked: its hidden dialogs go too."""
        for window in self._hidden:
            window.close()
        self._hidden = []


def owned_windows(window: QWidget) -> list[QWidget]:
    """The visible dialogs and windows whose parent chain leads to ``window``."""
    owned = []
    for widget in QApplication.topLevelWidgets():
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            parent = parent.parentWidget()
        if parent is window and widget.isVisible():
            owned.append(widget)
    return owned
