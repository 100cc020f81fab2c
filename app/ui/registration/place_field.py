"""The birthplace: a comune or foreign state picked from a list, its province filled in."""

from __future__ import annotations

from app.core.i18n import _
from app.records import places_it
from app.records.search_keys import search_key
from app.ui.qt import (
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QStringListModel,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

SHOWN = 15  # rows of the completer


class BirthplaceField(QWidget):
    """Type a few letters, pick "Milano (MI)": the place, its province and Belfiore code."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("birthPlace")
        self.edit.setPlaceholderText(_("Comune or foreign state"))
        self.province = QLineEdit()
        self.province.setObjectName("birthProvince")
        self.province.setReadOnly(True)
        self.province.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.province.setMaximumWidth(56)
        self.province.setToolTip(_("Province (EE: abroad), filled in from the place"))
        self.suppressed = QCheckBox(_("Suppressed comuni too"))
        self.suppressed.setObjectName("suppressedPlaces")
        self.suppressed.setToolTip(_("Comuni that no longer exist, for people born there"))
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(SHOWN)
        self.edit.setCompleter(self.completer)
        self._offered: dict[str, places_it.Place] = {}
        self.place: places_it.Place | None = None
        self.edit.textEdited.connect(self._on_edited)
        # The completer writes the chosen row ("Milano (MI)") into the field, on activation
        # or while the user moves through the list: the field keeps the name only.
        self.edit.textChanged.connect(self._on_chosen)
        self.completer.activated.connect(self._on_chosen)
        self.suppressed.toggled.connect(lambda _on: self._offer(self.edit.text()))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.province)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.suppressed)

    def _offer(self, text: str) -> list[places_it.Place]:
        places = places_it.search(text, SHOWN, suppressed=self.suppressed.isChecked())
        self._offered = {p.label: p for p in places}
        self._model.setStringList(list(self._offered))
        return places

    def _on_edited(self, text: str) -> None:
        places = self._offer(text)
        key = search_key(text)
        exact = [p for p in places if search_key(p.name) == key]
        self._set(exact[0] if len(exact) == 1 else None)
        if places and self.edit.hasFocus():
            self.completer.complete()

    def _on_chosen(self, chosen: object) -> None:
        label = chosen if isinstance(chosen, str) else getattr(chosen, "data", lambda: "")()
        place = self._offered.get(str(label))
        if place is not None:
            self._set(place)
            if self.edit.text() == label:
                self.edit.setText(place.name)

    def _set(self, place: places_it.Place | None) -> None:
        self.place = place
        self.province.setText(place.province if place else "")
        self.changed.emit()

    def choose(self, place: places_it.Place) -> None:
        """Set the place as if picked from the list."""
        self.edit.setText(place.name)
        self._set(place)

    def load(self, name: str, code: str | None, province: str | None) -> None:
        """Show a stored birthplace (its name as stored, the place by its code)."""
        place = places_it.by_code(code) if code else None
        self.edit.setText(name)
        self.place = place
        self.province.setText(province or (place.province if place else ""))

    def name(self) -> str:
        """The place as typed or picked."""
        return " ".join(self.edit.text().split())

    def province_code(self) -> str | None:
        """"MI", "EE", or None when not known."""
        return self.province.text() or None
