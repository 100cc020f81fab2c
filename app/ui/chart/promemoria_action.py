""""Stampa promemoria": the patient's memo of the selected prescriptions, as a PDF file.

The NRE stays empty ("da emettere"): no regional system is reachable from here and an
NRE is never invented. The file name proposed is promemoria-<surname>-<date>.pdf.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from app.core.i18n import _
from app.records.services.views import EntryView, PatientSummary
from app.ui.chart.promemoria_ops import WritePromemoria
from app.ui.ops import RunsOperations
from app.ui.qt import QFileDialog, QObject, QWidget, Signal


def default_file_name(surname: str, day: date) -> str:
    """promemoria-<surname>-<yyyy-mm-dd>.pdf, the surname in plain lowercase letters."""
    plain = unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "paziente"
    return f"promemoria-{slug}-{day.isoformat()}.pdf"


def _default_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class PromemoriaAction(QObject):
    """Ask where to save, then write the PDF on a worker; ``written(path)`` when done."""

    written = Signal(object)  # the Path of the PDF

    def __init__(self, executor: RunsOperations, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._parent = parent
        self.folder = _default_folder()  # the last folder chosen, for the next time
        self.dialog: QFileDialog | None = None

    def ask_path(self, patient: PatientSummary, prescriptions: Sequence[EntryView]) -> None:
        """The save dialog, proposing promemoria-<surname>-<date>.pdf."""
        ids = tuple(p.id for p in prescriptions)
        proposed = self.folder / default_file_name(patient.surname, date.today())
        dialog = QFileDialog(self._parent, _("Save the promemoria"), str(proposed),
                             _("PDF documents (*.pdf)"))
        dialog.setObjectName("promemoriaFile")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(proposed))
        dialog.fileSelected.connect(lambda chosen: self.write(Path(chosen), patient.id, ids))
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        self.dialog = dialog
        dialog.open()

    def cancel(self) -> None:
        """Another patient is shown: a save dialog still open goes."""
        if self.dialog is not None:
            self.dialog.reject()

    def _closed(self, dialog: QFileDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def write(self, path: Path, patient_id: str, prescription_ids: tuple[str, ...]) -> None:
        """Write the promemoria of these prescriptions to ``path``."""
        self.folder = path.parent
        self._executor.run(WritePromemoria(path, patient_id, prescription_ids),
                           self.written.emit)
