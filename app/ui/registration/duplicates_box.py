"""The warning shown before saving someone who may already be registered."""

from __future__ import annotations

from html import escape

from app.core.formats import born_on
from app.core.i18n import _
from app.records.duplicates import DuplicateHit
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


def describe(hit: DuplicateHit) -> str:
    """"ROSSI Mario, nato il 03/04/1956 a Milano, RSSMRA56D03F205K: same codice fiscale"."""
    patient = hit.patient
    return _("{name}, {born} in {place}, {code}: {reason}").format(
        name=f"{patient.surname.upper()} {patient.given_name}",
        born=born_on(patient.sex, patient.birth_date), place=patient.birth_place,
        code=patient.codice_fiscale, reason=hit.description)


class DuplicateWarning(QDialog):
    """The matches and their reason; go back (the default) or save anyway."""

    def __init__(self, hits: tuple[DuplicateHit, ...], *, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits = hits
        self.setObjectName("duplicateWarning")
        self.setWindowTitle(_("Possible duplicate"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        intro = QLabel("<b>{}</b><br>{}".format(
            escape(_("This person may already be registered.")),
            escape(_("Check the patients below before going on: a second record for the "
                     "same person splits the history."))))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.matches = QListWidget()
        self.matches.setObjectName("duplicateList")
        for hit in hits:
            QListWidgetItem(describe(hit), self.matches)
        layout.addWidget(self.matches)
        buttons = QDialogButtonBox()
        self.back = buttons.addButton(_("Go back"), QDialogButtonBox.ButtonRole.RejectRole)
        self.anyway = buttons.addButton(_("Register anyway") if new else _("Save anyway"),
                                        QDialogButtonBox.ButtonRole.AcceptRole)
        self.anyway.setObjectName("saveAnyway")
        self.anyway.setAutoDefault(False)
        self.back.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.back.setFocus()

    def lines(self) -> list[str]:
        """The matches as listed."""
        return [self.matches.item(i).text() for i in range(self.matches.count())]
