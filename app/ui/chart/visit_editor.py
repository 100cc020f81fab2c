"""The visit editor: SOAP, quick vitals, problems addressed, plan actions, drafts, signing.

What is typed is saved as the author's draft a couple of seconds after each change
(``AUTOSAVE_MS``), so a crash or a power cut loses at most those seconds; opening the
chart again restores the draft. Signing makes the visit immutable; amending a signed
visit starts a draft of its newest version that needs a reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from app.core.errors import InvalidInput, MedireteError
from app.core.formats import format_date, format_decimal, parse_decimal
from app.core.i18n import _
from app.records.services.views import EntryView
from app.records.services.visits import VITAL_BY_KEY, VITALS, SignedVisit, VisitDraft
from app.ui.chart.visit_ops import DiscardDraft, ReadDrafts, SaveDraft, SignVisit
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

AUTOSAVE_MS = 2000
_SOAP = (("subjective", "Subjective (history)"), ("objective", "Objective (examination)"),
         ("assessment", "Assessment"), ("plan", "Plan"))
_KINDS = (("ambulatory", "Surgery visit"), ("home", "Home visit"), ("phone", "Phone contact"),
          ("nursing", "Nursing visit"))
# Plan actions the page carries out without leaving the editor.
PLAN_ACTIONS = (("prescribe", "Prescribe..."), ("order_test", "Order a test..."),
                ("refer", "Specialist visit..."), ("book_followup", "Book a follow-up..."),
                ("add_problem", "Add a problem..."), ("acquire", "Acquire from a device..."))
NURSE_ACTIONS = frozenset({"book_followup", "acquire"})  # the nurse neither prescribes nor
# diagnoses


def parse_number(text: str) -> float | None:
    """A number as a person types it ("81,5" or "81.5"); None for empty or not a number."""
    if not text.strip():
        return None
    try:
        return float(parse_decimal(text))
    except InvalidInput:
        # "37.5" typed on a keypad: a point with one or two decimals is no thousands group.
        match = re.fullmatch(r"\s*(\d+\.\d{1,2})\s*", text)
        return float(match.group(1)) if match else None


class VisitEditor(QWidget):
    """One visit being written for the open patient."""

    signed = Signal(object)  # SignedVisit
    action_requested = Signal(str)  # one of PLAN_ACTIONS' keys

    def __init__(self, executor: RunsOperations, nurse: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitEditor")
        self._executor = executor
        self._nurse = nurse
        self._patient_id: str | None = None
        self._draft_id: str | None = None
        self._amends_id: str | None = None
        self._dirty = False
        self._saving = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self._build()
        self._set_enabled(False)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        top = self._build_top()
        soap = self._build_soap()
        side = self._build_side()
        actions = self._build_actions()
        body = QHBoxLayout()
        body.addLayout(soap, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(top)
        layout.addWidget(self.reason)
        layout.addLayout(body, 1)
        layout.addWidget(self.refusal)
        layout.addLayout(actions)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.sign)
        for edit in self.soap.values():
            edit.textChanged.connect(self._changed)
        for field in self.vitals.values():
            field.textChanged.connect(self._changed)
        self.reason.textChanged.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self.when.dateTimeChanged.connect(self._changed)
        self.problems.itemChanged.connect(self._changed)

    def _build_top(self) -> QHBoxLayout:
        # Why signing was refused: above the Sign button, until the next change.
        self.refusal = QLabel()
        self.refusal.setObjectName("visitRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #ffffff; background: #b00020; padding: 6px;"
                                   " font-weight: bold;")
        self.refusal.hide()
        self.notice = QLabel()
        self.notice.setObjectName("visitNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.kind = QComboBox()
        self.kind.setObjectName("visitKind")
        for key, label in _KINDS:
            if self._nurse == (key == "nursing"):
                self.kind.addItem(_(label), key)
        self.when = QDateTimeEdit()
        self.when.setObjectName("visitWhen")
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Visit:")))
        top.addWidget(self.kind)
        top.addWidget(QLabel(_("Date and time:")))
        top.addWidget(self.when)
        top.addStretch(1)
        self.state = QLabel()
        self.state.setObjectName("visitState")
        top.addWidget(self.state)
        self.reason = QLineEdit()
        self.reason.setObjectName("visitAmendReason")
        self.reason.setPlaceholderText(_("Reason for the amendment (required)"))
        self.reason.hide()
        return top

    def _build_soap(self) -> QGridLayout:
        self.soap: dict[str, QPlainTextEdit] = {}
        soap = QGridLayout()
        for index, (key, label) in enumerate(_SOAP):
            edit = QPlainTextEdit()
            edit.setObjectName(f"visit_{key}")
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(_(label))
            self.soap[key] = edit
            caption = QLabel(_(label))
            caption.setBuddy(edit)
            soap.addWidget(caption, (index // 2) * 2, index % 2)
            soap.addWidget(edit, (index // 2) * 2 + 1, index % 2)
        return soap

    def _build_side(self) -> QVBoxLayout:
        self.vitals: dict[str, QLineEdit] = {}
        vitals_box = QGroupBox(_("Vital signs"))
        form = QFormLayout(vitals_box)
        for vital in VITALS:
            field = QLineEdit()
            field.setObjectName(f"vital_{vital.key}")
            field.setMaximumWidth(90)
            self.vitals[vital.key] = field
            form.addRow(_(vital.label), field)
        self.bmi = QLabel("-")
        self.bmi.setObjectName("visitBmi")
        form.addRow(_("BMI"), self.bmi)
        problems_box = QGroupBox(_("Problems addressed"))
        problems_layout = QVBoxLayout(problems_box)
        self.problems = QListWidget()
        self.problems.setObjectName("visitProblems")
        self.problems.setWordWrap(True)  # a long diagnosis is read whole, never cut
        problems_layout.addWidget(self.problems)
        side = QVBoxLayout()
        side.addWidget(vitals_box)
        side.addWidget(problems_box, 1)
        return side

    def _build_actions(self) -> QHBoxLayout:
        self.action_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        actions.addWidget(QLabel(_("From the plan:")))
        for key, label in PLAN_ACTIONS:
            if self._nurse and key not in NURSE_ACTIONS:
                continue
            button = QPushButton(_(label))
            button.setObjectName(f"visitAction_{key}")
            button.clicked.connect(self._action_slot(key))
            self.action_buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.discard_button = QPushButton(_("Discard draft"))
        self.discard_button.setObjectName("visitDiscard")
        self.discard_button.clicked.connect(self.discard)
        self.sign_button = QPushButton(_("Sign visit (Ctrl+Enter)"))
        self.sign_button.setObjectName("visitSign")
        self.sign_button.clicked.connect(self.sign)
        actions.addWidget(self.discard_button)
        actions.addWidget(self.sign_button)
        return actions

    def _action_slot(self, key: str) -> Callable[[], None]:
        return lambda: self.action_requested.emit(key)

    # -- the patient ------------------------------------------------------------------------
    @property
    def patient_id(self) -> str | None:
        """Whose visit this is."""
        return self._patient_id

    def set_patient(self, patient_id: str | None, problems: Sequence[EntryView]) -> None:
        """The open patient changed (or was refreshed): keep the draft of the one before."""
        if patient_id != self._patient_id:
            self.save_now()  # the draft names its own patient: safe after the switch
            self._patient_id = patient_id
            self._clear()
            if patient_id is not None:
                self._executor.run(ReadDrafts(patient_id), partial(self._on_drafts, patient_id))
        self._set_problems(problems)
        self._set_enabled(patient_id is not None)

    def _set_problems(self, problems: Sequence[EntryView]) -> None:
        checked = set(self._checked_problems())
        self._loading = True
        self.problems.clear()
        for problem in problems:
            if problem.fields.get("clinical_status") == "resolved":
                continue
            code = problem.fields.get("icd9_code") or ""
            item = QListWidgetItem(f"{problem.fields.get('description', '')} (ICD-9-CM {code})"
                                   if code else str(problem.fields.get("description", "")))
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, problem.lineage_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if problem.lineage_id in checked
                               else Qt.CheckState.Unchecked)
            self.problems.addItem(item)
        self._loading = False

    def link_problem(self, lineage_id: str) -> None:
        """Tick a problem as addressed (e.g. one just added from the plan)."""
        for row in range(self.problems.count()):
            item = self.problems.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == lineage_id:
                item.setCheckState(Qt.CheckState.Checked)
                return
        self._pending_links = (*getattr(self, "_pending_links", ()), lineage_id)

    def _checked_problems(self) -> list[str]:
        checked = [self.problems.item(r).data(Qt.ItemDataRole.UserRole)
                   for r in range(self.problems.count())
                   if self.problems.item(r).checkState() == Qt.CheckState.Checked]
        pending = [p for p in getattr(self, "_pending_links", ()) if p not in checked]
        return [*checked, *pending]

    def _on_drafts(self, patient_id: str, drafts: tuple[VisitDraft, ...]) -> None:
        if patient_id != self._patient_id or not drafts or self._dirty:
            return
        draft = drafts[-1]
        self.load(draft)
        when = draft.updated_at or draft.started_at
        self.notice.setText(_("Draft restored (last saved {date} {time}).").format(
            date=format_date(when), time=when.astimezone().strftime("%H:%M")))
        self.notice.show()
        log.info("visit draft restored: %s", draft.draft_id)

    # -- the draft ----------------------------------------------------------------------------
    def load(self, draft: VisitDraft) -> None:
        """Show a draft (restored after a crash, or a signed visit to amend)."""
        self._loading = True
        self._patient_id = draft.patient_id
        self._draft_id = draft.draft_id
        self._amends_id = draft.amends_id
        index = self.kind.findData(draft.kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)
        self.when.setDateTime(
            QDateTime.fromMSecsSinceEpoch(int(draft.started_at.timestamp() * 1000)))
        for key, edit in self.soap.items():
            edit.setPlainText(getattr(draft, key))
        values = dict(draft.vitals)
        for key, field in self.vitals.items():
            value = values.get(key)
            field.setText(format_decimal(value) if value is not None else "")
        self._pending_links = draft.problem_ids
        for row in range(self.problems.count()):
            item = self.problems.item(row)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in draft.problem_ids
                               else Qt.CheckState.Unchecked)
        self.reason.setText(draft.amend_reason)
        self.reason.setVisible(draft.amends_id is not None)
        self._loading = False
        self._dirty = False
        self._update_bmi()
        self._show_state()

    def current_draft(self) -> VisitDraft | None:
        """What the editor holds, or None with no patient."""
        if self._patient_id is None:
            return None
        vitals = []
        for vital in VITALS:
            value = parse_number(self.vitals[vital.key].text())
            if value is not None:
                vitals.append((vital.key, value))
        started = self.when.dateTime().toPython()
        assert isinstance(started, datetime)
        return VisitDraft(
            patient_id=self._patient_id,
            started_at=started.astimezone(UTC),
            kind=str(self.kind.currentData()),
            problem_ids=tuple(self._checked_problems()),
            vitals=tuple(vitals),
            amends_id=self._amends_id,
            amend_reason=self.reason.text(),
            draft_id=self._draft_id,
            subjective=self.soap["subjective"].toPlainText(),
            objective=self.soap["objective"].toPlainText(),
            assessment=self.soap["assessment"].toPlainText(),
            plan=self.soap["plan"].toPlainText(),
        )

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.refusal.hide()  # the GP is mending what was refused
        self._update_bmi()
        self._show_state()
        # Not restarted by each key: typing without a pause is still saved every
        # AUTOSAVE_MS, so a crash loses at most those last seconds.
        if not self._timer.isActive():
            self._timer.start()

    def save_now(self) -> None:
        """Save the draft now if anything changed since the last save."""
        self._timer.stop()
        draft = self.current_draft()
        if draft is None or not self._dirty or self._saving:
            return
        # An impossible vital (a slip) must not stop the rest from being kept: it stays in
        # its field, and signing refuses it with a message.
        draft = replace(draft, vitals=tuple(
            (key, value) for key, value in draft.vitals
            if VITAL_BY_KEY[key].low <= value <= VITAL_BY_KEY[key].high))
        if draft.empty and self._draft_id is None:
            self._dirty = False
            return
        self._saving = True
        self._dirty = False
        self._executor.run(SaveDraft(draft), self._on_saved, self._on_save_failed)

    def _on_saved(self, saved: VisitDraft) -> None:
        self._saving = False
        if saved.patient_id == self._patient_id:
            self._draft_id = saved.draft_id
        self._show_state()
        if self._dirty:
            self._timer.start()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._dirty = True
        self._show_state(error=exc)

    def _show_state(self, error: BaseException | None = None) -> None:
        if error is not None:
            text = (error.user_message() if isinstance(error, MedireteError)
                    else _("Draft not saved"))
            self.state.setText(text)
            self.state.setStyleSheet("color: #b00020;")
            return
        self.state.setStyleSheet("")
        if self._dirty or self._saving:
            self.state.setText(_("Saving draft..."))
        elif self._draft_id is not None:
            self.state.setText(_("Draft saved"))
        else:
            self.state.setText(_("New visit"))

    def _update_bmi(self) -> None:
        weight = parse_number(self.vitals["weight"].text())
        height = parse_number(self.vitals["height"].text())
        if weight and height and 30 <= height <= 250:
            self.bmi.setText(format_decimal(weight / (height / 100) ** 2, 1))
        else:
            self.bmi.setText("-")

    # -- signing ----------------------------------------------------------------------------
    def sign(self) -> None:
        """Sign the visit (Ctrl+Enter); refusals are shown, nothing typed is lost."""
        draft = self.current_draft()
        if draft is None:
            return
        for vital in VITALS:
            text = self.vitals[vital.key].text()
            if text.strip() and parse_number(text) is None:
                self._refuse(MedireteError("Not a number: {value}", value=text))
                self.vitals[vital.key].setFocus()
                return
        self._timer.stop()
        self._executor.run(SignVisit(draft), self._on_signed, self._on_sign_failed)

    def _on_signed(self, signed: SignedVisit) -> None:
        self._clear()
        self.notice.setText(_("Visit signed."))
        self.notice.show()
        self.signed.emit(signed)

    def _on_sign_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)
            return
        self._refuse(exc)

    def _refuse(self, exc: MedireteError) -> None:
        """Signing was refused: say why where the GP looks, keep everything typed."""
        self.refusal.setText(_("Not signed: {reason}").format(reason=exc.user_message()))
        self.refusal.show()

    def discard(self) -> None:
        """Throw the draft away (after signing there is nothing to discard)."""
        if self._draft_id is not None:
            self._executor.run(DiscardDraft(self._draft_id), lambda _none: None)
        self._clear()

    def _clear(self) -> None:
        self._loading = True
        self._timer.stop()
        self._draft_id = None
        self._amends_id = None
        self._pending_links = ()
        for edit in self.soap.values():
            edit.clear()
        for field in self.vitals.values():
            field.clear()
        for row in range(self.problems.count()):
            self.problems.item(row).setCheckState(Qt.CheckState.Unchecked)
        self.reason.clear()
        self.reason.hide()
        self.notice.hide()
        self.refusal.hide()
        self.when.setDateTime(QDateTime.currentDateTime())
        self._loading = False
        self._dirty = False
        self._update_bmi()
        self._show_state()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (*self.soap.values(), *self.vitals.values(), self.kind, self.when,
                       self.sign_button, self.discard_button, self.problems,
                       *self.action_buttons.values()):
            widget.setEnabled(enabled)

    def focus_first(self) -> None:
        """Put the cursor where a visit starts: the history."""
        self.soap["subjective"].setFocus()

    def on_action(self, key: str, handler: Callable[[], None]) -> None:
        """Run ``handler`` for a plan action (the page wires them)."""
        self.action_requested.connect(lambda k: handler() if k == key else None)
