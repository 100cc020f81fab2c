"""Safety warnings where the GP prescribes, from rules kept as data (ADR 0018).

Three kinds of rule: a recorded allergy the drug matches (same substance, same ATC class,
or a cross-reacting group such as the penicillins), a recent lab value that contraindicates
the drug (metformin with the last eGFR below 30), and a current therapy in the same ATC
class. The rules ship in ``safety_rules.json``; a center adds or replaces rules with a
``safety-rules.json`` in its folder. Warnings never block: the therapy service shows them,
and audits the GP's acknowledgement. Everything here is pure: no Qt, no database.
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from app.core.formats import EGFR_UNITS, display_unit, format_date, format_decimal, local_time
from app.core.i18n import _, language
from app.records.safety_rules_file import (
    ATC_LENGTH,
    AllergyRule,
    DuplicateRule,
    InvalidSafetyRules,
    LabRule,
    Rule,
    RuleFile,
    parse_rules,
    read_rules_file,
)

__all__ = [
    "CENTER_FILE", "AllergyFact", "AllergyRule", "DrugRef", "DuplicateRule",
    "InvalidSafetyRules", "LabFact", "LabRule", "PatientFacts", "Rule", "RuleSet",
    "SafetyWarning", "TherapyFact", "check", "load_rules", "read_rules_file", "shipped_rules",
]

CENTER_FILE = "safety-rules.json"  # in the center's folder, beside the record
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_ATC = re.compile(r"[A-Z][0-9A-Z]{0,6}")


# -- the facts a check reads ----------------------------------------------------------------
@dataclass(frozen=True)
class DrugRef:
    """The drug about to be prescribed: ATC code, name shown, active ingredient if known."""

    atc: str
    name: str
    active_ingredient: str | None = None


@dataclass(frozen=True)
class AllergyFact:
    """A recorded allergy: substance text, ATC code at any level, kind (allergy|intolerance)."""

    substance: str
    atc: str | None = None
    kind: str = "allergy"


@dataclass(frozen=True)
class TherapyFact:
    """A therapy of the patient: its lineage, ATC code, name, and whether it is current."""

    lineage_id: str
    atc: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class LabFact:
    """The latest value of one observation code."""

    value: float
    unit: str | None
    effective_at: date | datetime


@dataclass(frozen=True)
class PatientFacts:
    """What the rules look at: allergies, therapies, the latest lab value per LOINC code."""

    allergies: Sequence[AllergyFact] = ()
    therapies: Sequence[TherapyFact] = ()
    labs: Mapping[str, LabFact] = field(default_factory=dict)


@dataclass(frozen=True)
class SafetyWarning:
    """One warning: which rule, how serious, the message in both languages, the evidence."""

    rule_id: str
    kind: str  # allergy | lab | duplicate
    severity: str  # high | medium | low
    message_it: str
    message_en: str
    detail: str  # the evidence, in the language in force: "eGFR 24 mL/min/1,73 m² il ..."

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` or the language in force."""
        return self.message_en if (lang or language()) == "en" else self.message_it


@dataclass(frozen=True)
class RuleSet:
    """The rules in force; ``problem`` says why a center's file was left out, if it was."""

    rules: tuple[Rule, ...]
    problem: InvalidSafetyRules | None = None
    center_file: Path | None = None

    def rule(self, rule_id: str) -> Rule | None:
        """The rule with that id, if any."""
        return next((r for r in self.rules if r.id == rule_id), None)


# -- loading --------------------------------------------------------------------------------
@cache
def shipped_rules() -> tuple[Rule, ...]:
    """The rules shipped with Medirete (an error here is a bug, not a center's mistake)."""
    source = resources.files("app.records").joinpath("safety_rules.json")
    return parse_rules(source.read_text(encoding="utf-8"), "safety_rules.json").rules


def load_rules(center_dir: Path | None) -> RuleSet:
    """Shipped rules merged with the center's ``safety-rules.json`` (same id replaces).

    A center file that cannot be used leaves the shipped rules in force and is reported
    in ``RuleSet.problem`` (an InvalidSafetyRules naming the file, line and field).
    """
    shipped = shipped_rules()
    path = center_dir / CENTER_FILE if center_dir is not None else None
    if path is None or not path.exists():
        return RuleSet(shipped)
    try:
        center = read_rules_file(path)
    except InvalidSafetyRules as error:
        return RuleSet(shipped, problem=error, center_file=path)
    return RuleSet(merge(shipped, center), center_file=path)


def merge(shipped: Sequence[Rule], center: RuleFile) -> tuple[Rule, ...]:
    """Center rules replace shipped ones with the same id in place; new ones come last."""
    by_id = {rule.id: rule for rule in shipped}
    for rule in center.rules:
        by_id[rule.id] = rule  # a dict keeps the first insertion's place
    return tuple(rule for rule_id, rule in by_id.items() if rule_id not in center.disabled)


# -- checking -------------------------------------------------------------------------------
def check(rules: RuleSet, drug: DrugRef, facts: PatientFacts, today: date, *,
          replacing_lineage: str | None = None) -> list[SafetyWarning]:
    """The warnings for prescribing ``drug`` today, most serious first; never raises.

    ``replacing_lineage`` is the therapy being repeated or changed: it is not a duplicate
    of itself.
    """
    warnings: list[SafetyWarning] = []
    allergy_rules = [r for r in rules.rules if isinstance(r, AllergyRule)]
    for allergy in facts.allergies:
        warning = _allergy_warning(allergy_rules, drug, allergy)
        if warning is not None:
            warnings.append(warning)
    for rule in rules.rules:
        if isinstance(rule, LabRule):
            warnings.extend(_lab_warnings(rule, drug, facts.labs, today))
        elif isinstance(rule, DuplicateRule):
            warnings.extend(_duplicate_warnings(rule, drug, facts.therapies, replacing_lineage))
    return sorted(warnings, key=lambda w: SEVERITY_ORDER.get(w.severity, 3))


def atc_code(text: str | None) -> str:
    """An ATC code in capitals, or "" when the text is not one (and so matches nothing)."""
    code = (text or "").strip().upper()
    return code if _ATC.fullmatch(code) else ""


def words(text: str | None) -> tuple[str, ...]:
    """Lower-case words without accents: "Amoxicillina/Acido clavulanico" -> 4 words."""
    bare = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in bare if not unicodedata.combining(c)).casefold()
    return tuple(re.findall(r"[^\W_]+", bare))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """``needle`` appears in ``haystack`` as whole consecutive words."""
    if not needle or len("".join(needle)) < 3:  # "a", "K": too short to mean a substance
        return False
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


def _message(rule: Rule, lang: str, **fields: str) -> str:
    template = rule.message.it if lang == "it" else rule.message.en
    return template.format_map(fields)


def _warning(rule: Rule, detail: str, **fields: Callable[[str], str]) -> SafetyWarning:
    """A warning whose message fields may depend on the language (numbers)."""
    def text(lang: str) -> str:
        return _message(rule, lang, **{name: value(lang) for name, value in fields.items()})

    return SafetyWarning(rule.id, rule.kind, rule.severity, text("it"), text("en"), detail)


def _fixed(value: str) -> Callable[[str], str]:
    return lambda _lang: value


def _drug_name(drug: DrugRef) -> str:
    return (drug.name or "").strip() or (drug.active_ingredient or "").strip() or atc_code(
        drug.atc)


# -- allergy --------------------------------------------------------------------------------
def _allergy_warning(rules: Sequence[AllergyRule], drug: DrugRef,
                     allergy: AllergyFact) -> SafetyWarning | None:
    """The first allergy rule (in the rule set's order) that this allergy triggers."""
    for rule in rules:
        if allergy.kind not in rule.kinds:
            continue
        atc_class = _allergy_match(rule, drug, allergy)
        if atc_class is None:
            continue
        allergen = atc_code(allergy.atc)
        substance = (allergy.substance or "").strip() or allergen
        shown = f"{substance} ({allergen})" if allergen and allergen != substance else substance
        detail = (_("Recorded intolerance: {substance}") if allergy.kind == "intolerance"
                  else _("Recorded allergy: {substance}")).format(substance=shown)
        return _warning(rule, detail, drug=_fixed(_drug_name(drug)),
                        substance=_fixed(substance), atc_class=_fixed(atc_class))
    return None


def _allergy_match(rule: AllergyRule, drug: DrugRef, allergy: AllergyFact) -> str | None:
    """The ATC class that links drug and allergy ("" for a substance match), or None."""
    drug_atc, allergen = atc_code(drug.atc), atc_code(allergy.atc)
    if rule.match == "substance":
        if allergen and drug_atc.startswith(allergen):
            return allergen
        substance = words(allergy.substance)
        named = _contains(words(drug.active_ingredient), substance) or _contains(
            words(drug.name), substance)
        return "" if named else None
    if rule.match == "class":
        size = ATC_LENGTH[rule.class_level]
        if len(allergen) >= size and len(drug_atc) >= size and allergen[:size] == drug_atc[:size]:
            return drug_atc[:size]
        return None
    group = next((p for p in rule.drug_atc if drug_atc.startswith(p)), None)
    if group is None or not drug_atc:
        return None
    substance = words(allergy.substance)
    in_group = (bool(allergen) and any(allergen.startswith(p) for p in rule.allergy_atc)) or any(
        _contains(substance, words(term)) for term in rule.allergy_terms)
    return group if in_group else None


# -- lab values -----------------------------------------------------------------------------
def _latest(rule: LabRule, labs: Mapping[str, LabFact]) -> tuple[str, LabFact] | None:
    """The most recent usable value among the rule's observation codes."""
    found: list[tuple[date, str, LabFact]] = []
    for code in rule.observation_codes:
        fact = labs.get(code)
        if fact is None or isinstance(fact.value, bool):
            continue
        try:
            value = float(fact.value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(value):
            found.append((_day(fact.effective_at), code, fact))
    if not found:
        return None
    _when, code, fact = max(found, key=lambda item: item[0])
    return code, fact


def _day(at: date | datetime) -> date:
    return local_time(at).date() if isinstance(at, datetime) else at


def _unit_key(unit: str | None) -> str:
    return re.sub(r"[\s{}_\[\]]", "", unit or "").casefold()


def _lab_warnings(rule: LabRule, drug: DrugRef, labs: Mapping[str, LabFact],
                  today: date) -> list[SafetyWarning]:
    drug_atc = atc_code(drug.atc)
    if not drug_atc or not any(drug_atc.startswith(p) for p in rule.drug_atc):
        return []
    latest = _latest(rule, labs)
    if latest is None:
        return []
    code, fact = latest
    value = float(fact.value)
    if (today - _day(fact.effective_at)).days > rule.max_age_days:
        return []
    # A unit the rule does not know cannot be compared with its threshold: no guess.
    if fact.unit and rule.units and _unit_key(fact.unit) not in {_unit_key(u) for u in rule.units}:
        return []
    if not OPERATORS[rule.operator](value, rule.threshold):
        return []

    def quantity(lang: str) -> str:
        return _quantity(value, fact.unit, code, lang)

    label = rule.label.it if language() == "it" else rule.label.en
    detail = _("{label} {value} on {date}").format(
        label=label, value=quantity(language()), date=format_date(fact.effective_at))
    return [_warning(rule, detail, drug=_fixed(_drug_name(drug)), value=quantity,
                     label=lambda lang: rule.label.it if lang == "it" else rule.label.en)]


def _quantity(value: float, unit: str | None, code: str, lang: str) -> str:
    """A value with its unit as people write it, numbers in ``lang`` (12,5 / 12.5)."""
    number = format_decimal(value, lang=lang)
    if unit in EGFR_UNITS:
        shown = f"mL/min/{format_decimal(1.73, lang=lang)} m²"
    else:
        shown = display_unit(unit, code)
    return f"{number} {shown}" if shown else number


# -- duplicate therapy ----------------------------------------------------------------------
def _duplicate_warnings(rule: DuplicateRule, drug: DrugRef, therapies: Sequence[TherapyFact],
                        replacing_lineage: str | None) -> list[SafetyWarning]:
    size = ATC_LENGTH[rule.level]
    drug_atc = atc_code(drug.atc)
    if len(drug_atc) < size or any(drug_atc.startswith(p) for p in rule.exclude_atc):
        return []
    found = []
    for therapy in therapies:
        other = atc_code(therapy.atc)
        if (not therapy.active or therapy.lineage_id == replacing_lineage
                or len(other) < size or other[:size] != drug_atc[:size]):
            continue
        detail = _("Current therapy: {name} ({atc})").format(name=therapy.name, atc=other)
        found.append(_warning(rule, detail, drug=_fixed(_drug_name(drug)),
                              other=_fixed(therapy.name), atc_class=_fixed(drug_atc[:size])))
    return found
