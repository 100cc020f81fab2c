"""The main window's layout remembered per user: geometry, splitters, column widths."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.ui.qt import QByteArray, QGuiApplication, QSettings, QSize

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MINIMUM = QSize(1024, 640)
DEFAULT = QSize(1280, 800)
SCREEN_SHARE = 0.95  # never larger than the screen, even at 150 % scaling
Part = tuple[Callable[[], QByteArray], Callable[[QByteArray], object]]


def _fit(size: QSize, room: QSize) -> QSize:
    return QSize(min(size.width(), int(room.width() * SCREEN_SHARE)),
                 min(size.height(), int(room.height() * SCREEN_SHARE)))


class WindowLayout:
    """Saves and restores what the user arranged (nothing about patients is stored)."""

    def __init__(self, window: MainWindow, settings: QSettings | None, username: str) -> None:
        self._window = window
        self._settings = settings
        self._prefix = f"layout/{username}/"

    def _parts(self) -> dict[str, Part]:
        """name -> (save, restore) of each remembered part."""
        w = self._window
        parts: dict[str, Part] = {
            "geometry": (w.saveGeometry, w.restoreGeometry),
            "state": (w.saveState, w.restoreState),
            "body": (w.body.saveState, w.body.restoreState),
            "patient": (w.patient_page.splitter.saveState, w.patient_page.splitter.restoreState),
            "patient_left": (w.patient_page.left.saveState, w.patient_page.left.restoreState),
        }
        for name, table in (("results", w.finder.table), ("recent", w.finder.recent_table)):
            header = table.horizontalHeader()
            parts[f"columns_{name}_{header.count()}"] = (header.saveState, header.restoreState)
        return parts

    def restore(self) -> None:
        """Sizes at first use; then as the user left them."""
        window = self._window
        screen = window.screen() or QGuiApplication.primaryScreen()
        room = screen.availableSize() if screen is not None else DEFAULT
        window.setMinimumSize(_fit(MINIMUM, room))
        window.resize(_fit(DEFAULT, room))
        if screen is not None:  # first use: in the middle of the screen
            frame = window.frameGeometry()
            frame.moveCenter(screen.availableGeometry().center())
            window.move(frame.topLeft())
        window.body.setSizes([180, DEFAULT.width() - 180])
        if self._settings is None:
            return
        for name, (_save, restore) in self._parts().items():
            value = self._settings.value(self._prefix + name)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
                if name.startswith("columns_"):  # the user's widths, not fitted again
                    window.finder.unfitted.discard(
                        "patientTable" if name.startswith("columns_results") else
                        "recentPatients")

    def save(self) -> None:
        """Remember the layout (on close, log out, switch user, language)."""
        if self._settings is None:
            return
        for name, (save, _restore) in self._parts().items():
            self._settings.setValue(self._prefix + name, save())
