"""The 12-lead ECG viewer: the standard paper at true size, calliper, PDF, thumbnails.

``EcgDialog`` opens one ``EcgRecording`` (from the inbox or the chart); ``EcgView`` is
the painted paper itself; ``ThumbnailLoader`` gives the inbox and the journal a small
lead-II picture of each ECG. Files are read by ``app.devices.ecg`` on the workers
(``ops``); the paper's geometry is ``app.reports.ecg_paper``, shared with the PDF.
"""

from app.ui.ecg.dialog import EcgDialog
from app.ui.ecg.ops import (
    ECG_DRIVERS,
    EcgThumbnails,
    EcgUnreadable,
    ReadInboxEcg,
    ReadRecordingEcg,
    thumbnail_of,
)
from app.ui.ecg.thumbnail import ThumbnailLoader, thumbnail_pixmap
from app.ui.ecg.view import EcgView

__all__ = [
    "ECG_DRIVERS",
    "EcgDialog",
    "EcgThumbnails",
    "EcgUnreadable",
    "EcgView",
    "ReadInboxEcg",
    "ReadRecordingEcg",
    "ThumbnailLoader",
    "thumbnail_of",
    "thumbnail_pixmap",
]
