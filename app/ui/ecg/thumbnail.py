"""Small lead-II pictures of ECGs for the inbox and the journal, loaded off the GUI thread.

A ``ThumbnailLoader`` asks for the thumbnails of the ids it is shown (once per id), and
keeps the pixmaps; ``loaded`` tells the table to repaint. An unreadable file simply has
no thumbnail (opening it says why).
"""

from __future__ import annotations

import pyqtgraph as pg

from app.ui.ecg.ops import EcgThumbnails, Thumbnail
from app.ui.ops import RunsOperations
from app.ui.qt import QColor, QObject, QPainter, QPen, QPixmap, QSize, Signal

BACKGROUND = QColor("#fff3f3")
LINE = QColor("#101010")


def thumbnail_pixmap(thumb: Thumbnail, size: QSize, ratio: float = 1.0) -> QPixmap:
    """``thumb`` drawn into a pixmap of ``size`` (logical pixels), a 1 px margin around."""
    pixmap = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(BACKGROUND)
    width, height = size.width() - 2, size.height() - 2
    path = pg.arrayToQPath(1 + thumb.x * width, 1 + thumb.y * height, connect="all")
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(LINE, 1))
    painter.drawPath(path)
    painter.end()
    return pixmap


class ThumbnailLoader(QObject):
    """Thumbnails of inbox messages or chart recordings, each read once."""

    loaded = Signal()

    def __init__(self, executor: RunsOperations, source: str, size: QSize,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.source = source  # "inbox" (message ids) or "chart" (recording ids)
        self.size = size
        self.pixmaps: dict[str, QPixmap] = {}
        self._asked: set[str] = set()

    def request(self, ids: list[str]) -> None:
        """Read the thumbnails of ``ids`` not asked for yet."""
        missing = tuple(dict.fromkeys(i for i in ids if i not in self._asked))
        if missing:
            self._asked.update(missing)
            self._executor.run(EcgThumbnails(self.source, missing), self._on_loaded,
                               self._on_failed)

    def get(self, ident: str) -> QPixmap | None:
        """The thumbnail of ``ident`` once loaded."""
        return self.pixmaps.get(ident)

    def _on_loaded(self, found: dict[str, Thumbnail | None]) -> None:
        for ident, thumb in found.items():
            if thumb is not None:
                self.pixmaps[ident] = thumbnail_pixmap(thumb, self.size)
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        """A thumbnail is a convenience: the row stays without one; real errors still show."""
        self._executor.report_error(exc)

