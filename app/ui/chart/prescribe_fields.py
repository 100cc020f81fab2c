"""The words and choices of prescribing: routes, frequencies, priority classes, and the
esenzione and problem combos every prescribing dialog shares."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.i18n import _
from app.records.services.views import EntryView
from app.records.summary import ACTIVE_PROBLEM_STATUSES
from app.ui.qt import QComboBox


def route_label(code: object) -> str:
    """A route of administration in words (stored as the Italian code, e.g. "orale")."""
    labels = {
        "orale": _("oral"), "sublinguale": _("sublingual"), "sottocutanea": _("subcutaneous"),
        "intramuscolare": _("intramuscular"), "endovenosa": _("intravenous"),
        "inalatoria": _("inhaled"), "transdermica": _("transdermal"), "topica": _("topical"),
        "oftalmica": _("eye drops"), "rettale": _("rectal"), "nasale": _("nasal"),
    }
    return labels.get(str(code), str(code or ""))


def frequency_choices() -> list[str]:
    """Common frequencies offered in the editable combo (the GP may type any other)."""
    return [_("once a day"), _("twice a day"), _("three times a day"), _("in the morning"),
            _("in the evening"), _("every 8 hours"), _("every 12 hours"), _("once a week"),
            _("as needed")]


def priority_choices() -> list[tuple[str, str]]:
    """The priority classes of the ricetta, as GPs read them."""
    return [("U", _("U - Urgent (within 72 hours)")),
            ("B", _("B - Short (within 10 days)")),
            ("D", _("D - Deferrable (within 30 or 60 days)")),
            ("P", _("P - Planned (within 120 days)"))]


def priority_name(code: object) -> str:
    """A priority class in one word ("Urgente"); "" for none."""
    names = {"U": _("Urgent"), "B": _("Short"), "D": _("Deferrable"), "P": _("Planned")}
    return f"{code} - {names[str(code)]}" if str(code) in names else ""


def _valid(e: EntryView, today: date) -> bool:
    start, end = e.fields.get("valid_from"), e.fields.get("valid_to")
    return (start is None or start <= today) and (end is None or end >= today)


def esenzione_combo(esenzioni: Sequence[EntryView], today: date | None = None) -> QComboBox:
    """"Not exempt" first, then the patient's exemptions valid today (data: the code)."""
    day = today or date.today()
    combo = QComboBox()
    combo.setObjectName("prescriptionEsenzione")
    combo.addItem(_("Not exempt"), None)
    for e in esenzioni:
        if _valid(e, day):
            code = str(e.fields.get("code") or "")
            text = " - ".join(p for p in (code, str(e.fields.get("description") or "")) if p)
            combo.addItem(text, code)
    return combo


def problem_combo(problems: Sequence[EntryView]) -> QComboBox:
    """"No linked problem" first, then the active and chronic problems (data: lineage)."""
    combo = QComboBox()
    combo.setObjectName("linkedProblem")
    combo.addItem(_("No linked problem"), None)
    for p in problems:
        if p.fields.get("clinical_status") in ACTIVE_PROBLEM_STATUSES:
            f = p.fields
            code = (f"ICD-10-IM {f['icd10im_code']}" if f.get("icd10im_code") else
                    f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else "")
            text = str(f.get("description") or "")
            combo.addItem(f"{text} ({code})" if code else text, p.lineage_id)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    """Show the item holding ``value`` (left as it is when none does)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
