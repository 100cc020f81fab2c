"""Repeating chronic therapies (with their safety warnings) and stopping therapies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import MedireteError
from app.core.i18n import _
from app.records.services.views import EntryView
from app.ui.chart.prescribe import ERROR_STYLE, check_failed_message
from app.ui.chart.prescribe_fields import esenzione_combo
from app.ui.chart.safety_panel import SafetyPanel
from app.ui.chart.therapy_ops import (
    CheckSafety,
    DrugToCheck,
    DrugWarnings,
    RepeatTherapies,
    StopTherapies,
)
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)

MAX_PACKS = 6  # per prescription (the records layer refuses more)
AS_LAST_PACKS = 0  # the spin box's special value: as the therapy's last prescription
AS_LAST = "as-last"  # the exemption combo's first choice


def _therapy_line(m: EntryView) -> str:
    f = m.fields
    return "\u2022 " + " · ".join(str(p) for p in (f.get("name"), f.get("dosage"),
                                                   f.get("frequency")) if p)


class _TherapyDialog(QDialog):
    """What both dialogs share: the therapies named, an error line, OK and Cancel."""

    def __init__(self, executor: RunsOperations, therapies: Sequence[EntryView], title: str,
                 ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.therapies = tuple(therapies)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.names = QLabel("\n".join(_therapy_line(m) for m in self.therapies))
        self.names.setObjectName("therapyNames")
        self.names.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("therapyError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)
            return
        self.error.setText(exc.user_message())
        self.error.show()


@dataclass(frozen=True)
class LastPrescription:
    """What the last ricetta of a therapy carried: packs and exemption (still valid)."""

    packs: int
    esenzione: str | None


def last_prescriptions(prescriptions: Sequence[EntryView], valid_codes: set[str]
                       ) -> dict[str, LastPrescription]:
    """By therapy lineage, its newest prescription's packs and exemption (an exemption
    no longer valid today is dropped: the repeat is then not exempt)."""
    found: dict[str, LastPrescription] = {}
    newest = sorted(prescriptions, key=lambda p: p.fields.get("issued_at") or p.recorded_at,
                    reverse=True)
    for p in newest:
        lineage = p.fields.get("medication_id")
        if lineage and lineage not in found:
            code = p.fields.get("esenzione_code")
            found[lineage] = LastPrescription(int(p.fields.get("quantity") or 1),
                                              code if code in valid_codes else None)
    return found


class RepeatDialog(_TherapyDialog):
    """Repeat therapies in one action: as their last prescription (packs, exemption) or
    as chosen here, with the safety warnings of each drug."""

    repeated = Signal(object)  # tuple of the new prescriptions' ids

    def __init__(self, executor: RunsOperations, patient_id: str,
                 therapies: Sequence[EntryView], esenzioni: Sequence[EntryView],
                 parent: QWidget | None = None, *,
                 last: Mapping[str, LastPrescription] | None = None) -> None:
        count = len(therapies)
        ok_text = (_("Prepare the prescription") if count == 1
                   else _("Prepare {n} prescriptions").format(n=count))
        super().__init__(executor, therapies, _("Repeat therapy"), ok_text, parent)
        self.setObjectName("repeatTherapy")
        self.patient_id = patient_id
        self.last = dict(last or {})
        self._checked = False
        self._ok_waiting = False
        self._warned = False
        self.packs = QSpinBox()
        self.packs.setObjectName("repeatPacks")
        self.packs.setRange(AS_LAST_PACKS, MAX_PACKS)
        self.packs.setSpecialValueText(_("as the last prescription"))
        self.esenzione = esenzione_combo(esenzioni)
        self.esenzione.insertItem(0, _("as the last prescription"), AS_LAST)
        self.esenzione.setCurrentIndex(0)
        self.packs.valueChanged.connect(lambda _n: self._show_plan())
        self.esenzione.currentIndexChanged.connect(lambda _i: self._show_plan())
        self.safety = SafetyPanel(executor, patient_id, self)
        form = QFormLayout()
        form.addRow(_("Packs for each medicine"), self.packs)
        form.addRow(_("Exemption"), self.esenzione)
        layout = QVBoxLayout(self)
        layout.addWidget(self.names)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.safety)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._show_plan()
        self.ok.setFocus()
        drugs = tuple(DrugToCheck(str(m.fields.get("atc_code") or ""),
                                  str(m.fields.get("name") or ""), m.lineage_id)
                      for m in self.therapies)
        executor.run(CheckSafety(patient_id, drugs), self._on_checked, self._on_check_failed)

    def plan(self) -> list[tuple[EntryView, int, str | None]]:
        """Each therapy with the packs and the exemption its prescription will carry."""
        chosen_packs = self.packs.value()
        chosen_code = self.esenzione.currentData()
        rows = []
        for m in self.therapies:
            last = self.last.get(m.lineage_id, LastPrescription(1, None))
            packs = last.packs if chosen_packs == AS_LAST_PACKS else chosen_packs
            code = last.esenzione if chosen_code == AS_LAST else chosen_code
            rows.append((m, packs, code))
        return rows

    def _show_plan(self) -> None:
        lines = []
        for m, packs, code in self.plan():
            exemption = (_("exemption {code}").format(code=code) if code
                         else _("Not exempt").lower())
            lines.append(_therapy_line(m) + " \u2014 " + _("{n} pack(s)").format(n=packs)
                         + ", " + exemption)
        self.names.setText("\n".join(lines))

    def _on_checked(self, found: tuple[DrugWarnings, ...]) -> None:
        self._checked = True
        self.safety.show_warnings(found)
        if self._ok_waiting:
            self._ok_waiting = False
            self.accept()

    def _on_check_failed(self, exc: BaseException) -> None:
        """No check must stop a repeat: say the checks did not run, let OK work."""
        self._checked = True
        self._ok_waiting = False
        self.error.setText(check_failed_message(exc))
        self.error.show()
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)

    def accept(self) -> None:
        """OK: prepare one prescription per therapy (unseen warnings come forward first)."""
        if not self._checked:
            self._ok_waiting = True
            return
        if self.safety.pending and not self._warned:
            self._warned = True
            self.safety.draw_attention()
            return
        self.ok.setEnabled(False)
        groups: dict[tuple[int, str | None], list[str]] = {}
        for m, packs, code in self.plan():
            groups.setdefault((packs, code), []).append(m.id)
        op = RepeatTherapies(tuple((packs, code, tuple(ids))
                                   for (packs, code), ids in groups.items()))
        self._executor.run(op, self._on_done, self._failed, initiator=self)

    def _on_done(self, ids: tuple[str, ...]) -> None:
        self.repeated.emit(ids)
        super().accept()


class StopTherapyDialog(_TherapyDialog):
    """Stop therapies: the reason is required (it stays in the therapy's history)."""

    stopped = Signal(object)  # tuple of the stopped therapies' lineage ids

    def __init__(self, executor: RunsOperations, therapies: Sequence[EntryView],
                 parent: QWidget | None = None) -> None:
        super().__init__(executor, therapies, _("Stop therapy"), _("Stop therapy"), parent)
        self.setObjectName("stopTherapy")
        self.reason = QLineEdit()
        self.reason.setObjectName("stopReason")
        self.reason.setPlaceholderText(_("e.g. side effects, target reached, replaced"))
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.names)
        layout.addWidget(QLabel(_("Why is it stopped? (required)")))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def accept(self) -> None:
        """OK (or Enter): stop with the reason; an empty reason does nothing."""
        reason = self.reason.text().strip()
        if not reason:
            return
        self.ok.setEnabled(False)
        op = StopTherapies(tuple(m.id for m in self.therapies), reason)
        self._executor.run(op, self._on_done, self._failed, initiator=self)

    def _on_done(self, _versions: tuple[str, ...]) -> None:
        self.stopped.emit(tuple(m.lineage_id for m in self.therapies))
        super().accept()
