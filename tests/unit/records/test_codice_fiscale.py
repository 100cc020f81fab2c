"""Codice fiscale checks a form runs live, derivation, and the comuni/states behind them."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import InvalidCodiceFiscale
from app.records import codice_fiscale as cf
from app.records import places_it

MARIO = "RSSMRA56D03F205K"  # Rossi Mario, male, 3 April 1956, Milano
MARIO_OMOCODIC = "RSSMRA56D03F20RF"  # his homonym: last digit 5 -> R, new check letter


def _mario(code: str, **changes: object) -> cf.CfCheck:
    given_ = {"surname": "Rossi", "given_name": "Mario", "sex": "M",
              "birth_date": date(1956, 4, 3), "place_code": "F205"} | changes
    return cf.check(code, **given_)  # type: ignore[arg-type]


def test_a_consistent_code_is_ok():
    result = _mario(MARIO)
    assert result.ok and result.message == ""
    assert (result.sex, result.birth, result.place_code) == ("M", (56, 4, 3), "F205")
    assert result.place is not None and result.place.label == "Milano (MI)"
    assert not result.omocodic


def test_a_wrong_check_character_names_the_expected_one():
    result = cf.check("RSSMRA56D03F205X")
    assert not result.ok
    assert result.expected_check == "K"
    assert result.problems[0].field == "codice_fiscale"
    assert "K expected" in result.message and "X found" in result.message


def test_an_omocodic_code_is_valid_and_its_digits_are_decoded():
    result = _mario(MARIO_OMOCODIC)
    assert result.ok
    assert result.omocodic
    assert result.base.startswith("RSSMRA56D03F205")
    assert cf.birth_place_code(MARIO_OMOCODIC) == "F205"


def test_every_omocodic_variant_checks_out():
    from codicefiscale import codicefiscale as lib

    variants = lib.decode(MARIO)["omocodes"]
    assert len(variants) == 128
    for code in variants:
        result = _mario(code)
        assert result.ok, (code, result.message)
        assert result.base[:15] == MARIO[:15]


@pytest.mark.parametrize(("code", "needle"), [
    ("", "No codice fiscale"),
    ("RSSMRA56D0", "Incomplete: 10 of 16"),
    ("RSSMRA5ZD03F205K", "Character 8 (Z)"),
    ("RSSMRA56Z03F205K", "Character 9 (Z)"),
    ("RSSMRA56D03F205KK", "Too long"),
])
def test_malformed_codes_say_what_is_wrong(code, needle):
    result = cf.check(code)
    assert not result.ok
    assert needle in result.message


def test_an_impossible_date_or_an_unknown_place_is_refused():
    stem = "RSSMRA56B30F205"  # 30 February
    assert "impossible" in cf.check(stem + _cin(stem)).message
    stem = "RSSMRA56D03Z999"
    assert "Unknown birthplace code Z999" in cf.check(stem + _cin(stem)).message


def _cin(stem: str) -> str:
    from codicefiscale import codicefiscale as lib

    return lib.encode_cin(stem)


@pytest.mark.parametrize(("changes", "field", "needle"), [
    ({"surname": "Verdi"}, "surname", "VRD"),
    ({"surname": "Bianchi"}, "surname", "BNC"),
    ({"given_name": "Marco"}, "given_name", "MRC"),
    ({"sex": "F"}, "sex", "for a man"),
    ({"birth_date": date(1956, 4, 4)}, "birth_date", "03/04/56"),
    ({"place_code": "H501"}, "birth_place", "Milano (MI) (F205)"),
])
def test_inconsistencies_name_the_field(changes, field, needle):
    result = _mario(MARIO, **changes)
    assert [p.field for p in result.problems] == [field]
    assert needle in result.message


def test_the_century_is_not_guessed_against_the_patient():
    code = cf.derive("Rossi", "Mario", "M", date(1925, 4, 3), "Milano")
    assert cf.check(code, birth_date=date(1925, 4, 3), sex="M").ok
    cf.check_consistent(code, "M", date(1925, 4, 3))
    with pytest.raises(InvalidCodiceFiscale):
        cf.check_consistent(code, "F", date(1925, 4, 3))


def test_messages_are_italian_in_the_italian_ui(monkeypatch):
    from app.core import i18n

    monkeypatch.setattr(i18n, "_current", "it")
    assert "atteso" in cf.check("RSSMRA56D03F205X").message.lower()
    assert "donna" in _mario(MARIO, sex="F").message or "uomo" in _mario(MARIO, sex="F").message


def test_derivation_uses_name_code_or_province():
    assert cf.derive("Rossi", "Mario", "M", date(1956, 4, 3), "Milano") == MARIO
    assert cf.derive("Rossi", "Mario", "M", date(1956, 4, 3), "F205") == MARIO
    assert cf.derive("Rossi", "Mario", "M", date(1956, 4, 3), "milano") == MARIO
    assert cf.derive("Rossi", "Mario", "M", date(1986, 4, 3), "Castro", province="LE")[11:15] \
        == "M261"
    with pytest.raises(InvalidCodiceFiscale, match="give the province"):
        cf.derive("Rossi", "Mario", "M", date(1986, 4, 3), "Castro")
    with pytest.raises(InvalidCodiceFiscale, match="Unknown birthplace"):
        cf.derive("Rossi", "Mario", "M", date(1986, 4, 3), "Atlantide")
    assert cf.derive("Müller", "Hans", "M", date(1970, 1, 1), "Svizzera")[11:15] == "Z133"


def test_validate_keeps_its_contract():
    assert cf.validate(" rssmra56d03f205k ") == MARIO
    assert cf.validate(MARIO_OMOCODIC) == MARIO_OMOCODIC
    with pytest.raises(InvalidCodiceFiscale, match="K expected"):
        cf.validate("RSSMRA56D03F205X")


@pytest.mark.parametrize(("text", "expected"), [
    ("ROS", True), ("rss", True), ("RSSMRA", True), ("RSSMRA5", True), ("RSSMRA56D0", True),
    ("RS", False), ("ROSSINI", False), ("RSSMRA5Z", False), ("12345", False),
    (MARIO, True), (MARIO_OMOCODIC, True), (MARIO + "X", False),
])
def test_what_looks_like_the_start_of_a_codice_fiscale(text, expected):
    assert cf.looks_like_prefix(text) is expected


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ABCDEHLMRSTVXZ0123456789 ", max_size=20))
def test_check_never_raises(text):
    result = cf.check(text)
    assert result.ok == (not result.problems)


# -- places ----------------------------------------------------------------------------------

def test_places_by_prefix_current_first_accents_ignored():
    found = places_it.search("mil", 5)
    assert found[0].label == "Milano (MI)" and found[0].code == "F205"
    assert places_it.search("FORLI", 1)[0].name == "Forlì"
    assert places_it.search("sesto san g", 3)[0].name == "Sesto San Giovanni"
    assert places_it.search("reggio di c", 3)[0].label == "Reggio di Calabria (RC)"
    switzerland = places_it.search("sviz", 1)[0]
    assert (switzerland.province, switzerland.code, switzerland.foreign) == ("EE", "Z133", True)
    assert places_it.search("switzerl", 1)[0].code == "Z133"  # the English name too
    assert places_it.search("") == []


def test_suppressed_places_only_when_asked():
    assert places_it.search("jugoslavia") == []
    former = places_it.search("jugoslavia", suppressed=True)
    assert [(p.name, p.active) for p in former] == [("Jugoslavia", False)]
    everything = places_it.search("mil", 50, suppressed=True)
    actives = [p.active for p in everything]
    assert actives == sorted(actives, reverse=True)  # current ones first


def test_find_by_name_code_and_province():
    assert [p.province for p in places_it.find("Castro")] == ["BG", "LE"]
    assert [p.code for p in places_it.find("Castro", "LE")] == ["M261"]
    assert [p.code for p in places_it.find("Castro", on=date(1950, 1, 1))] == ["C337"]
    assert places_it.find("F205")[0].name == "Milano"
    assert places_it.find("Bozen")[0].name == "Bolzano"
    assert places_it.by_code("z118").name == "Jugoslavia"  # type: ignore[union-attr]
    assert places_it.by_code("Q000") is None


def test_place_search_is_fast_enough_for_a_completer():
    places_it.load()
    start = time.perf_counter()
    for text in ("s", "sa", "san", "mi", "mil", "ber", "b", "a", "ro", "c"):
        places_it.search(text, 20, suppressed=True)
    assert (time.perf_counter() - start) / 10 < 0.010
