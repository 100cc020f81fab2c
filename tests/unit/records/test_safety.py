"""Safety warnings from rules kept as data: allergy, lab value, duplicate class (ADR 0018)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import i18n
from app.records.safety import (
    CENTER_FILE,
    AllergyFact,
    DrugRef,
    InvalidSafetyRules,
    LabFact,
    LabRule,
    PatientFacts,
    RuleSet,
    TherapyFact,
    check,
    load_rules,
    shipped_rules,
)
from app.records.safety_rules_file import parse_rules, read_rules_file

TODAY = date(2026, 12, 4)
RULES = load_rules(None)
METFORMIN = DrugRef("A10BA02", "Metformina 1000 mg compresse", "metformina")

@dataclasses.dataclass(frozen=True)
class Kind:
    code: str
    unit: str


EGFR = Kind("33914-3", "mL/min/1.73m2")  # what the demo center records (checked below)


def egfr(value: float, days_ago: int, code: str = EGFR.code, unit: str | None = EGFR.unit,
         ) -> dict[str, LabFact]:
    return {code: LabFact(value, unit, TODAY - timedelta(days=days_ago))}


def ids(warnings) -> list[str]:
    return [w.rule_id for w in warnings]


@pytest.fixture
def italian(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "it")


# -- shipped rules --------------------------------------------------------------------------
def test_shipped_rules_load_and_cover_the_demo_codes():
    from app.records.synthetic.catalog import OBSERVATION_KINDS

    assert Kind(OBSERVATION_KINDS["eGFR"].code, OBSERVATION_KINDS["eGFR"].unit) == EGFR
    rules = {r.id: r for r in shipped_rules()}
    assert len(rules) == len(shipped_rules())
    metformin = rules["lab.metformin-egfr"]
    assert isinstance(metformin, LabRule)
    assert EGFR.code in metformin.observation_codes
    assert {"62238-1", "48642-3", "98979-8"} <= set(metformin.observation_codes)
    assert EGFR.unit in metformin.units
    potassium = rules["lab.potassium-sparing-potassium"]
    assert isinstance(potassium, LabRule)
    assert OBSERVATION_KINDS["Potassio"].code in potassium.observation_codes


# -- lab values -----------------------------------------------------------------------------
def test_metformin_with_a_recent_low_egfr_warns(italian):
    warnings = check(RULES, METFORMIN, PatientFacts(labs=egfr(24, 60)), TODAY)
    assert ids(warnings) == ["lab.metformin-egfr"]
    warning = warnings[0]
    assert warning.severity == "high" and warning.kind == "lab"
    day = (TODAY - timedelta(days=60)).strftime("%d/%m/%Y")
    assert warning.detail == f"eGFR 24 mL/min/1,73 m² il {day}"
    assert "24 mL/min/1,73 m²" in warning.message("it")
    assert "24 mL/min/1.73 m²" in warning.message("en")
    assert warning.message() == warning.message_it


def test_metformin_with_an_old_or_normal_egfr_does_not_warn():
    assert check(RULES, METFORMIN, PatientFacts(labs=egfr(24, 730)), TODAY) == []
    assert check(RULES, METFORMIN, PatientFacts(labs=egfr(45, 60)), TODAY) == []
    assert check(RULES, METFORMIN, PatientFacts(labs=egfr(30, 60)), TODAY) == []  # "< 30"
    assert check(RULES, METFORMIN, PatientFacts(), TODAY) == []


def test_the_last_egfr_counts_whatever_its_loinc_code():
    labs = {**egfr(24, 200), **egfr(45, 10, code="62238-1")}
    assert check(RULES, METFORMIN, PatientFacts(labs=labs), TODAY) == []
    labs = {**egfr(45, 200), **egfr(24, 10, code="98979-8", unit="mL/min/{1.73_m2}")}
    assert ids(check(RULES, METFORMIN, PatientFacts(labs=labs), TODAY)) == ["lab.metformin-egfr"]


def test_metformin_combinations_warn_and_other_combinations_do_not():
    labs = PatientFacts(labs=egfr(24, 60))
    sitagliptin_metformin = DrugRef("A10BD07", "Janumet 50 mg/1000 mg")
    linagliptin_empagliflozin = DrugRef("A10BD19", "Glyxambi 10 mg/5 mg")
    assert ids(check(RULES, sitagliptin_metformin, labs, TODAY)) == ["lab.metformin-egfr"]
    assert check(RULES, linagliptin_empagliflozin, labs, TODAY) == []


def test_a_value_in_another_unit_is_not_compared_and_no_unit_is_taken_as_the_usual():
    in_other_unit = PatientFacts(labs=egfr(24, 60, unit="mL/s"))
    assert check(RULES, METFORMIN, in_other_unit, TODAY) == []
    no_unit = PatientFacts(labs=egfr(24, 60, unit=None))
    assert ids(check(RULES, METFORMIN, no_unit, TODAY)) == ["lab.metformin-egfr"]


def test_nsaid_with_low_egfr_and_potassium_rules():
    ibuprofen = DrugRef("M01AE01", "Ibuprofene 600 mg")
    assert ids(check(RULES, ibuprofen, PatientFacts(labs=egfr(22, 5)), TODAY)) == [
        "lab.nsaid-egfr"]
    glucosamine = DrugRef("M01AX05", "Glucosamina")  # in M01A, but not an NSAID
    assert check(RULES, glucosamine, PatientFacts(labs=egfr(22, 5)), TODAY) == []
    high_k = PatientFacts(labs={"2823-3": LabFact(5.9, "mmol/L", datetime(2026, 11, 20,
                                                                          tzinfo=UTC))})
    spironolactone = DrugRef("C03DA01", "Spironolattone 25 mg")
    ramipril = DrugRef("C09AA05", "Ramipril 5 mg")
    assert ids(check(RULES, spironolactone, high_k, TODAY)) == ["lab.potassium-sparing-potassium"]
    assert ids(check(RULES, ramipril, high_k, TODAY)) == ["lab.raas-potassium"]
    normal_k = PatientFacts(labs={"2823-3": LabFact(4.6, "mmol/L", TODAY)})
    assert check(RULES, spironolactone, normal_k, TODAY) == []


# -- allergies ------------------------------------------------------------------------------
def test_allergy_to_the_same_substance_by_atc_or_by_name():
    by_atc = PatientFacts(allergies=[AllergyFact("Amoxicillina", "J01CA04")])
    amoxicillin = DrugRef("J01CA04", "Zimox 1 g compresse")
    warnings = check(RULES, amoxicillin, by_atc, TODAY)
    assert ids(warnings) == ["allergy.substance"]
    assert warnings[0].detail == "Recorded allergy: Amoxicillina (J01CA04)"
    by_name = PatientFacts(allergies=[AllergyFact("AMOXICILLÌNA", None, "intolerance")])
    augmentin = DrugRef("J01CR02", "Augmentin 875 mg/125 mg", "Amoxicillina/acido clavulanico")
    warnings = check(RULES, augmentin, by_name, TODAY)
    assert ids(warnings) == ["allergy.substance"]
    assert warnings[0].detail == "Recorded intolerance: AMOXICILLÌNA"


def test_allergy_to_a_group_member_warns_for_the_whole_group():
    amoxicillin_allergy = PatientFacts(allergies=[AllergyFact("Amoxicillina", "J01CA04")])
    piperacillin = DrugRef("J01CR05", "Piperacillina/tazobactam")
    assert ids(check(RULES, piperacillin, amoxicillin_allergy, TODAY)) == [
        "allergy.penicillins"]
    written_as_a_class = PatientFacts(allergies=[AllergyFact("Penicilline", None)])
    assert ids(check(RULES, piperacillin, written_as_a_class, TODAY)) == [
        "allergy.penicillins"]
    cefuroxime = DrugRef("J01DC02", "Cefuroxima 500 mg")
    assert check(RULES, cefuroxime, amoxicillin_allergy, TODAY) == []
    aspirin_allergy = PatientFacts(allergies=[AllergyFact("Acido acetilsalicilico", "N02BA01")])
    diclofenac = DrugRef("M01AB05", "Diclofenac 75 mg")
    celecoxib = DrugRef("M01AH01", "Celecoxib 200 mg")
    warnings = check(RULES, diclofenac, aspirin_allergy, TODAY)
    assert ids(warnings) == ["allergy.nsaids"] and warnings[0].severity == "medium"
    assert check(RULES, celecoxib, aspirin_allergy, TODAY) == []


def test_allergy_class_at_the_level_the_rule_names():
    ciprofloxacin = PatientFacts(allergies=[AllergyFact("Ciprofloxacina", "J01MA02")])
    levofloxacin = DrugRef("J01MA12", "Levofloxacina 500 mg")
    warnings = check(RULES, levofloxacin, ciprofloxacin, TODAY)
    assert ids(warnings) == ["allergy.atc-class"]
    assert "(J01MA)" in warnings[0].message("en")
    azithromycin = DrugRef("J01FA10", "Azitromicina 500 mg")
    assert check(RULES, azithromycin, ciprofloxacin, TODAY) == []


def test_allergies_that_do_not_concern_the_drug():
    facts = PatientFacts(allergies=[
        AllergyFact("Nichel", None), AllergyFact("Lattosio", None, "intolerance"),
        AllergyFact("Nessuna allergia nota", None, "none_known"), AllergyFact("K", None),
        AllergyFact("", ""),
    ])
    assert check(RULES, DrugRef("M01AE01", "Ibuprofene K 400 mg"), facts, TODAY) == []
    none_known = PatientFacts(allergies=[AllergyFact("Amoxicillina", "J01CA04", "none_known")])
    assert check(RULES, DrugRef("J01CA04", "Amoxicillina"), none_known, TODAY) == []


# -- duplicate therapy ----------------------------------------------------------------------
def test_duplicate_class_against_current_therapies_only():
    therapies = [TherapyFact("ram", "C09AA05", "Ramipril 5 mg"),
                 TherapyFact("old", "C10AA01", "Simvastatina 20 mg", active=False)]
    facts = PatientFacts(therapies=therapies)
    enalapril = DrugRef("C09AA02", "Enalapril 20 mg")
    warnings = check(RULES, enalapril, facts, TODAY)
    assert ids(warnings) == ["duplicate.atc-class"]
    assert warnings[0].detail == "Current therapy: Ramipril 5 mg (C09AA05)"
    assert "C09AA" in warnings[0].message("it")
    assert check(RULES, DrugRef("C10AA05", "Atorvastatina 20 mg"), facts, TODAY) == []
    assert check(RULES, DrugRef("C09CA01", "Losartan 50 mg"), facts, TODAY) == []


def test_the_same_drug_again_is_a_duplicate_unless_it_replaces_that_therapy():
    facts = PatientFacts(therapies=[TherapyFact("ram", "C09AA05", "Ramipril 5 mg")])
    ramipril = DrugRef("C09AA05", "Ramipril 10 mg")
    assert ids(check(RULES, ramipril, facts, TODAY)) == ["duplicate.atc-class"]
    assert check(RULES, ramipril, facts, TODAY, replacing_lineage="ram") == []


def test_warnings_come_most_serious_first():
    facts = PatientFacts(therapies=[TherapyFact("met", "A10BA02", "Metformina 500 mg")],
                         labs=egfr(24, 60))
    assert ids(check(RULES, METFORMIN, facts, TODAY)) == [
        "lab.metformin-egfr", "duplicate.atc-class"]


# -- the center's own rules -----------------------------------------------------------------
def write_center_rules(folder: Path, rules: list[dict], text: str | None = None) -> Path:
    document = {"format": "medirete-safety-rules", "version": 1, "rules": rules}
    path = folder / CENTER_FILE
    path.write_text(text if text is not None else json.dumps(document, indent=2),
                    encoding="utf-8")
    return path


def test_a_center_adds_replaces_and_switches_off_rules(tmp_path):
    stricter = {
        "id": "lab.metformin-egfr", "kind": "lab", "drug_atc": ["A10BA02"],
        "observation_codes": [EGFR.code], "label": {"it": "eGFR"}, "operator": "<",
        "threshold": 45, "max_age_days": 90, "severity": "medium",
        "message": {"it": "{drug}: eGFR {value}, ridurre la dose."},
    }
    warfarin = {
        "id": "center.warfarin-inr", "kind": "lab", "drug_atc": ["B01AA03"],
        "observation_codes": ["6301-6"], "label": {"it": "INR", "en": "INR"}, "operator": ">",
        "threshold": 4, "max_age_days": 14, "severity": "high",
        "message": {"it": "{drug}: INR {value}.", "en": "{drug}: INR {value}."},
    }
    write_center_rules(tmp_path, [stricter, warfarin,
                                  {"id": "duplicate.atc-class", "enabled": False}])
    rules = load_rules(tmp_path)
    assert rules.problem is None and rules.center_file == tmp_path / CENTER_FILE
    assert [r.id for r in rules.rules].index("lab.metformin-egfr") == [
        r.id for r in shipped_rules()].index("lab.metformin-egfr")
    assert rules.rule("duplicate.atc-class") is None
    assert rules.rules[-1].id == "center.warfarin-inr"
    warnings = check(rules, METFORMIN, PatientFacts(labs=egfr(40, 30)), TODAY)
    assert ids(warnings) == ["lab.metformin-egfr"] and warnings[0].severity == "medium"
    # No English given: the Italian text, with numbers written the English way.
    assert warnings[0].message("en").endswith("40 mL/min/1.73 m², ridurre la dose.")
    inr = PatientFacts(labs={"6301-6": LabFact(4.8, None, TODAY)})
    assert ids(check(rules, DrugRef("B01AA03", "Coumadin 5 mg"), inr, TODAY)) == [
        "center.warfarin-inr"]
    duplicate = PatientFacts(therapies=[TherapyFact("ram", "C09AA05", "Ramipril")])
    assert check(rules, DrugRef("C09AA02", "Enalapril"), duplicate, TODAY) == []


def test_a_malformed_center_file_is_reported_and_the_shipped_rules_stay(tmp_path, italian):
    path = write_center_rules(tmp_path, [], text='{"format": "medirete-safety-rules",\n'
                                                 '  "version": 1\n  "rules": []}')
    rules = load_rules(tmp_path)
    assert rules.rules == shipped_rules()
    assert isinstance(rules.problem, InvalidSafetyRules)
    message = rules.problem.user_message("it")
    assert str(path) in message and "riga 3, colonna 3" in message
    warnings = check(rules, METFORMIN, PatientFacts(labs=egfr(24, 60)), TODAY)
    assert ids(warnings) == ["lab.metformin-egfr"]


def test_a_wrong_field_names_the_line_the_rule_and_the_field(tmp_path):
    bad = {"id": "center.k", "kind": "lab", "drug_atc": ["C03DA01"],
           "observation_codes": ["2823-3"], "label": {"it": "K"}, "operator": ">",
           "threshold": "5,5", "max_age_days": 30, "severity": "high",
           "message": {"it": "{drug}: K {value}"}}
    path = write_center_rules(tmp_path, [bad])
    with pytest.raises(InvalidSafetyRules) as caught:
        read_rules_file(path)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "center.k" in text)
    english = caught.value.user_message("en")
    assert f"line {line}" in english and 'rule "center.k"' in english
    assert 'field "threshold": a number is needed' in english
    assert 'campo "threshold": serve un numero' in caught.value.user_message("it")
    assert load_rules(tmp_path).problem is not None


MALFORMED = [
    ({"id": "x", "kind": "vitals"}, "kind"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": {"it": "a"},
      "levle": 4}, "levle"),
    ({"id": "x", "kind": "duplicate", "severity": "grave", "message": {"it": "a"}},
     "severity"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": {"it": "{drug.__class__}"}},
     "message"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": {"it": "{value}"}},
     "message"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": {"it": "{drug"}},
     "message"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": "testo"}, "message"),
    ({"id": "x", "kind": "duplicate", "severity": "high", "message": {"it": "a"},
      "level": 6}, "level"),
    ({"id": "x", "kind": "allergy", "severity": "high", "message": {"it": "a"},
      "match": "group", "drug_atc": ["J01C"]}, "allergy_atc"),
    ({"id": "x", "kind": "allergy", "severity": "high", "message": {"it": "a"},
      "match": "group", "allergy_atc": ["J01C"], "drug_atc": ["penicilline"]}, "drug_atc"),
    ({"id": "x", "kind": "allergy", "severity": "high", "message": {"it": "a"},
      "match": "substance", "kinds": ["none_known"]}, "kinds"),
    ({"id": "x y", "kind": "duplicate"}, "id"),
    ({"id": "x", "enabled": "no"}, "enabled"),
]


@pytest.mark.parametrize(("rule", "field"), MALFORMED)
def test_each_mistake_is_named_in_both_languages(rule, field):
    text = json.dumps({"format": "medirete-safety-rules", "version": 1, "rules": [rule]})
    with pytest.raises(InvalidSafetyRules) as caught:
        parse_rules(text, "safety-rules.json")
    assert caught.value.fields["field"] == field
    detail = caught.value.fields["detail"]
    assert i18n.translate(detail, "it") != detail, f"no Italian for {detail!r}"


@pytest.mark.parametrize("text", [
    "[]", '{"format": "medirete-safety-rules", "version": 2, "rules": []}',
    '{"format": "medirete-safety-rules", "version": 1, "rules": {}}',
    '{"format": "medirete-safety-rules", "version": 1, "rules": [NaN]}',
    '{"format": "medirete-safety-rules", "version": 1, "rules": [1]}',
    '{"format": "medirete-safety-rules", "version": 1, "rules": [{"id": "a", "enabled": false},'
    ' {"id": "a", "enabled": false}]}',
])
def test_file_level_mistakes(text):
    with pytest.raises(InvalidSafetyRules) as caught:
        parse_rules(text, "safety-rules.json")
    detail = caught.value.fields["detail"]
    assert i18n.translate(detail, "it") != detail, f"no Italian for {detail!r}"


def test_an_unreadable_center_file_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / CENTER_FILE).write_bytes(b"\xff\xfe{not text")
    rules = load_rules(tmp_path)
    assert rules.rules == shipped_rules() and rules.problem is not None
    assert load_rules(tmp_path / "no-such-center").problem is None


# -- properties -----------------------------------------------------------------------------
atc_like = st.one_of(st.text(max_size=9), st.from_regex(r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}",
                                                        fullmatch=True))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(-10**30, 10**30))
moments = st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=st.just(UTC)))
codes = st.sampled_from([EGFR.code, "62238-1", "2823-3", "6298-4", "x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drug_atc=atc_like, name=st.text(max_size=30), ingredient=st.none() | st.text(max_size=30),
       allergies=st.lists(st.builds(AllergyFact, st.text(max_size=20), st.none() | atc_like,
                                    st.sampled_from(["allergy", "intolerance", "none_known",
                                                     "?"])), max_size=4),
       therapies=st.lists(st.builds(TherapyFact, st.sampled_from(["a", "b"]), atc_like,
                                    st.text(max_size=20), st.booleans()), max_size=4),
       labs=st.dictionaries(codes, st.builds(LabFact, numbers, st.none() | st.text(max_size=12),
                                             moments), max_size=4),
       today=st.dates())
def test_check_never_raises(drug_atc, name, ingredient, allergies, therapies, labs, today):
    warnings = check(RULES, DrugRef(drug_atc, name, ingredient),
                     PatientFacts(allergies, therapies, labs), today, replacing_lineage="a")
    for warning in warnings:
        assert warning.message("it") and warning.message("en")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=12)
rule_keys = st.sampled_from(["id", "kind", "severity", "message", "match", "class_level",
                             "drug_atc", "allergy_atc", "observation_codes", "label",
                             "operator", "threshold", "units", "max_age_days", "level",
                             "enabled", "kinds", "allergy_terms", "exclude_atc"])


SHIPPED_ENTRIES = json.loads(
    (Path(__file__).parents[3] / "app/records/safety_rules.json").read_text("utf-8"))["rules"]


@st.composite
def rule_entries(draw) -> dict:
    """A random rule, or a shipped rule with one field changed to any JSON value."""
    if draw(st.booleans()):
        return draw(st.dictionaries(rule_keys, json_values, max_size=8))
    entry = dict(draw(st.sampled_from(SHIPPED_ENTRIES)))
    entry[draw(rule_keys)] = draw(json_values)
    return entry


@settings(max_examples=500, deadline=None)
@given(st.lists(rule_entries(), max_size=3))
def test_a_rules_file_is_either_read_or_refused_with_a_message(entries):
    text = json.dumps({"format": "medirete-safety-rules", "version": 1, "rules": entries})
    try:
        parsed = parse_rules(text, "safety-rules.json")
    except InvalidSafetyRules as error:
        assert error.user_message("it")
    else:
        check(RuleSet(parsed.rules), METFORMIN, PatientFacts(labs=egfr(24, 1)), TODAY)
