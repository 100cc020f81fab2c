"""The chart's header banner and summary page: allergy states, a demo patient's summary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.core.formats import format_quantity
from app.records.demo import create_demo_center
from app.records.model import Patient
from app.records.services import Records
from app.records.services.views import Chart, EntryView, PatientSummary
from app.ui.chart.banner import AllergyBanner, AllergyState
from app.ui.chart.summary import ChartSummaryView
from app.ui.lanes import Backend
from app.ui.qt import Qt, QVBoxLayout, QWidget
from app.ui.shell_ops import OpenPatient, PatientContext
from tests.ui.visible_text import problems_in

PASSWORD = "prova-password-1"
AS_OF = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PATIENT = PatientSummary("p1", "RSSMRA50C12F205X", "Rossi", "Mario", "M", date(1950, 3, 12),
                         "Milano")


def _entry(kind: str, fields: dict[str, object], n: int = 1) -> EntryView:
    return EntryView(kind, f"{kind}-{n}", f"{kind}-{n}", 1, "signed", "u1",
                     datetime(2025, 1, n, 9, 0, tzinfo=UTC), fields)


def _chart(**entries: list[EntryView]) -> Chart:
    return Chart(PATIENT, dict(entries))


def _allergy(substance: str, n: int = 1, **fields: object) -> EntryView:
    return _entry("allergy", {"substance": substance, "kind": "allergy", "reaction": "orticaria",
                              "criticality": "high"} | fields, n)


# -- the banner ---------------------------------------------------------------------------
def test_banner_nothing_recorded_is_amber_and_not_the_same_as_none_known(qtbot):
    banner = AllergyBanner()
    qtbot.addWidget(banner)
    banner.show_chart(_chart(), AS_OF)
    assert banner.state is AllergyState.UNRECORDED
    assert "Allergie non registrate" in banner.text()
    assert "Nessuna allergia nota" not in banner.text()
    assert "#ffc107" in banner.strip.styleSheet()

    banner.show_chart(_chart(allergy=[_entry("allergy", {"substance": "", "kind": "none_known"})]),
                      AS_OF)
    assert banner.state is AllergyState.NONE_KNOWN
    assert banner.text().startswith("Nessuna allergia nota")
    assert "#b00020" not in banner.strip.styleSheet() and "#ffc107" not in banner.strip.styleSheet()


def test_banner_shows_recorded_allergies_in_red_even_after_none_known(qtbot):
    banner = AllergyBanner()
    qtbot.addWidget(banner)
    none = _entry("allergy", {"substance": "", "kind": "none_known"}, 1)
    banner.show_chart(_chart(allergy=[_allergy("Penicillina", 2), none]), AS_OF)
    assert banner.state is AllergyState.RECORDED
    text = banner.text()
    assert "Penicillina" in text and "orticaria" in text and "criticità alta" in text
    assert "Nessuna allergia nota" not in text
    assert "#b00020" in banner.strip.styleSheet()


def test_twelve_allergies_all_visible_the_strip_grows_instead_of_scrolling(qtbot):
    substances = [f"Sostanza{i:02d}" for i in range(12)]
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    banner = AllergyBanner()
    layout.addWidget(banner)
    layout.addStretch(1)
    host.resize(520, 700)
    banner.show_chart(_chart(allergy=[_allergy("Sostanza00", 1)]), AS_OF)
    host.show()
    qtbot.waitExposed(host)
    one_line = banner.strip.height()
    many = [_allergy(s, i + 1, reaction="broncospasmo grave con ipotensione") for i, s in
            enumerate(substances)]
    banner.show_chart(_chart(allergy=many), AS_OF)
    qtbot.waitUntil(lambda: banner.strip.height() > 3 * one_line)
    assert all(s in banner.text() for s in substances)
    strip = banner.strip
    assert strip.height() >= strip.heightForWidth(strip.width())  # nothing cut off


def test_banner_shows_valid_exemptions_and_the_pai(qtbot):
    banner = AllergyBanner()
    qtbot.addWidget(banner)
    esenzioni = [
        _entry("esenzione", {"code": "013", "description": "Diabete mellito",
                             "valid_from": date(2020, 1, 1), "valid_to": None}, 1),
        _entry("esenzione", {"code": "E01", "description": "Reddito",
                             "valid_from": date(2019, 1, 1), "valid_to": date(2025, 3, 31)}, 2),
    ]
    plan = _entry("care_plan", {"title": "PAI diabete", "level": 3,
                                "start_date": date(2025, 6, 1), "end_date": None})
    banner.show_chart(_chart(esenzione=esenzioni, care_plan=[plan]), AS_OF)
    text = banner.text()
    assert "013 · Diabete mellito" in text
    assert "E01" not in text  # expired on 31/03/2025
    assert "PAI diabete · livello 3" in text
    banner.show_chart(_chart(), AS_OF)
    assert "PAI" not in banner.text() and "Esenzioni" not in banner.text()


# -- the summary of a demo patient ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Records]:
    root = tmp_path_factory.mktemp("demo") / "centro"
    create_demo_center(root, PASSWORD, patients=12, seed=1, as_of=AS_OF)
    records = Records.open(root, "medico", PASSWORD)
    yield records
    records.close()


def _latest_decimals(chart: Chart) -> list[EntryView]:
    """The latest result of each code, where it has decimals (the summary shows those)."""
    latest: dict[str, EntryView] = {}
    for obs in chart.of("observation"):  # newest first: the first of a code is shown
        latest.setdefault(obs.fields["code"], obs)
    return [o for o in latest.values() if isinstance(o.fields.get("value_num"), float)
            and not o.fields["value_num"].is_integer()]


def _active(chart: Chart) -> list[EntryView]:
    return [p for p in chart.of("problem") if p.fields["clinical_status"] in ("active", "chronic")]


def _current(chart: Chart) -> list[EntryView]:
    return [m for m in chart.of("medication")
            if m.fields["end_date"] is None or m.fields["end_date"] >= AS_OF]


def _rich_patient(records: Records) -> PatientContext:
    """A demo patient with problems, therapy and a result with decimals."""
    with records.db.read_engine.connect() as conn:
        ids = [row.id for row in conn.execute(select(Patient.id).order_by(Patient.surname))]
    backend = Backend()
    backend.records = records  # the worker's side, without a thread
    for patient_id in ids:
        page = OpenPatient(patient_id, clinical=True)(backend)
        chart = page.record
        assert chart is not None
        if _active(chart) and _current(chart) and _latest_decimals(chart):
            return page
    raise AssertionError("no demo patient has problems, therapy and decimal results")


def test_summary_shows_a_demo_patients_problems_therapy_and_italian_numbers(qtbot, demo):
    page = _rich_patient(demo)
    view = ChartSummaryView()
    qtbot.addWidget(view)
    assert page.record is not None
    view.show_chart(page.record, page.appointments, page.staff, now=NOW)
    problems = " ".join(view.texts("problems"))
    active = _active(page.record)
    assert active and all(str(p.fields["description"]) in problems for p in active)
    assert all(f"ICD-9-CM {p.fields['icd9_code']}" in problems for p in active)
    therapy = " ".join(view.texts("therapy"))
    current = _current(page.record)
    assert current and all(str(m.fields["name"]) in therapy for m in current)
    decimals = _latest_decimals(page.record)
    results = " ".join(view.texts("vitals") + view.texts("labs"))
    for obs in decimals:  # "6,7%", "0,74 mg/dL": a decimal comma, the unit as written
        shown = format_quantity(obs.fields["value_num"], obs.fields["unit"],
                                code=obs.fields["code"])
        assert "," in shown and f"{obs.fields['display']} | {shown} |" in results
    assert "mm[Hg]" not in results
    view.resize(1300, 900)
    view.show()
    assert problems_in([view]) == []  # no English, no decimal point


def test_summary_trend_arrows_due_items_and_opening_an_entry(qtbot):
    def obs(n: int, value: float, day: int) -> EntryView:
        return _entry("observation", {
            "code": "4548-4", "display": "HbA1c", "value_num": value, "unit": "%",
            "effective_at": datetime(2025, day, 1, 9, 0, tzinfo=UTC)}, n)

    activities = [
        _entry("care_plan_activity", {"care_plan_lineage_id": "care_plan-1",
                                      "description": "Fundus oculi", "period_months": 12,
                                      "next_due": date(2026, 1, 10)}, 1),
        _entry("care_plan_activity", {"care_plan_lineage_id": "care_plan-1",
                                      "description": "Creatinina", "period_months": 12,
                                      "next_due": date(2026, 3, 20)}, 2),
        _entry("care_plan_activity", {"care_plan_lineage_id": "care_plan-1",
                                      "description": "Spirometria", "period_months": 12,
                                      "next_due": date(2026, 11, 1)}, 3),
    ]
    plan = _entry("care_plan", {"title": "PAI", "level": 2, "start_date": date(2025, 1, 1),
                                "end_date": None})
    chart = _chart(observation=[obs(3, 7.4, 9), obs(2, 6.9, 5), obs(1, 7.1, 1)],
                   care_plan=[plan], care_plan_activity=activities)
    view = ChartSummaryView()
    qtbot.addWidget(view)
    view.show_chart(chart, (), (), now=NOW)
    assert view.texts("labs") == ["HbA1c | 7,4% | ↑ | 01/09/2025"]
    due = view.texts("due")
    assert due == ["Fundus oculi | 10/01/2026 | scaduto", "Creatinina | 20/03/2026 | in scadenza"]
    overdue = view.sections["due"].topLevelItem(0)
    assert overdue.foreground(0).color().name() == "#b00020"
    labs = view.sections["labs"]
    labs.setCurrentItem(labs.topLevelItem(0))
    with qtbot.waitSignal(view.open_entry) as opened:
        labs.itemActivated.emit(labs.topLevelItem(0), 0)
    assert opened.args == ["observation", "observation-3"]
    assert view.texts("documents") == ["Nessuna registrazione"]


def test_summary_keyboard_enter_opens_the_entry(qtbot):
    chart = _chart(problem=[_entry("problem", {"icd9_code": "250.00", "description": "Diabete",
                                               "clinical_status": "chronic", "qualifier": ""})])
    view = ChartSummaryView()
    qtbot.addWidget(view)
    view.show_chart(chart, (), (), now=NOW)
    view.show()
    qtbot.waitExposed(view)
    problems = view.sections["problems"]
    problems.setFocus()
    problems.setCurrentItem(problems.topLevelItem(0))
    with qtbot.waitSignal(view.open_entry) as opened:
        qtbot.keyClick(problems, Qt.Key.Key_Return)
    assert opened.args == ["problem", "problem-1"]
    assert "cronico" in view.texts("problems")[0]
