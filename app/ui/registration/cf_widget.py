"""The codice fiscale field: checked on every keystroke, with a button that computes it."""

from __future__ import annotations

from app.core.i18n import _
from app.records.codice_fiscale import LENGTH, CfCheck
from app.ui.qt import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

OK_COLOUR, ERROR_COLOUR, NEUTRAL_COLOUR = "#2e7d32", "#c62828", "#607d8b"


class CodiceFiscaleField(QWidget):
    """Line edit, "Calcola" button and a one-line verdict (green tick or red reason)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("codiceFiscale")
        self.edit.setMaxLength(LENGTH + 4)  # room to paste one with spaces
        self.edit.setPlaceholderText(_("16 characters, or Calculate"))
        self.edit.textEdited.connect(self._upper)
        self.calculate = QPushButton(_("Calculate"))
        self.calculate.setObjectName("calculateCf")
        self.calculate.setAutoDefault(False)
        self.calculate.setToolTip(_("Compute the codice fiscale from name, sex, birth date "
                                    "and birthplace"))
        self.status = QLabel()
        self.status.setObjectName("cfStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calculate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.result: CfCheck | None = None

    def _upper(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            cursor = self.edit.cursorPosition()
            self.edit.setText(upper)
            self.edit.setCursorPosition(cursor)

    def text(self) -> str:
        """What was typed, spaces removed."""
        return "".join(self.edit.text().split()).upper()

    def show_check(self, result: CfCheck | None) -> None:
        """Show the verdict of a check (None: the field is empty)."""
        self.result = result
        if result is None:
            self._say(NEUTRAL_COLOUR, _("Empty: computed from the other fields when saved"))
        elif not result.ok:
            self._say(ERROR_COLOUR, "✗ " + result.message)
        elif result.omocodic:
            self._say(OK_COLOUR, "✓ " + _("Correct codice fiscale (omocodia recognised: "
                                          "{code})").format(code=result.base[:15] + "…"))
        else:
            self._say(OK_COLOUR, "✓ " + _("Correct codice fiscale"))

    def say_error(self, message: str) -> None:
        """A problem that is not the code's own (e.g. it cannot be computed yet)."""
        self._say(ERROR_COLOUR, "✗ " + message)

    def _say(self, colour: str, text: str) -> None:
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(text)
