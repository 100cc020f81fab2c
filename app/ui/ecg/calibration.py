"""How many pixels make a millimetre on this screen, so that 25 mm/s is 25 mm on a ruler.

The screen says it through ``QScreen.physicalDotsPerInch`` (from the size the monitor
reports over EDID). Many monitors and most projectors report nothing or nonsense, so
a value outside ``PLAUSIBLE_DPI`` is not believed and the logical DPI (96 on most
desktops) is used instead; and a person with a ruler can always correct it: the
calibration dialog draws a 100 mm bar, asks how long it really is, and keeps the
corrected figure in this workstation's settings (``SCREEN_DPI_KEY``). ADR 0020.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.core.formats import format_decimal
from app.core.i18n import _
from app.reports.ecg_paper import MM_PER_INCH
from app.ui.qt import (
    QColor,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPainter,
    QPaintEvent,
    QPen,
    QSettings,
    QSize,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

SCREEN_DPI_KEY = "ecg/screen_dpi"
PLAUSIBLE_DPI = (50.0, 600.0)  # desktop monitors to phones; anything else is a wrong report
OVERRIDE_DPI = (30.0, 1200.0)
BAR_MM = 100


class Screen(Protocol):
    """The part of QScreen this needs (tests pass a stand-in)."""

    def physicalDotsPerInch(self) -> float: ...  # noqa: N802 - Qt's names
    def logicalDotsPerInch(self) -> float: ...  # noqa: N802


@dataclass(frozen=True)
class ScreenDpi:
    """The DPI in force and where it comes from: "setting", "screen" or "logical"."""

    dpi: float
    source: str

    @property
    def px_per_mm(self) -> float:
        """Device-independent pixels per millimetre (what QPainter draws on a widget)."""
        return self.dpi / MM_PER_INCH

    def describe(self) -> str:
        """"screen 96 dpi (measured by hand)" in the UI language."""
        how = {"setting": _("measured by hand"), "screen": _("as the screen reports it"),
               "logical": _("the screen reports no size: not calibrated")}[self.source]
        return _("screen {dpi} dpi ({how})").format(dpi=format_decimal(round(self.dpi, 1)),
                                                    how=how)


def saved_dpi(settings: QSettings | None) -> float | None:
    """The DPI measured by hand on this workstation, if any and sensible."""
    if settings is None:
        return None
    try:
        value = float(str(settings.value(SCREEN_DPI_KEY, "") or "nan"))
    except ValueError:
        return None
    low, high = OVERRIDE_DPI
    return value if low <= value <= high else None


def screen_dpi(screen: Screen | None, settings: QSettings | None) -> ScreenDpi:
    """The hand-measured DPI, else the screen's physical DPI if plausible, else logical."""
    saved = saved_dpi(settings)
    if saved is not None:
        return ScreenDpi(saved, "setting")
    if screen is not None:
        physical = float(screen.physicalDotsPerInch())
        low, high = PLAUSIBLE_DPI
        if low <= physical <= high:
            return ScreenDpi(physical, "screen")
        return ScreenDpi(float(screen.logicalDotsPerInch()), "logical")
    return ScreenDpi(96.0, "logical")


def save_dpi(settings: QSettings, dpi: float | None) -> None:
    """Keep a hand-measured DPI (None: forget it and believe the screen again)."""
    if dpi is None:
        settings.remove(SCREEN_DPI_KEY)
    else:
        settings.setValue(SCREEN_DPI_KEY, f"{dpi:.2f}")
    settings.sync()


def corrected_dpi(dpi: float, measured_mm: float) -> float:
    """The true DPI when a bar drawn ``BAR_MM`` long at ``dpi`` measures ``measured_mm``."""
    return dpi * BAR_MM / measured_mm


class _Bar(QWidget):
    """A bar ``BAR_MM`` long at the DPI in force, with a tick every centimetre."""

    def __init__(self, dpi: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dpi = dpi
        self.setMinimumSize(self.sizeHint())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """The bar and a margin."""
        return QSize(round(BAR_MM * self.dpi / MM_PER_INCH) + 24, 48)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002 - Qt's name
        """Draw the bar from x = 12."""
        painter = QPainter(self)
        painter.setPen(QPen(QColor("#000000"), 1))
        per_mm = self.dpi / MM_PER_INCH
        left, middle = 12.0, 24.0
        painter.fillRect(round(left), round(middle - 4), round(BAR_MM * per_mm), 8,
                         QColor("#b00020"))
        for cm in range(BAR_MM // 10 + 1):
            x = round(left + cm * 10 * per_mm)
            painter.drawLine(x, round(middle - 12), x, round(middle + 12))
        painter.end()


class CalibrationDialog(QDialog):
    """Measure the bar with a ruler, type its length: the DPI is corrected and kept."""

    calibrated = Signal(object)  # the new DPI (float) or None: back to the screen's

    def __init__(self, current: ScreenDpi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ecgCalibration")
        self.setWindowTitle(_("Screen calibration"))
        self.current = current
        layout = QVBoxLayout(self)
        explain = QLabel(_("Measure the red bar with a ruler and type its length. The "
                           "tracing is then drawn at its true size on this screen "
                           "(25 mm per second)."))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(_Bar(current.dpi, self))
        self.length = QSpinBox(self)
        self.length.setObjectName("ecgCalibrationLength")
        self.length.setRange(20, 400)
        self.length.setValue(BAR_MM)
        self.length.setSuffix(" mm")
        self.length.setAccessibleName(_("Length of the bar"))
        layout.addWidget(self.length)
        self.status = QLabel(current.describe())
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.reset = buttons.addButton(_("Use the screen's value"),
                                       QDialogButtonBox.ButtonRole.ResetRole)
        self.reset.setObjectName("ecgCalibrationReset")
        self.reset.setEnabled(current.source == "setting")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reset.clicked.connect(self._reset)
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)

    def accept(self) -> None:
        """Hand over the corrected DPI."""
        super().accept()
        self.calibrated.emit(corrected_dpi(self.current.dpi, float(self.length.value())))

    def _reset(self) -> None:
        super().accept()
        self.calibrated.emit(None)
