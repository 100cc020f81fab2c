"""Settling a demographics conflict from the sync panel (app/ui/sync_resolve.py), on a
real paired center with conflicts made by real concurrent edits (test_ui_sync.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.services import Records
from app.sync.replica import Replica
from app.ui.qt import QApplication, QDialogButtonBox, QRadioButton, QTimer
from app.ui.sync_resolve import ResolveDialog
from tests.ui.conftest import PASSWORD
from tests.ui.test_ui_sync import WAIT_MS, Pair, _conflicts, action, log_in, make_pair
from tests.ui.visible_text import problems_in


def _row(panel, label: str) -> int:
    return next(i for i, row in enumerate(panel.conflicts.rows) if row[1] == label)


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pair:
    return make_pair(tmp_path, monkeypatch)


@pytest.mark.parametrize(("user", "listed"), [("medico", 2), ("segreteria", 1)])
def test_a_user_picks_the_other_value_and_the_conflict_is_settled(qtbot, shell, pair, errors,
                                                                   user, listed):
    """A GP, or the secretary (who never sees the clinical conflict)."""
    mario = _conflicts(pair)
    window = log_in(qtbot, shell, pair.center.root, user)
    action(window, "sync.panel").trigger()
    panel = window.sync.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.conflicts == listed,
                    timeout=WAIT_MS)
    assert panel.resolve_button.text() == "Risolvi…" and not panel.resolve_button.isEnabled()
    if user == "medico":
        panel.conflict_table.selectRow(_row(panel, "Due correzioni della stessa voce"))
        assert not panel.resolve_button.isEnabled()  # settled in the chart, not here
    panel.conflict_table.selectRow(_row(panel, "Dati anagrafici modificati su due postazioni"))
    assert panel.resolve_button.isEnabled()
    seen: list[str] = []

    def choose_the_other_value() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ResolveDialog):
            return  # not open yet
        watch.stop()
        seen.extend(problems_in([dialog]))
        other = dialog.findChild(QRadioButton, "resolve_phone_other")
        kept = dialog.findChild(QRadioButton, "resolve_phone_kept")
        assert kept.isChecked() and kept.text() == "tenuto: 0382 111111"
        assert other.text() == "dell'altra postazione: 0382 222222"
        other.click()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    watch = QTimer()
    watch.setInterval(20)
    watch.timeout.connect(choose_the_other_value)
    watch.start()
    panel.resolve_button.click()
    qtbot.waitUntil(lambda: bool(errors.errors) or panel.view.conflicts == listed - 1,
                    timeout=WAIT_MS)
    assert errors.errors == [] and seen == []
    assert "Dati anagrafici modificati su due postazioni" not in [
        row[1] for row in panel.conflicts.rows]
    assert "Conflitto risolto" in [row[1] for row in panel.journal.rows]
    records = Records.open(pair.center.root, "medico", PASSWORD)
    try:
        assert records.patients.get(mario).fields["phone"] == "0382 222222"
        assert Replica(records, "studio-1").status().conflicts == 1
    finally:
        records.close()

