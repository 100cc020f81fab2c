"""The ECG viewer window: the tracing, its switches, the panel beside it, Print / PDF.

Opened from the inbox (before a clinician accepts the ECG) and from the chart (an
accepted ECG, filed as the patient's device recording). Non-modal: a GP can keep it
beside the chart. The PDF is written by ``app.reports.ecg_pdf`` on a worker; printing
renders that same PDF onto the printer's whole sheet, so paper and PDF agree in scale.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from app.core.i18n import _
from app.devices.ecg.model import EcgRecording
from app.reports.ecg_paper import GAINS, SPEEDS
from app.reports.ecg_pdf import EcgHeading
from app.ui.ecg.calibration import CalibrationDialog, save_dpi, screen_dpi
from app.ui.ecg.ops import EcgPdfBytes, WriteEcgPdf
from app.ui.ecg.panel import EcgSidePanel
from app.ui.ecg.print_pdf import print_pdf
from app.ui.ecg.view import EcgView
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMenu,
    QPageLayout,
    QPageSize,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QSettings,
    QShowEvent,
    QSplitter,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def workstation_settings() -> QSettings:
    """This workstation's settings file, the one the program opened at start."""
    from app.ui.main import open_settings  # the entry point's policy (MEDIRETE_DATA_DIR)

    return open_settings()


def default_file_name(heading: EcgHeading, recording: EcgRecording) -> str:
    """ecg-<surname>-<yyyy-mm-dd>.pdf, in plain lowercase letters."""
    name = heading.patient.split(" ")[0] if heading.patient else recording.patient.family_name
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "paziente"
    day = recording.acquired_at.date() if recording.acquired_at else date.today()
    return f"ecg-{slug}-{day.isoformat()}.pdf"


def _switch(text: str, name: str, tip: str, group: QButtonGroup, row: QHBoxLayout) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setAutoRaise(False)
    group.addButton(button)
    row.addWidget(button)
    return button


class EcgDialog(QDialog):
    """One ECG: ``name`` says which (the file or the inbox message) in the title."""

    def __init__(self, executor: RunsOperations, recording: EcgRecording, name: str, *,
                 heading: EcgHeading | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.recording = recording
        self.heading = heading or EcgHeading()
        self.settings = settings if settings is not None else workstation_settings()
        self.setObjectName("ecgDialog")
        self.setWindowTitle(_("ECG tracing - {name}").format(name=name))
        self.setModal(False)
        self.resize(1240, 760)
        self.dpi = screen_dpi(self.screen(), self.settings)
        self.view = EcgView(self, dpi=self.dpi.dpi)
        self.view.set_recording(recording)
        self.panel = EcgSidePanel(recording, self.heading, self)
        self.view.calliper_changed.connect(self.panel.show_calliper)
        self.view.scale_changed.connect(self._show_scale)
        self.status = QLabel(self)
        self.status.setObjectName("ecgStatus")
        self.scale_label = QLabel(self)
        self.scale_label.setObjectName("ecgScale")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(splitter, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.scale_label)
        footer.addWidget(self.status, 1)
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        footer.addWidget(close)
        layout.addLayout(footer)
        self.calibration: CalibrationDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self._follows_screen = False
        self._show_scale()
        self.view.setFocus()

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.speeds, self.gains = QButtonGroup(self), QButtonGroup(self)
        for speed in SPEEDS:
            button = _switch(f"{speed:g} mm/s", f"ecgSpeed{speed:g}", _("Paper speed"),
                             self.speeds, row)
            button.setChecked(speed == self.view.scale.speed_mm_s)
            button.clicked.connect(lambda _c=False, s=speed: self.view.set_scale(speed_mm_s=s))
        row.addSpacing(12)
        for gain in GAINS:
            button = _switch(f"{gain:g} mm/mV", f"ecgGain{gain:g}", _("Gain"), self.gains, row)
            button.setChecked(gain == self.view.scale.gain_mm_mv)
            button.clicked.connect(lambda _c=False, g=gain: self.view.set_scale(gain_mm_mv=g))
        row.addSpacing(12)
        for text, name, tip, slot in (
            ("-", "ecgZoomOut", _("Zoom out (-)"), lambda: self.view.step_zoom(-1)),
            ("100 %", "ecgTrueSize", _("True size (0)"), lambda: self.view.set_zoom(1.0)),
            ("+", "ecgZoomIn", _("Zoom in (+)"), lambda: self.view.step_zoom(1)),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        calibrate = QPushButton(_("Screen calibration..."))
        calibrate.setObjectName("ecgCalibrate")
        calibrate.setAutoDefault(False)
        calibrate.clicked.connect(self.calibrate)
        row.addWidget(calibrate)
        row.addStretch(1)
        self.print_button = QPushButton(_("Print / PDF..."))
        self.print_button.setObjectName("ecgPrint")
        self.print_button.setAutoDefault(False)
        menu = QMenu(self.print_button)
        self.save_pdf_action = menu.addAction(_("Save as PDF..."), self.ask_pdf_path)
        self.print_action = menu.addAction(_("Print..."), self.ask_printer)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.addAction(self.print_action)
        self.print_button.setMenu(menu)
        row.addWidget(self.print_button)
        return row

    def _show_scale(self) -> None:
        zoom = round(self.view.zoom * 100)
        self.scale_label.setText(" · ".join((self.view.scale_text(), f"zoom {zoom} %",
                                             self.dpi.describe())))

    # -- screen calibration ---------------------------------------------------------------
    def calibrate(self) -> None:
        """Measure a bar with a ruler: the DPI is corrected and kept on this workstation."""
        self.calibration = CalibrationDialog(self.dpi, self)
        self.calibration.calibrated.connect(self.set_calibration)
        self.calibration.open()

    def set_calibration(self, dpi: float | None) -> None:
        """Keep ``dpi`` (None: believe the screen again) and redraw at the new size."""
        save_dpi(self.settings, dpi)
        self.dpi = screen_dpi(self.screen(), self.settings)
        self.view.set_dpi(self.dpi.dpi)

    def refresh_dpi(self) -> None:
        """The DPI of the screen the window is on now (or the hand-measured one), when it
        differs from the one in force."""
        found = screen_dpi(self.screen(), self.settings)
        if found != self.dpi:
            self.dpi = found
            self.view.set_dpi(found.dpi)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Follow the window when it moves to another screen (another DPI)."""
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self._follows_screen:
            handle.screenChanged.connect(lambda _screen: self.refresh_dpi())
            self._follows_screen = True
        self.refresh_dpi()

    # -- PDF and printing -------------------------------------------------------------------
    def ask_pdf_path(self) -> None:
        """Where to save the PDF (ecg-<surname>-<date>.pdf proposed)."""
        folder = Path.home() / "Documents"
        proposed = (folder if folder.is_dir() else Path.home()) / default_file_name(
            self.heading, self.recording)
        dialog = QFileDialog(self, _("Save the ECG as PDF"), str(proposed),
                             _("PDF documents (*.pdf)"))
        dialog.setObjectName("ecgPdfFile")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(proposed))
        dialog.fileSelected.connect(lambda chosen: self.save_pdf(Path(chosen)))
        self.file_dialog = dialog
        dialog.open()

    def save_pdf(self, path: Path) -> None:
        """Write the PDF to ``path`` on a worker (the gain as on screen, 25 mm/s)."""
        op = WriteEcgPdf(path, self.recording, self.heading, self.view.scale.gain_mm_mv)
        self._executor.run(op, self._pdf_saved)

    def _pdf_saved(self, path: Path) -> None:
        self.status.setText(_("PDF saved: {path}. Print it at 100 % (actual size) to keep "
                              "25 mm/s.").format(path=path))

    def ask_printer(self) -> None:
        """The print dialog, A4 landscape proposed."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        self.print_dialog = QPrintDialog(printer, self)
        self.print_dialog.accepted.connect(lambda: self.print_to(printer))
        QDialog.open(self.print_dialog)  # PySide's stub knows only open(receiver, member)

    def print_to(self, printer: QPrinter) -> None:
        """Make the PDF on a worker, then print its page on ``printer`` at true scale."""
        op = EcgPdfBytes(self.recording, self.heading, self.view.scale.gain_mm_mv)
        self._executor.run(op, lambda content: self._print(printer, content))

    def _print(self, printer: QPrinter, content: bytes) -> None:
        print_pdf(printer, content)
        self.status.setText(_("Sent to the printer."))
