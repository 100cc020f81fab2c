"""Codice fiscale: a structured check a form can run on every keystroke, and derivation.

The letters of each name, the month letters, the check character and the birthplace
data come from python-codicefiscale; this module adds what a front desk needs on top:
which problem, where (so the form can say "check character: X expected"), the omocodic
digits decoded, and the consistency with the demographics typed beside it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from codicefiscale import codicefiscale as cf_lib

from app.core.errors import InvalidCodiceFiscale
from app.core.i18n import _
from app.records import places_it

LENGTH = 16
MONTHS = "ABCDEHLMPRST"  # January to December
# Omocodia: homonyms get digits replaced by these letters (0 -> L ... 9 -> V), from the
# right, in the digit positions only.
OMOCODIA_LETTERS = "LMNPQRSTUV"
OMOCODIA_POSITIONS = (6, 7, 9, 10, 12, 13, 14)
_LETTER, _DIGIT, _MONTH = "letter", "digit", "month"
_SHAPE = (_LETTER,) * 6 + (_DIGIT,) * 2 + (_MONTH,) + (_DIGIT,) * 2 + (_LETTER,) \
    + (_DIGIT,) * 3 + (_LETTER,)
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


def normalise(value: str) -> str:
    """Upper-case without spaces."""
    return "".join(value.split()).upper()


def _fits(char: str, kind: str) -> bool:
    if kind == _LETTER:
        return char in _UPPER
    if kind == _MONTH:
        return char in MONTHS
    return char in _DIGITS or char in OMOCODIA_LETTERS


def first_misfit(code: str) -> int | None:
    """The index of the first character that cannot stand where it is, if any."""
    for index, char in enumerate(code[:LENGTH]):
        if not _fits(char, _SHAPE[index]):
            return index
    return None


def looks_like_prefix(text: str, minimum: int = 3) -> bool:
    """True when ``text`` could be the start of a codice fiscale ("RSSMRA5", "BNCGLI")."""
    code = normalise(text)
    return minimum <= len(code) <= LENGTH and first_misfit(code) is None


def base_code(code: str) -> str:
    """The code with its omocodic letters turned back into digits (check character kept)."""
    chars = list(code)
    for index in OMOCODIA_POSITIONS:
        if index < len(chars) and chars[index] in OMOCODIA_LETTERS:
            chars[index] = str(OMOCODIA_LETTERS.index(chars[index]))
    return "".join(chars)


@dataclass(frozen=True)
class CfProblem:
    """One thing wrong with a codice fiscale, and the field of the form it concerns."""

    field: str  # "codice_fiscale", "surname", "given_name", "sex", "birth_date", "birth_place"
    message: str  # in the language of the check


@dataclass(frozen=True)
class CfCheck:
    """What a codice fiscale says, and what is wrong with it (nothing when ``ok``)."""

    code: str
    problems: tuple[CfProblem, ...] = ()
    omocodic: bool = False
    base: str = ""  # the code with the omocodic digits decoded
    expected_check: str | None = None  # set when the check character is wrong
    sex: str | None = None
    birth: tuple[int, int, int] | None = None  # (two-digit year, month, day)
    place: places_it.Place | None = None
    place_code: str = ""

    @property
    def ok(self) -> bool:
        """Well formed, right check character, consistent with what was given."""
        return not self.problems

    @property
    def message(self) -> str:
        """The problems, one sentence each."""
        return "; ".join(p.message for p in self.problems)


def _problem(field_name: str, text: str, **values: object) -> CfProblem:
    """A problem; ``text`` is a translated message with ``{fields}``."""
    return CfProblem(field_name, text.format(**values))


def _shape_problems(code: str) -> list[CfProblem]:
    kinds = {_LETTER: _("a letter"), _DIGIT: _("a digit"),
             _MONTH: _("a month letter (ABCDEHLMPRST)")}
    misfit = first_misfit(code)
    if misfit is not None:
        return [_problem("codice_fiscale",
                         _("Character {position} ({char}) cannot be there: {kind} expected"),
                         position=misfit + 1, char=code[misfit], kind=kinds[_SHAPE[misfit]])]
    if len(code) < LENGTH:
        return [_problem("codice_fiscale", _("Incomplete: {count} of 16 characters"),
                         count=len(code))]
    if len(code) > LENGTH:
        return [_problem("codice_fiscale", _("Too long: {count} characters instead of 16"),
                         count=len(code))]
    return []


def _birth(base: str) -> tuple[str, tuple[int, int, int]] | None:
    """(sex, (yy, month, day)) from a de-omocoded code, or None when impossible."""
    year, month = int(base[6:8]), MONTHS.index(base[8]) + 1
    day = int(base[9:11])
    sex = "F" if day > 40 else "M"
    day -= 40 if sex == "F" else 0
    # The century is unknown: the date must exist in one of them (29 February).
    if not any(1 <= day <= calendar.monthrange(century + year, month)[1]
               for century in (1800, 1900, 2000)):
        return None
    return sex, (year, month, day)


def _consistency(found: CfCheck, *, surname: str | None, given_name: str | None,
                 sex: str | None, birth_date: date | None, place_code: str | None,
                 ) -> list[CfProblem]:
    out: list[CfProblem] = []
    code = found.code
    if surname and surname.strip():
        expected = cf_lib.encode_lastname(surname)
        if expected != code[0:3]:
            out.append(_problem("surname",
                                _("The surname gives {expected}, the code has {found}"),
                                expected=expected, found=code[0:3]))
    if given_name and given_name.strip():
        expected = cf_lib.encode_firstname(given_name)
        if expected != code[3:6]:
            out.append(_problem("given_name",
                                _("The given name gives {expected}, the code has {found}"),
                                expected=expected, found=code[3:6]))
    if sex in ("M", "F") and found.sex is not None and sex != found.sex:
        text = (_("The code is for a woman, not a man") if found.sex == "F"
                else _("The code is for a man, not a woman"))
        out.append(_problem("sex", text))
    if birth_date is not None and found.birth is not None:
        year, month, day = found.birth
        if (birth_date.year % 100, birth_date.month, birth_date.day) != found.birth:
            shown = f"{day:02d}/{month:02d}/{year:02d}"
            out.append(_problem("birth_date", _("The code has the birth date {date}"),
                                date=shown))
    if place_code and found.place_code and place_code.upper() != found.place_code:
        place = found.place.label if found.place else found.place_code
        out.append(_problem("birth_place", _("The code has the birthplace {place} ({code})"),
                            place=place, code=found.place_code))
    return out


def check(value: str, *, surname: str | None = None, given_name: str | None = None,
          sex: str | None = None, birth_date: date | None = None,
          place_code: str | None = None) -> CfCheck:
    """Check a codice fiscale, and its consistency with whichever demographics are given.

    Never raises: every problem is in the result, with the form field it concerns.
    """
    code = normalise(value)
    if not code:
        return CfCheck(code, (_problem("codice_fiscale", _("No codice fiscale")),))
    shape = _shape_problems(code)
    if shape:
        return CfCheck(code, tuple(shape))
    expected = cf_lib.encode_cin(code[:15])
    if expected != code[15]:
        problem = _problem("codice_fiscale",
                           _("Wrong check character: {found} found, {expected} expected"),
                           found=code[15], expected=expected)
        return CfCheck(code, (problem,), expected_check=expected)
    base = base_code(code)
    birth = _birth(base)
    if birth is None:
        impossible = _problem("codice_fiscale", _("The birth date inside the code is impossible"))
        return CfCheck(code, (impossible,), base=base)
    place_in_code = base[11:15]
    place = places_it.by_code(place_in_code)
    found = CfCheck(code, (), base != code, base, None, birth[0], birth[1], place, place_in_code)
    problems: list[CfProblem] = []
    if place is None:
        problems.append(_problem("codice_fiscale", _("Unknown birthplace code {code}"),
                                 code=place_in_code))
    problems += _consistency(found, surname=surname, given_name=given_name, sex=sex,
                             birth_date=birth_date, place_code=place_code)
    return CfCheck(code, tuple(problems), found.omocodic, base, None, found.sex, found.birth,
                   place, place_in_code)


def resolve_place(birth_place: str, province: str | None = None,
                  born: date | None = None) -> places_it.Place:
    """The comune or state of a birthplace given by name (or Belfiore code) and province."""
    found = places_it.find(birth_place, province, born)
    if not found and born is not None:
        found = places_it.find(birth_place, province)  # the data's dates are not perfect
    if not found:
        raise InvalidCodiceFiscale("Unknown birthplace: {place}", place=birth_place)
    if len(found) > 1:
        raise InvalidCodiceFiscale(
            "Several comuni are called {place}: give the province", place=birth_place)
    return found[0]


def derive(surname: str, given_name: str, sex: str, birth_date: date, birth_place: str,
           *, province: str | None = None) -> str:
    """Compute the codice fiscale from the demographics (birth place: name or Belfiore code)."""
    if not (surname.strip() and given_name.strip()) or sex not in ("M", "F"):
        raise InvalidCodiceFiscale(
            "To compute the codice fiscale give surname, given name and sex")
    place = resolve_place(birth_place, province, birth_date)
    stem = (cf_lib.encode_lastname(surname) + cf_lib.encode_firstname(given_name)
            + cf_lib.encode_birthdate(birth_date.isoformat(), "M" if sex == "M" else "F")
            + place.code)
    return stem + cf_lib.encode_cin(stem)


def validate(value: str) -> str:
    """The normalised codice fiscale, or InvalidCodiceFiscale (check letter, omocodia allowed)."""
    result = check(value)
    if not result.ok:
        raise InvalidCodiceFiscale(
            "Invalid codice fiscale {code}: {problem}", code=result.code,
            problem=result.problems[0].message)
    return result.code


def check_consistent(code: str, sex: str, birth_date: date) -> None:
    """Refuse a codice fiscale whose birth date or sex disagree with the demographics."""
    result = check(code, sex=sex, birth_date=birth_date)
    if not result.ok:
        raise InvalidCodiceFiscale(
            "Invalid codice fiscale {code}: {problem}", code=result.code,
            problem=result.problems[0].message)


def birth_place_code(code: str) -> str:
    """The Belfiore code inside a (possibly omocodic) codice fiscale."""
    return base_code(normalise(code))[11:15]
