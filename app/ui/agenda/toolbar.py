"""The agenda page's toolbar row and legend: widgets only, the page wires them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.core.i18n import _, language
from app.records.services.agenda_views import ClinicianView
from app.ui.agenda.formats import STATUS_COLOURS, STATUSES, status_label
from app.ui.qt import (
    QAction,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLocale,
    QPushButton,
    Qt,
    QToolButton,
    QWidget,
)


def _tool(text: str, tip: str, name: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setObjectName(name)
    button.setAutoRaise(False)
    return button


def ui_locale() -> QLocale:
    """Italian (or British English) month names and Monday-first calendars."""
    if language() == "it":
        return QLocale(QLocale.Language.Italian, QLocale.Country.Italy)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def date_field(day: date | None = None) -> QDateEdit:
    """A dd/mm/yyyy date field with a calendar in the UI language."""
    field = QDateEdit()
    field.setLocale(ui_locale())
    field.setCalendarPopup(True)
    field.setDisplayFormat("dd/MM/yyyy")
    if day is not None:
        field.setDate(qdate(day))
    return field


def page_action(page: QWidget, text: str, keys: str, slot: Callable[[], object]) -> QAction:
    """A command of a page: its shortcut works while the focus is in the page, and the
    main window may list it in a menu (where the shortcut is shown)."""
    action = QAction(text, page)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    page.addAction(action)
    return action


def qdate(day: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)


class AgendaToolbar(QWidget):
    """Date navigation, day or week, the week's clinician, cancelled toggle, search, print."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaToolbar")
        self.previous = _tool("\u25c0", _("Previous day or week (PgUp)"), "agendaPrevious")
        self.today = QPushButton(_("Today"))
        self.today.setObjectName("agendaToday")
        self.today.setToolTip(_("Today (Ctrl+Home)"))
        self.next = _tool("\u25b6", _("Next day or week (PgDown)"), "agendaNext")
        self.date = date_field()
        self.date.setObjectName("agendaDate")
        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        self.title.setStyleSheet("QLabel { font-weight: bold; padding: 0 8px; }")
        self.day_mode = _tool(_("Day"), _("One column per clinician (Ctrl+1)"), "agendaDayMode")
        self.week_mode = _tool(_("Week"), _("One clinician's week (Ctrl+2)"), "agendaWeekMode")
        self.modes = QButtonGroup(self)
        for mode in (self.day_mode, self.week_mode):
            mode.setCheckable(True)
            self.modes.addButton(mode)
        self.day_mode.setChecked(True)
        self.clinician = QComboBox()
        self.clinician.setObjectName("agendaClinician")
        self.clinician.setToolTip(_("Whose week is shown"))
        self.clinician.setMinimumContentsLength(18)
        self.show_cancelled = QCheckBox(_("Show cancelled"))
        self.show_cancelled.setObjectName("agendaShowCancelled")
        self.first_free = QPushButton(_("First free slot..."))
        self.first_free.setObjectName("agendaFirstFree")
        self.first_free.setToolTip(_("Find the first free slot (Ctrl+Shift+F)"))
        self.print_list = QPushButton(_("Print day list..."))
        self.print_list.setObjectName("agendaPrint")
        self.print_list.setToolTip(_("Print the day list (Ctrl+P)"))
        buttons: tuple[QPushButton, ...] = (self.today, self.first_free, self.print_list)
        for button in buttons:
            button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left: tuple[QWidget, ...] = (self.previous, self.today, self.next, self.date, self.title)
        for widget in left:
            layout.addWidget(widget)
        layout.addStretch(1)
        right: tuple[QWidget, ...] = (self.day_mode, self.week_mode, self.clinician,
                                      self.show_cancelled, self.first_free, self.print_list)
        for widget in right:
            layout.addWidget(widget)
        order: tuple[QWidget, ...] = (
            self.previous, self.today, self.next, self.date, self.day_mode, self.week_mode,
            self.clinician, self.show_cancelled, self.first_free, self.print_list)
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def chosen_clinician(self) -> str | None:
        """The id of the clinician chosen for the week view."""
        chosen = self.clinician.currentData()
        return chosen.id if isinstance(chosen, ClinicianView) else None

    def set_clinicians(self, clinicians: tuple[ClinicianView, ...], username: str) -> None:
        """Offer these clinicians, keeping the choice; a clinician sees their own first."""
        combo = self.clinician
        if [combo.itemData(n) for n in range(combo.count())] == list(clinicians):
            return
        current = self.chosen_clinician()
        if current is None:
            own = [c.id for c in clinicians if c.username == username]
            current = own[0] if own else None
        combo.clear()
        for clinician in clinicians:
            combo.addItem(clinician.full_name, clinician)
        index = next((n for n, c in enumerate(clinicians) if c.id == current), 0)
        combo.setCurrentIndex(index if clinicians else -1)

    def last_widget(self) -> QWidget:
        """The last widget in tab order (the grid comes after it)."""
        return self.print_list


def legend(clinical: bool, can_write: bool) -> QWidget:
    """The status colours, and the keys that act on the grid."""
    widget = QWidget()
    widget.setObjectName("agendaLegend")
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    for status in STATUSES:
        fill, border = STATUS_COLOURS[status]
        swatch = QLabel(status_label(status))
        swatch.setObjectName(f"legend-{status}")
        swatch.setStyleSheet(f"QLabel {{ background: {fill}; border: 1px solid {border}; "
                             f"border-left: 5px solid {border}; padding: 1px 6px; }}")
        layout.addWidget(swatch)
    layout.addStretch(1)
    if can_write:
        keys = _("Enter: book - Del: cancel - A: arrived - N: no-show - Ctrl+Up/Down: move")
        if clinical:
            keys += " - " + _("V: in visit - S: seen")
        hint = QLabel(keys)
        hint.setObjectName("agendaKeys")
        hint.setStyleSheet("QLabel { color: #5d6b75; }")
        layout.addWidget(hint)
    return widget
