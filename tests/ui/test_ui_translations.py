"""No English in the Italian interface: every window we have, built offscreen, read back.

Each builder in ``SCREENS`` opens windows the way a user reaches them (a real center,
real logins, Qt's own translations installed as the program installs them). The test
then reads every window the builder put on screen (tests/ui/visible_text.py) and fails
on a text left in English: an English msgid Italian translates differently (a missing
``_``, or a code shown raw), an English interface word, a number with a decimal point.

To cover a new screen, write a builder and add it to ``SCREENS``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core import i18n
from app.core.errors import CenterMissing
from app.records.services import Records
from app.records.services.inbox import IncomingMessage, IncomingResult
from app.ui.device_panel import DevicePanel
from app.ui.errors import BugReportDialog, bug_report
from app.ui.inbox_dialog import InboxDialog, ReasonDialog
from app.ui.language import QtTranslations
from app.ui.login import LoginWindow
from app.ui.main_window import MainWindow
from app.ui.ops import SyncExecutor
from app.ui.oximeter_view import OximeterView
from app.ui.qt import (
    QAction,
    QApplication,
    QDialogButtonBox,
    QLineEdit,
    Qt,
    QTextBrowser,
    QWidget,
)
from app.ui.shell import BusyPage, Shell, demo_hint
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import (
    UNTRANSLATED,
    english_numbers,
    english_words,
    named,
    plain,
    problems_in,
    visible_texts,
)

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Ui:
    """What a builder may use: the real shell and executor over a center of the module."""

    qtbot: object
    shell: Shell
    executor: SyncExecutor
    center: UiCenter
    log_in: Callable[[str], MainWindow]
    made: list[QWidget]

    def keep(self, *windows: QWidget) -> None:
        """Show windows that have no parent (and keep them alive until they are read)."""
        for window in windows:
            window.show()
            self.made.append(window)


# -- builders: one per screen (add new screens here) -----------------------------------
def first_run(ui: Ui) -> None:
    page = ui.shell.show_first_run(CenterMissing(path="/nowhere").user_message())
    page.create_button.click()  # the help text with the command


def login(ui: Ui) -> None:
    window = ui.shell.show_login(ui.center.root)
    ui.qtbot.keyClicks(window.username, "medico")
    ui.qtbot.keyClicks(window.password, "wrong password")
    ui.qtbot.keyClick(window.password, Qt.Key.Key_Return)
    ui.qtbot.waitUntil(window.message.isVisible)  # the error line, in words


def demo_login(ui: Ui) -> None:
    ui.keep(LoginWindow(ui.executor, ui.center.root, demo_hint()),
            BusyPage(i18n._("Preparing the demo center with synthetic patients...")))


def _open_patient(ui: Ui, window: MainWindow, text: str, shown: str) -> None:
    search = window.findChild(QLineEdit, "patientSearch")
    assert search is not None
    ui.qtbot.keyClicks(search, text)
    ui.qtbot.keyClick(search, Qt.Key.Key_Return)
    ui.qtbot.waitUntil(lambda: any(shown in b.toPlainText()
                                   for b in window.findChildren(QTextBrowser)))


def _action(window: QWidget, shortcut: str) -> QAction:
    found = [a for a in window.findChildren(QAction) if a.shortcut().toString() == shortcut]
    assert found, f"no action on {shortcut} in {named(window)}"
    return found[0]


def secretary(ui: Ui) -> None:
    window = ui.log_in("segreteria")
    _open_patient(ui, window, "rossi mario", "Milano")
    _action(window, "F6").trigger()  # the patient's demographics (contacts) dialog


def gp(ui: Ui) -> None:
    window = ui.log_in("medico")
    _open_patient(ui, window, "rossi mario", "Penicillina")
    _action(window, "F9").trigger()  # the results inbox


def nurse(ui: Ui) -> None:
    window = ui.log_in("infermiere")
    _open_patient(ui, window, "rossi mario", "Penicillina")


def admin(ui: Ui) -> None:
    window = ui.log_in("admin")
    _open_patient(ui, window, "rossi mario", "Milano")


def inbox_with_results(ui: Ui) -> None:
    window = ui.log_in("medico")
    dialog = InboxDialog(ui.executor, window)
    dialog.show()
    dialog.show_all.setChecked(True)
    ui.qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    dialog.table.selectAll()
    ReasonDialog(2, dialog).show()


def bug_report_dialog(ui: Ui) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        ui.keep(BugReportDialog(bug_report(exc)))


def devices(ui: Ui) -> None:
    panel = DevicePanel()
    panel.add_device("CMS50D+", "cms50", "/dev/ttyUSB0")
    panel.update_status("CMS50D+", "error", datetime(2026, 11, 25, 8, 0, tzinfo=UTC), "")

    class Silent:
        def latest_samples(self, seconds: float) -> list[object]:
            return []

    ui.keep(panel, OximeterView(Silent(), lambda: None))


def registration(ui: Ui) -> None:
    window = ui.log_in("segreteria")
    _action(window, "Ctrl+N").trigger()  # the empty registration form


def demographics_history(ui: Ui) -> None:
    window = ui.log_in("segreteria")
    _open_patient(ui, window, "rossi mario", "Milano")
    _action(window, "F6").trigger()  # the filled form
    window.menus.history.trigger()  # the history of the anagrafica


def agenda_dialogs(ui: Ui) -> None:
    from app.records.services.views import AppointmentView
    from app.ui.agenda.booking_dialog import BookingDialog
    from app.ui.agenda.cancel_dialog import CancelDialog

    window = ui.log_in("medico")
    page = window.pages["agenda"]
    page.find_first_free()
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    booking = BookingDialog(ui.executor, clinician=page.clinicians[0], day=at.date(),
                            start=9 * 60, minutes=15, visit_types=page.visit_types,
                            patient=None, clinical=True, parent=window)
    cancel = CancelDialog(AppointmentView("a", page.clinicians[0].id, None, at, at, "visita",
                                          "booked", None, patient_name="Rossi Mario"), window)
    booking.show()
    cancel.show()


SCREENS: tuple[Callable[[Ui], None], ...] = (
    first_run, login, demo_login, secretary, gp, nurse, admin, inbox_with_results,
    bug_report_dialog, devices, registration, demographics_history, agenda_dialogs,
)


# -- fixtures and tests ------------------------------------------------------------------
@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    """A center of this module: results in the inbox, a colleague awaiting the key."""
    built = build_center(tmp_path_factory.mktemp("translations") / "centro")
    admin_records = Records.open(built.root, "admin", built.password)
    try:
        admin_records.users.add("infermiere2", "Ada Sala", "nurse", built.password)
    finally:
        admin_records.close()
    gp_records = Records.open(built.root, "medico", built.password)
    try:
        luca = gp_records.patients.search("russo luca", 1)[0]
        results = (IncomingResult("4548-4", "HbA1c", 6.9, unit="%", abnormal="H",
                                  observed_at=datetime(2026, 11, 25, 8, 0, tzinfo=UTC)),
                   IncomingResult("2160-0", "Creatinina", 0.72, unit="mg/dL", abnormal="L"))
        gp_records.inbox.receive(IncomingMessage("astm", b"H|\\^&\rP|1||x\r", results,
                                                 patient_identifier=luca.codice_fiscale,
                                                 patient_name="RUSSO^LUCA"))
        gp_records.inbox.receive(IncomingMessage("astm", b"H|\\^&\rP|1||y\r", results[:1],
                                                 patient_identifier="LAB-0042",
                                                 patient_name="ESPOSITO^GENNARO"))
    finally:
        gp_records.close()
    return built


@pytest.fixture
def qt_italian(qapp: QApplication) -> Iterator[None]:
    """Qt's own words in Italian, as the program installs them."""
    translations = QtTranslations()
    translations.apply("it")
    yield
    translations.apply("en")  # removes the translator; the language fixture restores ours


def _windows_made_by(build: Callable[[Ui], None], ui: Ui) -> list[QWidget]:
    before = set(QApplication.topLevelWidgets())
    build(ui)
    ui.qtbot.wait(50)  # let queued updates (status bar, debounced searches) land
    # Windows on screen; a hidden parentless one (e.g. pyqtgraph's disabled plot menus)
    # cannot be reached by the user. Menus of our windows are read through their parents.
    return [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]


@pytest.mark.parametrize("build", SCREENS, ids=[b.__name__ for b in SCREENS])
def test_no_english_on_the_italian_screens(build, qtbot, shell, executor, center, logged_in,
                                           qt_italian, errors):
    ui = Ui(qtbot, shell, executor, center, logged_in, [])
    windows = _windows_made_by(build, ui)
    try:
        assert windows, f"{build.__name__} made no window"
        problems = problems_in(windows)
        assert not problems, f"{len(problems)} English text(s):\n" + "\n".join(problems)
        assert errors.errors == []
    finally:
        for window in windows:
            if window is not shell.window:
                window.close()
                window.deleteLater()


def test_roles_are_named_in_english_too(qtbot, shell, center, logged_in, monkeypatch):
    """The English UI names roles ("GP"), never by their codes ("gp")."""
    monkeypatch.setattr(i18n, "_current", "en")
    before = set(QApplication.topLevelWidgets())
    logged_in("medico")  # the title names the role; the notices name colleagues' roles
    qtbot.wait(50)
    windows = [w for w in QApplication.topLevelWidgets() if w not in before]
    codes = {"gp", "nurse", "secretary"}  # "admin" is also a user name
    shown = sorted({f"{named(w)} > {where}: {text!r}" for w in windows
                    for where, text in visible_texts(w)
                    if codes & set(re.findall(r"[a-z]+", text))})
    assert not shown, "role codes shown to people:\n" + "\n".join(shown)


# -- the checker itself, and Qt's own words -----------------------------------------------
def test_the_checker_finds_untranslated_msgids_and_english_words():
    assert UNTRANSLATED.find("Allergies and intolerances") == "Allergies and intolerances"
    assert UNTRANSLATED.find("Penicillina · allergy · alta") == "allergy"
    assert UNTRANSLATED.find("12 patients") == "12 patients"  # "{count} patients"
    assert UNTRANSLATED.find("Allergie e intolleranze") is None
    assert UNTRANSLATED.find("Codice fiscale") is None  # Italian in both languages
    assert UNTRANSLATED.find("nata il 02/02/1947") is None
    assert english_words("Penicillina · orticaria · high") == ["high"]
    assert english_words("Salva e chiudi") == []
    assert english_words("Centro: /tmp/centers/of/the/practice") == []
    assert english_numbers("Creatinina 0.72 mg/dL, 1.234 UI, 0,72") == ["0.72"]
    assert english_numbers("ICD-9-CM 401.9 · 10.0.0.1 · v6.11 · 12/03/1950 09:30") == []
    assert plain("<b>Sa&ve</b>\tCtrl+S") == "Save"
    assert plain("Apri <code>medirete-admin center init</code>") == "Apri"


def _qt_standard_texts() -> list[str]:
    field = QLineEdit()
    texts = [plain(a.text()) for a in field.createStandardContextMenu().actions()]
    browser = QTextBrowser()
    texts += [plain(a.text()) for a in browser.createStandardContextMenu().actions()]
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No | QDialogButtonBox.StandardButton.Help)
    texts += [plain(b.text()) for b in buttons.buttons()]
    return [t for t in texts if t]


def test_qt_standard_texts_are_italian(qt_italian):
    """Context menus of text fields and standard buttons come from Qt's qtbase_it.qm."""
    texts = _qt_standard_texts()
    assert "Annulla" in texts and "Copia" in texts
    english = {t: english_words(t) for t in texts if english_words(t)}
    assert not english, f"Qt's own words left in English: {english}"


def test_without_the_translator_qt_speaks_english():
    """The check above is not vacuous: with no translator the same texts are English."""
    assert "Cancel" in _qt_standard_texts()


def _applies_qt_translations(path: Path) -> bool:
    """Whether ``path`` builds QtTranslations or calls ``<...>.translations.apply(...)``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id == "QtTranslations":
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "apply" and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "translations"):
            return True
    return False


def test_the_program_applies_qts_translations_at_start():
    """app/ui/main.py applies Qt's translations, so a real start shows Qt's words in Italian."""
    assert _applies_qt_translations(REPO / "app" / "ui" / "main.py")
    assert not _applies_qt_translations(REPO / "app" / "ui" / "errors.py")  # the check bites
