"""The results inbox: a GP sees what the devices sent, accepts, rejects and re-matches."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from app.core.i18n import _
from app.records.services import Records
from app.records.services.inbox import IncomingMessage, IncomingResult
from app.ui.inbox_dialog import InboxDialog, PatientPickerDialog, ReasonDialog, show_inbox
from app.ui.inbox_ops import InboxList, readable
from app.ui.operations import Login
from app.ui.qt import QItemSelectionModel, Qt
from tests.ui.conftest import UiCenter, build_center

# An ASTM session as the analyzer sends it, framing characters and all.
MATCHED_RAW = (b"\x05\x021H|\\^&|||HbA1c-Analyzer\r\x0312\r\n\x02"
               b"2P|1||{cf}||RUSSO^LUCA\r\x0334\r\n\x04")
UNMATCHED_RAW = b"\x05\x021H|\\^&\r2P|1||LAB-0042||ESPOSITO^GENNARO\r\x03AB\r\n\x04"
HBA1C = IncomingResult("4548-4", "HbA1c", 6.9, unit="%", abnormal="H",
                       observed_at=datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
GLUCOSE = IncomingResult("2345-7", "Glucosio", 104.0, unit="mg/dL")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    """A center built once; each test works on a copy (the shared one stays untouched)."""
    return build_center(tmp_path_factory.mktemp("inbox") / "centro")


@pytest.fixture
def gp(qtbot, tmp_path, executor, template) -> Records:
    """A GP logged in to a center of its own (the inbox and the charts start empty)."""
    root = shutil.copytree(template.root, tmp_path / "centro")
    sessions: list[object] = []
    executor.run(Login(root, "medico", template.password), sessions.append)
    assert sessions
    return executor.backend.require()


def _cf(records: Records, name: str) -> tuple[str, str]:
    patient = records.patients.search(name, 1)[0]
    return patient.id, patient.codice_fiscale


@pytest.fixture
def received(gp) -> dict[str, str]:
    """Two messages: one carries Luca Russo's codice fiscale, one names nobody we know."""
    luca_id, luca_cf = _cf(gp, "russo luca")
    gp.inbox.receive(IncomingMessage("astm", MATCHED_RAW.replace(b"{cf}", luca_cf.encode()),
                                     (HBA1C,), patient_identifier=luca_cf,
                                     patient_name="RUSSO^LUCA"))
    gp.inbox.receive(IncomingMessage("astm", UNMATCHED_RAW, (GLUCOSE,),
                                     patient_identifier="LAB-0042",
                                     patient_name="ESPOSITO^GENNARO"))
    return {"luca_id": luca_id, "luca_cf": luca_cf}


def _dialog(qtbot, executor) -> InboxDialog:
    dialog = show_inbox(executor, None)
    qtbot.addWidget(dialog)
    return dialog


def _cells(dialog: InboxDialog, row: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def _select(dialog: InboxDialog, *rows: int) -> None:
    selection = dialog.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(dialog.model.index(row, 0), flags)


def _row_of(dialog: InboxDialog, code: str) -> int:
    return next(n for n, r in enumerate(dialog.model.rows) if r.item.code == code)


def test_the_inbox_lists_what_arrived_newest_first(qtbot, executor, received, errors):
    dialog = _dialog(qtbot, executor)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.model.rowCount() == 2
    unmatched, matched = _cells(dialog, 0), _cells(dialog, 1)  # newest message first
    assert unmatched[1:5] == ["astm", "ESPOSITO GENNARO (LAB-0042)", _("to be matched"), ""]
    assert unmatched[5:] == ["Glucosio (2345-7)", "104 mg/dL", "", _("to review")]
    cf = received["luca_cf"]
    assert matched[2:5] == [f"RUSSO LUCA ({cf})", f"Russo Luca ({cf})", _("codice fiscale")]
    assert matched[5:] == ["HbA1c (4548-4)", "6,9%", _("high"), _("to review")]
    assert datetime.strptime(matched[0], "%d/%m/%Y %H:%M")  # local time, Italian order
    assert not dialog.accept_button.isEnabled()  # nothing selected: nothing to accept
    assert errors.errors == []


def test_accepting_files_the_result_in_the_matched_chart(qtbot, executor, gp, received,
                                                         errors):
    dialog = _dialog(qtbot, executor)
    row = _row_of(dialog, "4548-4")
    _select(dialog, row)
    assert dialog.accept_button.isEnabled()
    assert received["luca_cf"] in dialog.summary.text() and "Russo Luca" in dialog.summary.text()
    assert dialog.summary.text().startswith(_("1 result selected for {patient}").split("{")[0])
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter never accepts anything
    assert len(gp.inbox.items("pending")) == 2

    dialog.accept_button.click()

    observations = gp.chart.open(received["luca_id"]).of("observation")
    assert [(o.fields["code"], o.fields["value_num"], o.fields["source"])
            for o in observations] == [("4548-4", 6.9, "device")]
    assert [r.item.code for r in dialog.model.rows] == ["2345-7"]  # pending only
    assert "Russo Luca" in dialog.status.text()
    assert not dialog.table.selectionModel().hasSelection()  # never carried to other rows
    dialog.show_all.setChecked(True)
    assert _cells(dialog, _row_of(dialog, "4548-4"))[8] == _("accepted")
    assert errors.errors == []


def test_the_shortcuts_are_explicit_and_no_button_is_a_default(qtbot, executor, received):
    dialog = _dialog(qtbot, executor)
    shortcuts = {b.shortcut().toString(): b for b in
                 (dialog.accept_button, dialog.reject_button, dialog.match_button,
                  dialog.raw_button)}
    assert list(shortcuts) == ["Alt+A", "Alt+R", "Alt+M", "Alt+V"]
    assert not any(b.autoDefault() or b.isDefault() for b in shortcuts.values())


def test_unmatched_or_mixed_results_cannot_be_accepted(qtbot, executor, gp, received, errors):
    dialog = _dialog(qtbot, executor)
    _select(dialog, _row_of(dialog, "2345-7"))
    assert not dialog.accept_button.isEnabled()
    assert dialog.summary.text() == _("Match the results to a patient first (Alt+M).")
    dialog.accept_selected()  # the shortcut would land here: still nothing happens
    assert len(gp.inbox.items("pending")) == 2
    _select(dialog, 0, 1)
    assert not dialog.accept_button.isEnabled() and not dialog.match_button.isEnabled()
    assert dialog.reject_button.isEnabled()
    assert errors.errors == []


def test_rejecting_needs_a_reason(qtbot, executor, gp, received, errors):
    dialog = _dialog(qtbot, executor)
    _select(dialog, _row_of(dialog, "2345-7"))
    dialog.reject_selected()
    reason = dialog.reason_dialog
    assert isinstance(reason, ReasonDialog) and reason.isVisible()
    assert not reason.ok.isEnabled()
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)  # empty: refused, still open
    assert reason.isVisible()
    qtbot.keyClicks(reason.reason, "paziente non del centro")
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)

    assert not reason.isVisible()
    assert [r.item.code for r in dialog.model.rows] == ["4548-4"]
    rejected = gp.inbox.items("rejected")
    assert [(r.code, r.reason) for r in rejected] == [("2345-7", "paziente non del centro")]
    dialog.show_all.setChecked(True)
    state = _cells(dialog, _row_of(dialog, "2345-7"))[8]
    assert state == _("rejected: {reason}").format(reason="paziente non del centro")
    assert errors.errors == []


def test_rematching_gives_the_message_to_the_chosen_patient(qtbot, executor, gp, received,
                                                           errors):
    dialog = _dialog(qtbot, executor)
    _select(dialog, _row_of(dialog, "2345-7"))
    dialog.match_selected()
    picker = dialog.picker
    assert isinstance(picker, PatientPickerDialog) and picker.isVisible()
    qtbot.keyClicks(picker.search, "bianchi")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    assert not picker.isVisible()
    giulia_id, giulia_cf = _cf(gp, "bianchi giulia")
    row = _row_of(dialog, "2345-7")
    assert _cells(dialog, row)[3:5] == [f"Bianchi Giulia ({giulia_cf})", _("by hand")]
    assert dialog.model.rows[row].item.patient_id == giulia_id
    _select(dialog, row)
    assert dialog.accept_button.isEnabled()  # matched now: it can be accepted
    assert errors.errors == []


def test_the_raw_view_shows_the_framing_characters(qtbot, executor, received, errors):
    dialog = _dialog(qtbot, executor)
    _select(dialog, _row_of(dialog, "2345-7"))
    dialog.view_raw()
    text = dialog.raw_dialog.text.toPlainText()
    assert text.startswith("<ENQ><STX>1H|\\^&<CR>\n2P|1||LAB-0042||ESPOSITO^GENNARO<CR>")
    assert text.endswith("<ETX>AB<CR><LF>\n<EOT>")
    assert dialog.raw_dialog.text.isReadOnly()
    assert errors.errors == []


def test_readable_names_controls_and_escapes_other_bytes():
    assert readable(b"\x06\x15\x17\x7f") == "<ACK><NAK><ETB><DEL>"
    assert readable("Niccolò".encode()) == "Niccolò"  # UTF-8 stays readable
    assert readable(b"Nicol\xf2\xff|\x00") == "Nicol\\xF2\\xFF|<NUL>"  # Latin-1: escaped
    assert readable(b"a\rb\r\nc") == "a<CR>\nb<CR><LF>\nc"


def test_a_message_arriving_meanwhile_shows_up(qtbot, executor, received):
    dialog = _dialog(qtbot, executor)
    _select(dialog, _row_of(dialog, "4548-4"))

    def arrive(backend) -> str:  # a device listener writes like this
        return backend.require().inbox.receive(IncomingMessage("cms50", b"spot", (GLUCOSE,)))

    executor.run(arrive, lambda _id: None)
    assert dialog.model.rowCount() == 3
    selected = dialog.selected()
    assert [r.item.code for r in selected] == ["4548-4"]  # the selection followed its row


def test_a_late_answer_to_an_older_request_is_dropped(qtbot, executor, received):
    dialog = _dialog(qtbot, executor)
    dialog.reload()
    dialog._on_list(dialog._ticket - 1, InboxList(None, ()))  # the older request, late
    assert dialog.model.rowCount() == 2
    assert "ListInbox" in executor.history
