"""Reading and checking a safety rules file (the shipped one or a center's): ADR 0018.

A mistake in a center's file is reported with the file, the line of the rule and the
field, in words a GP's IT person can act on; it never reaches the prescribing screen as a
traceback, and the shipped rules stay in force (``app.records.safety.load_rules``).
"""

from __future__ import annotations

import json
import math
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from app.core.errors import InvalidInput

FORMAT = "medirete-safety-rules"
VERSION = 1
# ATC level -> length of the code at that level: A, A10, A10B, A10BA, A10BA02.
ATC_LENGTH = {1: 1, 2: 3, 3: 4, 4: 5, 5: 7}
KINDS = ("allergy", "lab", "duplicate")
SEVERITIES = ("high", "medium", "low")
ALLERGY_KINDS = ("allergy", "intolerance")
MATCHES = ("substance", "class", "group")
OPERATORS = ("<", "<=", ">", ">=")
# What a message may name, per kind of rule: {drug} is the drug being prescribed.
PLACEHOLDERS = {
    "allergy": {"drug", "substance", "atc_class"},
    "lab": {"drug", "value", "label"},
    "duplicate": {"drug", "other", "atc_class"},
}
_COMMON = {"id", "kind", "severity", "message", "source", "enabled"}
FIELDS = {
    "allergy": _COMMON | {"match", "kinds", "class_level", "allergy_atc", "allergy_terms",
                          "drug_atc"},
    "lab": _COMMON | {"drug_atc", "observation_codes", "label", "operator", "threshold",
                      "units", "max_age_days"},
    "duplicate": _COMMON | {"level", "exclude_atc"},
}
_ID = re.compile(r"[A-Za-z0-9._-]{1,80}")
_ATC = re.compile(r"[A-Z][0-9A-Z]{0,6}")


class InvalidSafetyRules(InvalidInput):
    message = "The safety rules file {path} is not valid: {detail}"


@dataclass(frozen=True)
class Texts:
    """A text in Italian and English."""

    it: str
    en: str


@dataclass(frozen=True, kw_only=True)
class Rule:
    """What every rule has: id, kind, severity, message; ``source`` cites where it comes from."""

    id: str
    kind: str
    severity: str
    message: Texts
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class AllergyRule(Rule):
    """substance: the drug is the allergen; class: same ATC class at ``class_level``;
    group: allergen and drug both in a cross-reacting group (e.g. the penicillins J01C)."""

    match: str
    kinds: tuple[str, ...] = ALLERGY_KINDS
    class_level: int = 4
    allergy_atc: tuple[str, ...] = ()
    allergy_terms: tuple[str, ...] = ()
    drug_atc: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LabRule(Rule):
    """A drug (ATC prefixes) contraindicated while the latest value of some observation
    codes, no older than ``max_age_days``, is ``operator`` ``threshold``."""

    drug_atc: tuple[str, ...]
    observation_codes: tuple[str, ...]
    label: Texts
    operator: str
    threshold: float
    max_age_days: int
    units: tuple[str, ...] = ()  # empty: any unit


@dataclass(frozen=True, kw_only=True)
class DuplicateRule(Rule):
    """A current therapy in the same ATC class (level 4: the first 5 characters)."""

    level: int = 4
    exclude_atc: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleFile:
    """The rules of one file and the ids it switches off (``"enabled": false``)."""

    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()


def read_rules_file(path: Path) -> RuleFile:
    """Read and check a rules file; InvalidSafetyRules names the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidSafetyRules(path=str(path), detail="the file is not UTF-8 text") from None
    except OSError:
        raise InvalidSafetyRules(path=str(path), detail="the file cannot be read") from None
    return parse_rules(text, str(path))


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_rules(text: str, source: str) -> RuleFile:
    """Check the text of a rules file; ``source`` names it in error messages."""
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InvalidSafetyRules(
            "The safety rules file {path} is not valid JSON at line {line}, column {column}: "
            "{error}", path=source, line=error.lineno, column=error.colno, error=error.msg,
        ) from None
    except ValueError:
        raise InvalidSafetyRules(
            path=source, detail="NaN and Infinity are not numbers JSON allows") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidSafetyRules(
            path=source, detail='a JSON object with "format": "medirete-safety-rules" is needed')
    if document.get("version") != VERSION:
        raise InvalidSafetyRules(path=source, detail="this program reads version 1 only")
    entries = document.get("rules")
    if not isinstance(entries, list):
        raise InvalidSafetyRules(path=source, detail='"rules" must be a list of rules')
    rules: list[Rule] = []
    disabled: set[str] = set()
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        reader = _RuleReader(source, text, number, entry)
        rule_id = reader.rule_id()
        if rule_id in seen:
            reader.fail("id", "the same id appears twice in the file")
        seen.add(rule_id)
        if reader.enabled():
            rules.append(reader.rule())
        else:
            disabled.add(rule_id)
    return RuleFile(tuple(rules), frozenset(disabled))


class _RuleReader:
    """Reads one rule's fields, failing with the file, line, rule and field named."""

    def __init__(self, source: str, text: str, number: int, entry: object) -> None:
        self.source, self.text, self.position = source, text, number
        self.id = ""
        if not isinstance(entry, dict):
            self.fail("", "each rule must be a JSON object")
        self.entry: dict[str, Any] = entry

    def fail(self, name: str, detail: str) -> NoReturn:
        line = self._line()
        if line is None:
            raise InvalidSafetyRules(
                'The safety rules file {path} is not valid: rule number {number}, field '
                '"{field}": {detail}', path=self.source, number=self.position, field=name,
                detail=detail)
        raise InvalidSafetyRules(
            'The safety rules file {path} is not valid at line {line}, rule "{rule}", field '
            '"{field}": {detail}', path=self.source, line=line, rule=self.id, field=name,
            detail=detail)

    def _line(self) -> int | None:
        if not self.id:
            return None
        found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(self.id)), self.text)
        return self.text.count("\n", 0, found.start()) + 1 if found else None

    # -- whole rules --------------------------------------------------------------------
    def rule_id(self) -> str:
        value = self.entry.get("id")
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.fail("id", "letters, digits, dots, dashes and underscores only")
        self.id = value
        return value

    def enabled(self) -> bool:
        value = self.entry.get("enabled", True)
        if not isinstance(value, bool):
            self.fail("enabled", "true or false is needed")
        return value

    def rule(self) -> Rule:
        kind = self.choice("kind", KINDS, "one of: allergy, lab, duplicate")
        unknown = sorted(set(self.entry) - FIELDS[kind])
        if unknown:
            self.fail(unknown[0], "this kind of rule has no such field")
        common: dict[str, Any] = {
            "id": self.id, "kind": kind,
            "severity": self.choice("severity", SEVERITIES, "one of: high, medium, low"),
            "message": self.message(kind), "source": self.optional_text("source"),
        }
        if kind == "allergy":
            return self.allergy_rule(common)
        if kind == "lab":
            return self.lab_rule(common)
        return DuplicateRule(**common, level=self.level("level", 4),
                             exclude_atc=self.atc_list("exclude_atc", required=False))

    def allergy_rule(self, common: dict[str, Any]) -> AllergyRule:
        match = self.choice("match", MATCHES, "one of: substance, class, group")
        kinds = self.text_list("kinds", required=False) or ALLERGY_KINDS
        if not set(kinds) <= set(ALLERGY_KINDS):
            self.fail("kinds", "a list of allergy kinds is needed: allergy, intolerance")
        rule = AllergyRule(
            **common, match=match, kinds=kinds, class_level=self.level("class_level", 4),
            allergy_atc=self.atc_list("allergy_atc", required=False),
            allergy_terms=self.text_list("allergy_terms", required=False),
            drug_atc=self.atc_list("drug_atc", required=match == "group"))
        if match == "group" and not (rule.allergy_atc or rule.allergy_terms):
            self.fail("allergy_atc", "a group needs ATC codes or terms for the allergy")
        return rule

    def lab_rule(self, common: dict[str, Any]) -> LabRule:
        return LabRule(
            **common, drug_atc=self.atc_list("drug_atc", required=True),
            observation_codes=self.text_list("observation_codes", required=True),
            label=self.texts("label"),
            operator=self.choice("operator", OPERATORS, "one of: <, <=, >, >="),
            threshold=self.number("threshold"), max_age_days=self.days("max_age_days"),
            units=self.text_list("units", required=False))

    # -- fields -------------------------------------------------------------------------
    def choice(self, name: str, options: tuple[str, ...], detail: str) -> str:
        value = self.entry.get(name)
        if value not in options:
            self.fail(name, detail)
        return str(value)

    def optional_text(self, name: str) -> str | None:
        value = self.entry.get(name)
        if value is not None and not isinstance(value, str):
            self.fail(name, "a text is needed")
        return value

    def texts(self, name: str) -> Texts:
        value = self.entry.get(name)
        detail = 'an object with the Italian text ("it") and, if wanted, the English ("en")'
        if not isinstance(value, dict) or set(value) - {"it", "en"}:
            self.fail(name, detail)
        italian, english = value.get("it"), value.get("en", value.get("it"))
        if not (isinstance(italian, str) and italian.strip() and isinstance(english, str)
                and english.strip()):
            self.fail(name, detail)
        return Texts(italian, english)

    def message(self, kind: str) -> Texts:
        texts = self.texts("message")
        sample = dict.fromkeys(PLACEHOLDERS[kind], "x")
        for template in (texts.it, texts.en):
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
                template.format_map(sample)
            except (ValueError, KeyError, IndexError, AttributeError):
                names = {""}
            if not names <= PLACEHOLDERS[kind]:
                self.fail("message", "a placeholder this kind of rule does not know, or a "
                          "stray brace")
        return texts

    def text_list(self, name: str, *, required: bool) -> tuple[str, ...]:
        value = self.entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.fail(name, "a list of texts is needed")
        if required and not value:
            self.fail(name, "a list of texts is needed")
        return tuple(v.strip() for v in value)

    def atc_list(self, name: str, *, required: bool) -> tuple[str, ...]:
        value = self.entry.get(name, [])
        detail = 'a list of ATC codes is needed, such as ["A10BA02"]'
        if not isinstance(value, list) or (required and not value):
            self.fail(name, detail)
        codes = tuple(v.strip().upper() if isinstance(v, str) else "" for v in value)
        if not all(_ATC.fullmatch(code) for code in codes):
            self.fail(name, detail)
        return codes

    def number(self, name: str) -> float:
        value = self.entry.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            self.fail(name, "a number is needed")
        return float(value)

    def level(self, name: str, default: int) -> int:
        value = self.entry.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value not in ATC_LENGTH:
            self.fail(name, "an ATC level is needed: a whole number from 1 to 5")
        return int(value)

    def days(self, name: str) -> int:
        value = self.entry.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(name, "a whole number of days is needed")
        return value
