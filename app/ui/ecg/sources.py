"""Where ECGs are opened from: the results inbox (before accepting) and the chart.

``InboxEcg`` gives the inbox a lead-II thumbnail on each ECG row and opens the viewer on
the selected message; ``RecordingEcg`` does the same for an accepted ECG, filed in the
chart as a device recording (the journal's thumbnails, the entry's detail).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.core.formats import format_datetime
from app.core.i18n import _
from app.devices.ecg.model import EcgRecording
from app.records.services.inbox import InboxItem
from app.records.services.views import EntryView, PatientSummary
from app.reports.ecg_pdf import EcgHeading
from app.ui.ecg.dialog import EcgDialog
from app.ui.ecg.ops import ECG_DRIVERS, ReadInboxEcg, ReadRecordingEcg, thumbnail_of
from app.ui.ecg.thumbnail import ThumbnailLoader, thumbnail_pixmap
from app.ui.inbox_ops import InboxRow
from app.ui.ops import RunsOperations
from app.ui.qt import QLabel, QObject, QPixmap, QPushButton, QSize, QWidget

ROW_THUMBNAIL = QSize(72, 18)  # fits a table row of one text line
DETAIL_THUMBNAIL = QSize(480, 72)
FORMAT_NAMES = {"scp-ecg": "SCP-ECG", "aecg": "HL7 aECG", "dicom-ecg": "DICOM"}


def is_ecg_message(item: InboxItem) -> bool:
    """Whether an inbox result belongs to an ECG file (its heart-rate row or another)."""
    return item.driver in ECG_DRIVERS


def ecg_title(driver: str, when: datetime | None) -> str:
    """"SCP-ECG 05/03/2024 10:30": which ECG a viewer window shows."""
    return " ".join(p for p in (FORMAT_NAMES.get(driver, driver), format_datetime(when)) if p)


def chart_heading(patient: PatientSummary | None) -> EcgHeading:
    """The chart's patient, for the viewer's panel and the printed page."""
    if patient is None:
        return EcgHeading()
    return EcgHeading(f"{patient.surname} {patient.given_name}", patient.codice_fiscale,
                      patient.birth_date)


class InboxEcg(QObject):
    """The ECG part of the results inbox."""

    def __init__(self, executor: RunsOperations, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._parent = parent
        self.thumbnails = ThumbnailLoader(executor, "inbox", ROW_THUMBNAIL, self)
        self.viewer: EcgDialog | None = None

    def rows_shown(self, rows: Sequence[InboxRow]) -> None:
        """Load the thumbnails of the ECG rows just listed (each message once)."""
        self.thumbnails.request([r.item.message_id for r in rows
                                 if is_ecg_message(r.item) and r.item.code == "ECG12"])

    def thumbnail(self, row: InboxRow) -> QPixmap | None:
        """The lead-II picture shown on an ECG's heart-rate row (None elsewhere)."""
        if row.item.code != "ECG12" or not is_ecg_message(row.item):
            return None
        return self.thumbnails.get(row.item.message_id)

    @staticmethod
    def can_open(rows: Sequence[InboxRow]) -> bool:
        """One ECG message selected."""
        return (len({r.item.message_id for r in rows}) == 1
                and is_ecg_message(rows[0].item))

    def open(self, rows: Sequence[InboxRow]) -> None:
        """Read the selected message's ECG on a worker, then show it."""
        if self.can_open(rows):
            row = rows[0]
            self._executor.run(ReadInboxEcg(row.item.message_id),
                               lambda recording: self._show(row, recording))

    def _show(self, row: InboxRow, recording: EcgRecording) -> None:
        item = row.item
        heading = EcgHeading()  # not matched yet: the page says who the cart named
        if item.patient_id is not None:
            heading = EcgHeading(row.patient_name or item.patient_id, item.codice_fiscale or "")
        title = ecg_title(item.driver, recording.acquired_at or item.received_at)
        if self.viewer is not None:
            self.viewer.close()
        self.viewer = EcgDialog(self._executor, recording, title, heading=heading,
                                parent=self._parent)
        self.viewer.show()


def is_ecg_recording(entry: EntryView) -> bool:
    """Whether a chart entry is an ECG filed as a device recording."""
    return entry.kind == "device_recording" and (
        entry.fields.get("device_kind") == "ecg" or entry.fields.get("format") in ECG_DRIVERS)


class RecordingEcg(QObject):
    """An accepted ECG in an entry's detail: its thumbnail and "Open the tracing..."."""

    def __init__(self, executor: RunsOperations, entry: EntryView,
                 patient: PatientSummary | None, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._parent = parent
        self.entry = entry
        self.heading = chart_heading(patient)
        self.recording: EcgRecording | None = None
        self.viewer: EcgDialog | None = None
        self.picture = QLabel(_("Reading the tracing..."), parent)
        self.picture.setObjectName("entryEcgThumbnail")
        self.picture.setMinimumHeight(DETAIL_THUMBNAIL.height())
        self.button = QPushButton(_("Open the tracing..."), parent)
        self.button.setObjectName("entryOpenEcg")
        self.button.setAutoDefault(False)
        self.button.setEnabled(False)
        self.button.clicked.connect(self.open)
        executor.run(ReadRecordingEcg(entry.id), self._loaded, self._failed)

    def _loaded(self, recording: EcgRecording) -> None:
        self.recording = recording
        thumb = thumbnail_of(recording, DETAIL_THUMBNAIL.width() // 2, 10.0)
        self.picture.setPixmap(thumbnail_pixmap(thumb, DETAIL_THUMBNAIL))
        self.picture.setToolTip(_("Lead {lead}, first 10 s").format(lead=thumb.lead))
        self.button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.picture.setText(_("The tracing cannot be read."))
        self._executor.report_error(exc)

    def open(self) -> None:
        """The viewer on this ECG."""
        if self.recording is None:
            return
        when = self.entry.fields.get("acquired_at")
        title = ecg_title(str(self.entry.fields.get("format") or ""),
                          when if isinstance(when, datetime) else None)
        if self.viewer is not None:
            self.viewer.close()
        self.viewer = EcgDialog(self._executor, self.recording, title, heading=self.heading,
                                parent=self._parent)
        self.viewer.show()
