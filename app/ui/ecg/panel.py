"""Beside the tracing: the cart's measurements and statements, the recording, the calliper."""

from __future__ import annotations

from app.core.i18n import _
from app.devices.ecg.leads import DERIVABLE
from app.devices.ecg.model import EcgRecording
from app.reports.ecg_paper import CalliperReading
from app.reports.ecg_pdf import EcgHeading, measurement_items, patient_text, recording_text
from app.ui.ecg.marks import calliper_text
from app.ui.qt import QFormLayout, QFrame, QLabel, Qt, QVBoxLayout, QWidget

PANEL_WIDTH = 270


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _text(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def leads_text(recording: EcgRecording) -> str:
    """"12 leads" and which ones were computed here from I and II."""
    text = _("{count} leads").format(count=len(recording.leads))
    derived = [name for name in DERIVABLE if name in recording.derived]
    if derived:
        text += " - " + _("{leads} computed from I and II (marked *)").format(
            leads=", ".join(derived))
    return text


class EcgSidePanel(QFrame):
    """The column at the right of the tracing."""

    def __init__(self, recording: EcgRecording, heading: EcgHeading,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ecgPanel")
        self.setFixedWidth(PANEL_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(_("Patient"), self))
        layout.addWidget(_text(patient_text(recording, heading), self, "ecgPatient"))
        layout.addWidget(_title(_("Recording"), self))
        layout.addWidget(_text(recording_text(recording), self, "ecgRecording"))
        layout.addWidget(_text(leads_text(recording), self, "ecgLeads"))
        layout.addWidget(_title(_("Measurements"), self))
        items = measurement_items(recording.measurements)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for label, value in items:
            form.addRow(label, _text(value, self))
        if not items:
            form.addRow(_text(_("The file carries no measurements."), self))
        self.measurements = QWidget(self)
        self.measurements.setObjectName("ecgMeasurements")
        self.measurements.setLayout(form)
        layout.addWidget(self.measurements)
        layout.addWidget(_title(_("Device interpretation, to be confirmed"), self))
        statements = "\n".join(recording.statements) or _("none in the file")
        layout.addWidget(_text(statements, self, "ecgStatements"))
        if recording.notes:
            layout.addWidget(_title(_("Notes sent with the ECG"), self))
            layout.addWidget(_text("\n".join(recording.notes), self, "ecgNotes"))
        layout.addWidget(_title(_("Calliper"), self))
        self.calliper = _text("", self, "ecgCalliper")
        layout.addWidget(self.calliper)
        self.show_calliper(None)
        layout.addStretch(1)

    def show_calliper(self, reading: CalliperReading | None) -> None:
        """The calliper's reading, or how to use it."""
        if reading is None:
            self.calliper.setText(_("Drag on the tracing to measure an interval and an "
                                    "amplitude; Esc puts the calliper away."))
        else:
            self.calliper.setText(calliper_text(reading))

