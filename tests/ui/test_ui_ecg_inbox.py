"""ECGs in the results inbox and in the chart: a lead-II thumbnail on the row, the viewer
before accepting, and after accepting from the journal and the entry's detail."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date

import pytest

from app.devices.ecg import read_ecg, to_device_message
from app.devices.inbox_bridge import to_incoming
from app.records.services import Records
from app.records.services.inbox import IncomingMessage, IncomingResult
from app.ui.chart.entry_detail import EntryDetailDialog
from app.ui.chart.journal import DESCRIPTION, JournalView
from app.ui.ecg import EcgDialog, EcgUnreadable
from app.ui.inbox_dialog import TEST_COLUMN, InboxDialog, show_inbox
from app.ui.language import QtTranslations
from app.ui.operations import Login
from app.ui.qt import QApplication, QPixmap, QPushButton, Qt
from app.ui.shell_ops import OpenPatient, PatientContext
from tests.devices.scp_writer import ScpSpec, synthetic_ecg, write_scp
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import problems_in

EIGHT = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    return build_center(tmp_path_factory.mktemp("ecg-inbox") / "centro")


@pytest.fixture
def gp(qtbot, tmp_path, executor, template) -> Records:
    root = shutil.copytree(template.root, tmp_path / "centro")
    sessions: list[object] = []
    executor.run(Login(root, "medico", template.password), sessions.append)
    assert sessions
    return executor.backend.require()


@pytest.fixture
def qt_italian(qapp: QApplication) -> Iterator[None]:
    translations = QtTranslations()
    translations.apply("it")
    yield
    translations.apply("en")


@pytest.fixture
def luca(gp) -> tuple[str, str]:
    """Luca Russo's id and codice fiscale; an SCP-ECG (Huffman) naming him has arrived."""
    patient = gp.patients.search("russo luca", 1)[0]
    data = write_scp(ScpSpec(leads=synthetic_ecg(names=EIGHT), huffman=True, difference=2,
                             patient_id=patient.codice_fiscale, last_name="Russo",
                             first_name="Luca", measurements={"vent_rate": 75},
                             statements=["Ritmo sinusale"]))
    gp.inbox.receive(to_incoming(to_device_message(read_ecg(data, "ecg.scp"))))
    gp.inbox.receive(IncomingMessage("astm", b"H|\\^&\r", (IncomingResult(
        "4548-4", "HbA1c", 6.9, unit="%"),), patient_identifier=patient.codice_fiscale))
    return patient.id, patient.codice_fiscale


def _inbox(qtbot, executor) -> InboxDialog:
    dialog = show_inbox(executor, None)
    qtbot.addWidget(dialog)
    return dialog


def _row(dialog: InboxDialog, code: str) -> int:
    return next(i for i, r in enumerate(dialog.model.rows) if r.item.code == code)


def _select(qtbot, dialog: InboxDialog, row: int) -> None:
    dialog.table.clearSelection()
    dialog.table.selectRow(row)


def test_an_ecg_row_shows_a_thumbnail_and_opens_before_accepting(qtbot, executor, luca,
                                                                  errors, qt_italian):
    dialog = _inbox(qtbot, executor)
    model = dialog.model
    ecg_row, hba1c_row = _row(dialog, "ECG12"), _row(dialog, "4548-4")
    picture = model.data(model.index(ecg_row, TEST_COLUMN), Qt.ItemDataRole.DecorationRole)
    assert isinstance(picture, QPixmap) and not picture.isNull()
    assert (picture.width(), picture.height()) == (72, 18)
    assert model.data(model.index(hba1c_row, TEST_COLUMN),
                      Qt.ItemDataRole.DecorationRole) is None
    _select(qtbot, dialog, hba1c_row)
    assert not dialog.ecg_button.isEnabled()
    _select(qtbot, dialog, ecg_row)
    assert dialog.ecg_button.isEnabled()
    assert all(r.item.state == "pending" for r in dialog.selected())
    qtbot.mouseClick(dialog.ecg_button, Qt.MouseButton.LeftButton)
    viewer = dialog.ecg.viewer
    assert isinstance(viewer, EcgDialog) and viewer.isVisible()
    assert len(viewer.recording.leads) == 12
    assert viewer.recording.derived == {"III", "aVR", "aVL", "aVF"}
    assert viewer.heading.codice_fiscale == luca[1]
    assert viewer.windowTitle().startswith("Tracciato ECG - SCP-ECG ")
    assert errors.errors == []
    assert problems_in([dialog, viewer]) == []
    viewer.close()


def test_a_double_click_on_an_ecg_opens_it(qtbot, executor, luca):
    dialog = _inbox(qtbot, executor)
    row = _row(dialog, "ECG12")
    _select(qtbot, dialog, row)
    rect = dialog.table.visualRect(dialog.model.index(row, 1))
    # Qt emits doubleClicked only on the index the first click pressed.
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.ecg.viewer is not None and dialog.ecg.viewer.isVisible()
    dialog.ecg.viewer.close()


def test_an_unreadable_ecg_has_no_thumbnail_and_says_why(qtbot, executor, gp, errors,
                                                         qt_italian):
    gp.inbox.receive(IncomingMessage("scp-ecg", b"not an ECG at all", (IncomingResult(
        "ECG12", "ECG 12 derivazioni", 60.0, unit="/min", code_system="local:ecg"),)))
    dialog = _inbox(qtbot, executor)
    row = _row(dialog, "ECG12")
    assert dialog.model.data(dialog.model.index(row, TEST_COLUMN),
                             Qt.ItemDataRole.DecorationRole) is None
    _select(qtbot, dialog, row)
    dialog.view_ecg()
    assert dialog.ecg.viewer is None
    assert len(errors.errors) == 1 and isinstance(errors.errors[0], EcgUnreadable)
    assert errors.errors[0].user_message("it").startswith("Impossibile mostrare l'ECG: ")


def test_an_accepted_ecg_is_in_the_journal_with_its_thumbnail_and_viewer(
        qtbot, executor, gp, luca, errors, qt_italian):
    patient_id, codice_fiscale = luca
    ids = [i.id for i in gp.inbox.items("pending") if i.driver == "scp-ecg"]
    gp.inbox.accept(ids)
    found: list[PatientContext] = []
    executor.run(OpenPatient(patient_id, clinical=True), found.append)
    chart = found[0].record
    journal = JournalView(executor)
    qtbot.addWidget(journal)
    journal.show_chart(chart, found[0].staff, today=date(2026, 3, 2))
    journal.resize(1200, 600)
    journal.show()
    model = journal.model
    row = next(i for i in range(model.rowCount())
               if model.row(i).entry.kind == "device_recording")
    picture = model.data(model.index(row, DESCRIPTION), Qt.ItemDataRole.DecorationRole)
    assert isinstance(picture, QPixmap) and not picture.isNull()
    others = [model.data(model.index(i, DESCRIPTION), Qt.ItemDataRole.DecorationRole)
              for i in range(model.rowCount()) if i != row]
    assert others and all(p is None for p in others)
    journal.table.setFocus()
    journal.table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(journal.table, Qt.Key.Key_Return)
    detail = journal.detail
    assert isinstance(detail, EntryDetailDialog) and detail.ecg is not None
    qtbot.waitUntil(detail.isVisible)
    assert not detail.ecg.picture.pixmap().isNull()
    button = detail.findChild(QPushButton, "entryOpenEcg")
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    viewer = detail.ecg.viewer
    assert isinstance(viewer, EcgDialog) and viewer.isVisible()
    assert viewer.heading.patient == "Russo Luca"
    assert viewer.heading.codice_fiscale == codice_fiscale
    assert viewer.recording.measurements.heart_rate_bpm == 75
    assert errors.errors == []
    assert problems_in([journal, detail, viewer]) == []
    viewer.close()
    detail.close()
