"""The first-run page: create a center, open one, try the demo, or join one by pairing."""

from __future__ import annotations

from pathlib import Path

from app.core.i18n import _
from app.ui.qt import (
    QFileDialog,
    QFont,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

CREATE_COMMAND = "medirete-admin center init DIR --name NAME --admin USER"


class FirstRunPage(QWidget):
    """Shown when this workstation has no center yet."""

    center_chosen = Signal(object)  # Path
    demo_requested = Signal()
    pair_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.join_dialog: QWidget | None = None  # the pairing dialog, once asked for
        self.setWindowTitle(_("Medirete - Welcome"))
        title = QLabel(_("Welcome to Medirete"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(_("This workstation is not linked to a center yet."))
        intro.setWordWrap(True)
        intro.setMinimumWidth(480)  # word-wrapped labels need a width to wrap against

        self.create_button = QPushButton(_("Create a center"))
        self.create_help = QLabel(
            _("For now the center administrator creates a center from a terminal with "
              "the command below; a guided setup will come in a later version. Then "
              "open its folder here.")
            + f"<br><code>{CREATE_COMMAND}</code>"
        )
        self.create_help.setWordWrap(True)
        self.create_help.setMinimumWidth(480)
        self.create_help.setTextFormat(Qt.TextFormat.RichText)
        self.create_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_help.hide()
        self.create_button.clicked.connect(self.create_help.show)

        self.open_button = QPushButton(_("Open a center folder..."))
        self.open_button.clicked.connect(self._choose_folder)
        self.demo_button = QPushButton(_("Try the demo center (synthetic patients)"))
        self.demo_button.clicked.connect(self.demo_requested)
        self.pair_button = QPushButton(_("Join a center by pairing"))
        self.pair_button.clicked.connect(self.pair_requested)
        pair_note = QLabel(_("With an invitation made by the center's admin on another "
                             "workstation."))
        pair_note.setWordWrap(True)
        pair_note.setStyleSheet("color: palette(placeholder-text);")

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        for widget in (title, intro, self.create_button, self.create_help, self.open_button,
                       self.demo_button, line, self.pair_button, pair_note, self.message):
            layout.addWidget(widget)
        layout.addStretch(1)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Open a center folder"))
        if folder:
            self.center_chosen.emit(Path(folder))

    def show_message(self, text: str) -> None:
        """Say why a folder could not be used."""
        self.message.setText(text)
        self.message.show()
