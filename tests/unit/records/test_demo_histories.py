"""The demo center, opened as a new GP would: every patient has a history that fits."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from app.records import kinds
from app.records.demo import create_demo_center
from app.records.model import Document, Patient
from app.records.services import Records
from app.records.services.views import Chart, PatientSummary
from app.records.synthetic.coding import (
    FEMALE_ONLY_PREFIXES,
    INCOME_ESENZIONI,
    MALE_ONLY_PREFIXES,
    esenzione_fits,
)
from app.records.synthetic.drugs import ADULT_CHRONIC_ATC_PREFIXES
from app.records.synthetic.orders import ROUTINE_QUESTION

AS_OF = date(2026, 3, 16)
PASSWORD = "demo-password-7"
PATIENTS = 80
HYPERTENSION = ("401.", "402.", "403.", "404.")
EGFR_LOINC = "33914-3"


@dataclass(frozen=True)
class Opened:
    """One demo patient as the GP sees them."""

    summary: PatientSummary
    chart: Chart

    def current(self, kind: str) -> list[dict]:
        """Fields of the entries of ``kind`` that are not resolved or stopped."""
        return [e.fields for e in self.chart.of(kind)
                if e.fields.get("clinical_status") != "resolved"
                and (e.fields.get("end_date") is None or e.fields["end_date"] >= AS_OF)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Records, list[Opened]]]:
    root: Path = tmp_path_factory.mktemp("demo") / "center"
    create_demo_center(root, PASSWORD, patients=PATIENTS, seed=3, as_of=AS_OF)
    gp = Records.open(root, "medico", PASSWORD)
    try:
        with gp.db.read_engine.connect() as conn:
            ids = list(conn.execute(select(Patient.id).order_by(Patient.id)).scalars())
        opened = [Opened(s, gp.chart.open(s.id)) for s in gp.patients.summaries(ids)]
        yield gp, opened
    finally:
        gp.close()


def test_every_patient_has_something_in_the_chart(demo) -> None:
    _gp, patients = demo
    assert len(patients) == PATIENTS
    for patient in patients:
        shown = sum(len(patient.chart.of(kind)) for kind in kinds.ENTRY_NAMES)
        assert shown > 0, patient.summary.surname
    # Most have visits with vital signs, and allergies are asked about.
    with_visits = [p for p in patients if p.chart.of("encounter") and p.chart.of("observation")]
    assert len(with_visits) > PATIENTS * 0.8
    none_known = [p for p in patients if any(a.fields["kind"] == "none_known"
                                             for a in p.chart.of("allergy"))]
    assert len(none_known) > PATIENTS * 0.4
    for patient in none_known:  # "no known allergy" never sits beside an allergy
        assert len(patient.chart.of("allergy")) == 1


def test_every_esenzione_agrees_with_a_problem(demo) -> None:
    _gp, patients = demo
    disease = 0
    for patient in patients:
        problems = [(p["icd9_code"], p.get("qualifier")) for p in patient.current("problem")]
        for esenzione in patient.chart.of("esenzione"):
            code = esenzione.fields["code"]
            disease += code not in INCOME_ESENZIONI
            assert esenzione_fits(code, problems), (patient.summary.surname, code, problems)
    assert disease >= 10
    # The complaint: 031 ("with organ damage") on a plain 401.9 is refused by the rules.
    assert not esenzione_fits("031", [("401.9", "")])
    assert esenzione_fits("0A31", [("401.9", "")])
    assert not esenzione_fits("021", [("428.0", "NYHA II")])


def test_hypertensives_do_not_all_share_one_regimen(demo) -> None:
    _gp, patients = demo
    regimens = []
    for patient in patients:
        lineages = {p["icd9_code"]: e.lineage_id for e in patient.chart.of("problem")
                    for p in [e.fields]}
        htn = [lineage for code, lineage in lineages.items() if code.startswith(HYPERTENSION)]
        if not htn:
            continue
        drugs = frozenset(m["atc_code"] for m in patient.current("medication")
                          if m["chronic"] and m.get("problem_id") in htn)
        if drugs:
            regimens.append(drugs)
    assert len(regimens) >= 8
    assert len(set(regimens)) >= len(regimens) / 3
    classes = {atc[:5] for regimen in regimens for atc in regimen}
    assert {"C09AA", "C08CA"} <= classes and classes & {"C09CA", "C09DA", "C09DB"}


def test_maggi_emilia_takes_metformin_with_a_recent_egfr_below_30(demo) -> None:
    _gp, patients = demo
    named = [p for p in patients if (p.summary.surname, p.summary.given_name)
             == ("Maggi", "Emilia")]
    assert len(named) == 1
    maggi = named[0]
    assert maggi.summary.sex == "F" and maggi.summary.age(AS_OF) >= 75
    codes = [p["icd9_code"] for p in maggi.current("problem")]
    assert any(c.startswith("250.") for c in codes) and any(c.startswith("585.") for c in codes)
    metformin = [m for m in maggi.current("medication")
                 if m["atc_code"] == "A10BA02" and m["chronic"]]
    assert metformin and metformin[0]["aic_code"] and metformin[0]["problem_id"]
    egfr = sorted((o["effective_at"], o["value_num"]) for o in maggi.current("observation")
                  if o["code"] == EGFR_LOINC)
    last_at, last_value = egfr[-1]
    assert last_value < 30
    assert AS_OF - timedelta(days=90) <= last_at.date() <= AS_OF
    assert egfr[0][1] > 40  # a decline over the years, not one odd value


def test_ages_and_sexes_fit(demo) -> None:
    _gp, patients = demo
    adolescents = 0
    for patient in patients:
        codes = [p.fields["icd9_code"] for p in patient.chart.of("problem")]
        if patient.summary.sex == "F":
            assert not [c for c in codes if c.startswith(MALE_ONLY_PREFIXES)]
        else:
            assert not [c for c in codes if c.startswith(FEMALE_ONLY_PREFIXES)]
        if patient.summary.age(AS_OF) < 18:
            adolescents += 1
            adult = [m["atc_code"] for m in patient.current("medication")
                     if m["atc_code"].startswith(ADULT_CHRONIC_ATC_PREFIXES)]
            assert not adult, patient.summary.surname
    assert adolescents  # the check above ran on someone


def test_the_new_columns_link_the_history_together(demo) -> None:
    gp, patients = demo
    kinds_seen: set[str] = set()
    for patient in patients:
        problems = {e.lineage_id for e in patient.chart.of("problem")}
        medications = {e.lineage_id for e in patient.chart.of("medication")}
        for medication in patient.chart.of("medication"):
            fields = medication.fields
            assert fields["frequency"] and fields["route"]
            assert fields["problem_id"] in problems
        for encounter in patient.chart.of("encounter"):
            linked = (encounter.fields["problem_ids"] or "").split()
            assert set(linked) <= problems
        for prescription in patient.chart.of("prescription"):
            fields = prescription.fields
            kinds_seen.add(fields["item_kind"])
            if fields["item_kind"] == "drug":
                assert fields["medication_id"] in medications
            else:
                assert fields["code"] and fields["priority"] in ("U", "B", "D", "P")
                assert fields["clinical_question"]
                # A routine check-up's tests answer no problem; everything else names one.
                routine = fields["clinical_question"] == ROUTINE_QUESTION
                assert fields["problem_id"] in problems or (routine and not fields["problem_id"])
        for vaccination in patient.chart.of("vaccination"):
            assert vaccination.fields["site"]
    assert kinds_seen == {"drug", "lab", "specialist"}
    with gp.db.read_engine.connect() as conn:
        documents = conn.execute(select(Document.id, Document.kind, Document.source,
                                        Document.document_date, Document.text_content)).all()
    assert {d.kind for d in documents} >= {"laboratorio", "specialistica"}
    for document in documents[:6]:
        assert document.source and document.document_date <= AS_OF
        pdf = pypdf.PdfReader(io.BytesIO(gp.chart.document_content("document", document.id)))
        extracted = " ".join(pdf.pages[0].extract_text().split())
        for line in document.text_content.splitlines():
            assert " ".join(line.split()) in extracted
