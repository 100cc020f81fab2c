"""Safety warnings where the GP prescribes: a box above the OK button, never scrolled away.

The warnings are the records layer's (a rules file the center can extend): a drug of a
class the patient is allergic to, one contraindicated by a recent lab value, a duplicate
of a current therapy. They never block: the first OK with warnings not yet seen only
brings the box forward; "Ho visto" (Ctrl+Invio, or Invio on the focused button)
acknowledges them through an operation, and the records layer audits it.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.i18n import _
from app.records.safety import SafetyWarning
from app.ui.chart.therapy_ops import DrugWarnings, acknowledgement
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

ACKNOWLEDGE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
HIGH = "high"
# Red for a contraindication or an allergy, amber for the rest; dark text on light
# backgrounds (readable in print screens and by people with a colour deficiency, since
# the title says it in words too).
STYLES = {
    HIGH: ("#fde2e2", "#b00020", "#6d0014"),
    "other": ("#fff1cc", "#b26a00", "#4d2e00"),
    "seen": ("#eef1f4", "#6b7785", "#2b333b"),
}


def _severity(found: Sequence[DrugWarnings]) -> str:
    severities = {w.severity for d in found for w in d.warnings}
    return HIGH if HIGH in severities else "other"


class SafetyPanel(QFrame):
    """The warnings for the drugs of one dialog; hidden while there are none."""

    acknowledged = Signal()  # the acknowledgement was recorded

    def __init__(self, executor: RunsOperations, patient_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._patient_id = patient_id
        self._found: tuple[DrugWarnings, ...] = ()
        self._seen = False
        self._busy = False
        self.setObjectName("safetyPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.title = QLabel()
        self.title.setObjectName("safetyTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.list = QLabel()
        self.list.setObjectName("safetyList")
        self.list.setWordWrap(True)
        self.list.setTextFormat(Qt.TextFormat.PlainText)
        self.list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seen_button = QPushButton(_("I have seen them (Ctrl+Enter)"))
        self.seen_button.setObjectName("safetySeen")
        self.seen_button.clicked.connect(self.acknowledge)
        self.state = QLabel()
        self.state.setObjectName("safetyState")
        self.state.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.seen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.shortcuts: list[QShortcut] = []
        for keys in ACKNOWLEDGE_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.acknowledge)
            self.shortcuts.append(shortcut)
        self.setAccessibleName(_("Safety warnings"))
        self.hide()

    # -- state ---------------------------------------------------------------------------
    @property
    def warnings(self) -> tuple[SafetyWarning, ...]:
        """Every warning shown, over all the drugs."""
        return tuple(w for d in self._found for w in d.warnings)

    @property
    def pending(self) -> bool:
        """Warnings are shown and not yet acknowledged."""
        return bool(self.warnings) and not self._seen

    def texts(self) -> list[str]:
        """The warnings' messages (tests, accessibility)."""
        return [w.message() for w in self.warnings]

    @staticmethod
    def _line(warning: SafetyWarning) -> str:
        """"• message", and the evidence below it (the value and its date)."""
        line = "\u2022 " + warning.message()
        return f"{line}\n    {warning.detail}" if warning.detail else line

    def show_warnings(self, found: Sequence[DrugWarnings]) -> None:
        """Show the warnings of a check (an empty answer hides the box)."""
        self._found = tuple(found)
        self._seen = False
        self._busy = False
        count = len(self.warnings)
        if not count:
            self.hide()
            return
        self.title.setText("\u26a0 " + (_("1 safety warning") if count == 1 else
                                        _("{n} safety warnings").format(n=count)))
        self.list.setText("\n".join(self._line(w) for w in self.warnings))
        self.state.setText(_("Not blocking: read, then acknowledge to go on."))
        self.seen_button.setEnabled(True)
        self._paint(_severity(self._found))
        self.show()

    def clear(self) -> None:
        """No drug chosen: no warnings."""
        self.show_warnings(())

    def draw_attention(self) -> None:
        """The first OK with warnings not yet seen: the box comes forward, its button
        takes the focus (so Enter or Ctrl+Enter acknowledges)."""
        self.state.setText(_("Please read the warnings: acknowledge them, or press OK "
                             "again to go on."))
        font = self.state.font()
        font.setBold(True)
        self.state.setFont(font)
        self.seen_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- acknowledging ------------------------------------------------------------------
    def acknowledge(self) -> None:
        """Ctrl+Enter or "I have seen them": record that the GP saw these warnings."""
        if not self.pending or self._busy or not self.isVisible():
            return
        self._busy = True
        self._executor.run(acknowledgement(self._patient_id, self._found), self._on_recorded,
                           self._on_failed)

    def _on_recorded(self, _none: None) -> None:
        self._busy = False
        self._seen = True
        self.seen_button.setEnabled(False)
        self.state.setText(_("Seen and recorded."))
        self._paint("seen")
        self.acknowledged.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._executor.report_error(exc)

    def _paint(self, key: str) -> None:
        background, border, text = STYLES[key]
        self.setStyleSheet(
            f"QFrame#safetyPanel {{ background: {background}; border: 2px solid {border};"
            f" border-radius: 4px; }}"
            f" QFrame#safetyPanel QLabel {{ color: {text}; background: transparent; }}")
