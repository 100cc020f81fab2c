"""The patient header: the one patient the window is about, always in view.

Every panel that shows a patient is fed from the same answer as this header
(see MainWindow), so what the header names is what the panels show.
"""

from __future__ import annotations

from datetime import date

from app.core.formats import born_on, patient_age
from app.core.i18n import _
from app.records.services.views import PatientSummary
from app.ui.qt import (
    QAction,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMouseEvent,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.shell_ops import PatientContext

HEADER_STYLE = """
#patientHeader { background: #e8f1f8; border-bottom: 1px solid #b8cfe0; }
#patientHeader[empty="true"] { background: palette(window); }
"""


def sex_word(sex: str) -> str:
    """The sex in full, as the header says it."""
    return {"M": _("Male"), "F": _("Female")}.get(sex, sex)


def patient_name(patient: PatientSummary) -> str:
    """SURNAME Given name, as Italian GPs write it."""
    return f"{patient.surname.upper()} {patient.given_name}"


class PatientHeader(QFrame):
    """Name, age, sex, codice fiscale and GP of choice of the open patient."""

    clicked = Signal()  # the user wants the patient's page

    def __init__(self, close_action: QAction | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientHeader")
        self.setStyleSheet(HEADER_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._patient_id: str | None = None
        # Says what the header is: the patient open in the window, not the row highlighted
        # in a list (the finder may highlight another patient while this one stays open).
        self.caption = QLabel(_("Patient open in this window"))
        self.caption.setObjectName("headerCaption")
        self.name = QLabel()
        self.name.setObjectName("headerName")
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name.setFont(font)
        self.facts = QLabel()
        self.facts.setObjectName("headerFacts")
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.caption)
        text.addWidget(self.name)
        text.addWidget(self.facts)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addLayout(text, 1)
        self.close_button = QToolButton()
        self.close_button.setObjectName("headerClose")
        if close_action is not None:
            self.close_button.setDefaultAction(close_action)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.show_context(None)

    @property
    def patient_id(self) -> str | None:
        """The patient named (None: no patient open)."""
        return self._patient_id

    def show_context(self, context: PatientContext | None, today: date | None = None) -> None:
        """Name the patient of ``context`` (None: say that no patient is open)."""
        self.setProperty("empty", context is None)
        self.style().unpolish(self)
        self.style().polish(self)
        self.close_button.setVisible(context is not None)
        self.caption.setVisible(context is not None)
        if context is None:
            self._patient_id = None
            self.name.setText(_("No patient open"))
            self.facts.setText(_("F2 to find a patient"))
            return
        patient = context.summary
        self._patient_id = patient.id
        gp = context.gp_name or _("not chosen")
        parts = [
            sex_word(patient.sex),
            born_on(patient.sex, patient.birth_date),
            patient_age(patient.birth_date, today or date.today()),
            _("CF {code}").format(code=patient.codice_fiscale),
            _("GP: {name}").format(name=gp),
        ]
        self.name.setText(patient_name(patient))
        self.facts.setText(" \u00b7 ".join(parts))

    def text(self) -> str:
        """What the header says, in one line (tests, accessibility)."""
        return f"{self.name.text()} {self.facts.text()}"

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """A click on the header opens the patient's page."""
        if event.button() == Qt.MouseButton.LeftButton and self._patient_id is not None:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
