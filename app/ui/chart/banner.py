"""The chart's header strip: allergies that cannot be missed, exemptions, PAI enrolment.

Three allergy states look different on purpose: recorded allergies (red), "nessuna
allergia nota" recorded by a clinician (neutral), and nothing recorded at all (amber,
a question still to ask). The strip wraps and grows instead of scrolling, so no
allergy is ever out of sight.
"""

from __future__ import annotations

import enum
from datetime import date
from html import escape

from app.core.i18n import _
from app.records.services.views import Chart, EntryView
from app.records.summary import allergy_kind_label, criticality_label
from app.ui.chart.chart_text import (
    SEPARATOR,
    allergies,
    care_plan_text,
    current_care_plan,
    none_known,
    valid_esenzioni,
)
from app.ui.qt import QHBoxLayout, QLabel, QSizePolicy, Qt, QTextDocument, QVBoxLayout, QWidget


class AllergyState(enum.Enum):
    """What the record says about allergies."""

    RECORDED = "recorded"  # at least one allergy or intolerance
    NONE_KNOWN = "none_known"  # "nessuna allergia nota" was recorded
    UNRECORDED = "unrecorded"  # nothing: nobody has asked yet


# Colours with a contrast ratio above 7:1 (WCAG AAA) for their text.
STYLES = {
    AllergyState.RECORDED: "background: #b00020; color: #ffffff;",
    AllergyState.NONE_KNOWN: "background: #e8eef1; color: #263238;",
    AllergyState.UNRECORDED: "background: #ffc107; color: #1a1a1a;",
}
STRIP = "QLabel {{ {colours} border-radius: 4px; padding: 6px 10px; font-weight: bold; }}"
SIDE = "QLabel { background: #eceff1; color: #263238; border-radius: 4px; padding: 6px 10px; }"


def allergy_state(chart: Chart) -> AllergyState:
    """Recorded allergies win over an older "none known"; nothing at all is its own state."""
    if allergies(chart):
        return AllergyState.RECORDED
    return AllergyState.NONE_KNOWN if none_known(chart) else AllergyState.UNRECORDED


def _allergy_html(entry: EntryView) -> str:
    f = entry.fields
    details = [p for p in (allergy_kind_label(f.get("kind")) if f.get("kind") != "allergy"
                           else "", f.get("reaction"), criticality_label(f.get("criticality")))
               if p]
    mark = "⚠ " if f.get("criticality") == "high" else ""
    text = f"{mark}<span style='font-size: large'>{escape(str(f.get('substance') or ''))}</span>"
    if details:
        text += " (" + escape(", ".join(str(d) for d in details)) + ")"
    return text


class AllergyBanner(QWidget):
    """Allergies (or their absence) on the left; exemptions and the PAI on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allergyBanner")
        self.state = AllergyState.UNRECORDED
        # As tall as its text needs, never taller: the chart below gets the rest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.strip = self._label("allergyStrip")
        self.esenzioni = self._label("esenzioniStrip")
        self.enrolment = self._label("enrolmentStrip")
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(4)
        side.addWidget(self.esenzioni)
        side.addWidget(self.enrolment)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.strip, 3, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(side, 2)
        self.esenzioni.setStyleSheet(SIDE)
        self.enrolment.setStyleSheet(SIDE)
        self._set_state(AllergyState.UNRECORDED, [])

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)  # grows downwards: never elided, never scrolled
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        return label

    def show_chart(self, chart: Chart, today: date | None = None) -> None:
        """Show the header facts of ``chart`` as they stand ``today``."""
        today = today or date.today()
        self._set_state(allergy_state(chart), allergies(chart))
        exemptions = valid_esenzioni(chart, today)
        self.esenzioni.setVisible(bool(exemptions))
        self.esenzioni.setText(
            f"<b>{escape(_('Exemptions'))}:</b> " + "; ".join(
                escape(SEPARATOR.join(str(p) for p in (e.fields.get("code"),
                                                       e.fields.get("description")) if p))
                for e in exemptions))
        plan = current_care_plan(chart, today)
        self.enrolment.setVisible(plan is not None)
        if plan is not None:
            self.enrolment.setText(f"<b>{escape(_('Chronic care (PAI)'))}:</b> "
                                   + escape(care_plan_text(plan)))

    def clear(self) -> None:
        """No patient: nothing shown."""
        self._set_state(AllergyState.UNRECORDED, [])
        self.esenzioni.hide()
        self.enrolment.hide()

    def _set_state(self, state: AllergyState, found: list[EntryView]) -> None:
        self.state = state
        self.strip.setStyleSheet(STRIP.format(colours=STYLES[state]))
        if state is AllergyState.RECORDED:
            title = _("Allergies and intolerances")
            body = "; ".join(_allergy_html(a) for a in found)
            self.strip.setText(f"{escape(title)}: {body}")
        elif state is AllergyState.NONE_KNOWN:
            self.strip.setText(escape(_("No known allergies")))
        else:
            self.strip.setText("⚠ " + escape(_("Allergies not recorded")))
        self.strip.setAccessibleName(_plain(self.strip.text()))

    def text(self) -> str:
        """Everything the banner shows, as plain text (screen readers, tests)."""
        labels = [self.strip] + [label for label in (self.esenzioni, self.enrolment)
                                 if not label.isHidden()]
        return "\n".join(_plain(label.text()) for label in labels)


def _plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()
