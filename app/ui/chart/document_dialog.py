"""Classify a file before it is filed: kind, date, source, title."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.core.formats import first_upper
from app.core.i18n import _
from app.records.services.documents import DOCUMENT_KINDS, MAX_TEXT_FIELD, kind_label
from app.ui.chart.document_ops import ProbedFile
from app.ui.chart.document_viewer import size_text
from app.ui.qt import (
    QComboBox,
    QCompleter,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Classification:
    """What the user said the file is."""

    kind: str
    document_date: date
    source: str
    title: str


def type_name(mime_type: str) -> str:
    """"PDF", "JPEG" ... from a media type."""
    return mime_type.rsplit("/", 1)[-1].upper()


class ClassifyDialog(QDialog):
    """A small form; "File document" is enabled once the document has a title."""

    def __init__(self, probed: ProbedFile, sources: Iterable[str], *, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyDocument")
        self.setWindowTitle(_("File a document"))
        self.probed = probed
        self.file = QLabel(" · ".join((probed.path.name, type_name(probed.mime_type),
                                       size_text(probed.size))), self)
        self.file.setObjectName("documentFile")
        self.file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = QComboBox(self)
        self.kind.setObjectName("documentKind")
        for code in DOCUMENT_KINDS:
            self.kind.addItem(first_upper(kind_label(code)), code)
        self.date = QDateEdit(self)
        self.date.setObjectName("documentDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.source = QLineEdit(self)
        self.source.setObjectName("documentSource")
        self.source.setMaxLength(MAX_TEXT_FIELD)
        self.source.setPlaceholderText(_("e.g. the laboratory, the hospital ward"))
        known = sorted({s for s in sources if s}, key=str.lower)
        if known:
            completer = QCompleter(known, self.source)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.source.setCompleter(completer)
        self.title = QLineEdit(probed.path.stem, self)
        self.title.setObjectName("documentTitleEdit")
        self.title.setMaxLength(MAX_TEXT_FIELD)
        form = QFormLayout()
        form.addRow(_("Selected file"), self.file)
        form.addRow(_("Document type"), self.kind)
        form.addRow(_("Date of the document"), self.date)
        form.addRow(_("Source"), self.source)
        form.addRow(_("Title"), self.title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setText(_("File document"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self._check()
        self.kind.setFocus()

    def _check(self) -> None:
        self.save.setEnabled(bool(self.title.text().strip()))

    def classification(self) -> Classification:
        """The form's values."""
        day = self.date.date().toPython()
        assert isinstance(day, date)
        return Classification(str(self.kind.currentData()), day, self.source.text().strip(),
                              self.title.text().strip())
