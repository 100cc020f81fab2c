"""A patient search field that searches as the user types (pickers and the inbox's re-match)."""

from __future__ import annotations

from collections.abc import Callable

from app.core.i18n import _
from app.ui.qt import QLineEdit, QObject, QTimer

# A search costs a few ms even at 200,000 patients: each keystroke searches, and a zero
# timer only merges keys that arrive in one burst (ADR 0015). Stale answers are dropped
# by the owner, which compares the answer's text with the field's.
SEARCH_DELAY_MS = 0


def patient_search_field(owner: QObject, name: str,
                         on_search: Callable[[], None]) -> tuple[QLineEdit, QTimer]:
    """The field (its key events filtered by ``owner``) and the timer that starts a search."""
    field = QLineEdit()
    field.setObjectName(name)
    field.setPlaceholderText(_("Surname [given name] or codice fiscale"))
    field.installEventFilter(owner)
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(on_search)
    field.textChanged.connect(timer.start)
    return field, timer
