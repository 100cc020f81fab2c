"""Synthetic people: valid, consistent and unique codici fiscali; deterministic ids."""

from __future__ import annotations

import random
import uuid
from datetime import date

import codicefiscale
from hypothesis import given, settings
from hypothesis import strategies as st

from app.records.synthetic import (
    IdClock,
    Person,
    PersonFactory,
    compute_codice_fiscale,
    seeded_uuid7,
)
from app.records.synthetic.names import FEMALE_NAMES, MALE_NAMES, SURNAMES
from app.records.synthetic.people import Sex
from app.records.synthetic.places import Birthplace, birthplace_pools, rome_to_utc

AS_OF = date(2025, 3, 1)


def _people(count: int, seed: int = 3) -> list[Person]:
    factory = PersonFactory(seed, AS_OF)
    return [factory.make(random.Random(f"{seed}:{i}"), i) for i in range(count)]


def _assert_consistent(
    cf: str, surname: str, given_name: str, sex: str, birth: date, place_code: str
) -> None:
    assert codicefiscale.is_valid(cf)
    decoded = codicefiscale.decode(cf)
    assert decoded["raw"]["lastname"] == codicefiscale.encode_lastname(surname)
    assert decoded["raw"]["firstname"] == codicefiscale.encode_firstname(given_name)
    assert decoded["gender"] == sex
    born = decoded["birthdate"]
    # The CF holds two year digits: decode picks the century, we compare the rest.
    assert (born.year % 100, born.month, born.day) == (birth.year % 100, birth.month, birth.day)
    assert decoded["birthplace"]["code"] == place_code


def test_every_codice_fiscale_is_valid_and_matches_the_person() -> None:
    for person in _people(1500):
        _assert_consistent(
            person.codice_fiscale,
            person.surname,
            person.given_name,
            person.sex,
            person.birth_date,
            person.birthplace.code,
        )


def test_codici_fiscali_and_cards_are_unique() -> None:
    people = _people(5000)
    assert len({p.codice_fiscale for p in people}) == 5000
    assert len({p.tessera_sanitaria for p in people}) == 5000
    assert all(
        len(p.tessera_sanitaria) == 20
        and p.tessera_sanitaria.startswith("80380")
        and p.tessera_sanitaria.isdigit()
        for p in people
    )


def test_same_encoding_as_the_library_encode() -> None:
    for person in _people(50):
        expected = codicefiscale.encode(
            person.surname,
            person.given_name,
            person.sex,
            person.birth_date.isoformat(),
            person.birthplace.code,
        )
        assert person.codice_fiscale == expected


def test_birthplaces_favour_milan_and_lombardy() -> None:
    people = _people(2000)
    milan = sum(p.birthplace.code == "F205" for p in people)
    lombardy_codes = {b.code for b in birthplace_pools()[0]}
    lombardy = sum(p.birthplace.code in lombardy_codes for p in people)
    assert 0.4 < milan / 2000 < 0.6
    assert lombardy / 2000 > 0.65


_places = [*birthplace_pools()[0][:200], *birthplace_pools()[1], *birthplace_pools()[2]]


@settings(max_examples=120, deadline=None)
@given(
    surname=st.sampled_from(SURNAMES),
    female=st.booleans(),
    name_index=st.integers(0, 10_000),
    birth=st.dates(date(1926, 1, 1), date(2011, 12, 31)),
    place=st.sampled_from(_places),
)
def test_any_synthetic_person_gets_a_consistent_code(
    surname: str, female: bool, name_index: int, birth: date, place: Birthplace
) -> None:
    names = FEMALE_NAMES if female else MALE_NAMES
    given_name = names[name_index % len(names)]
    sex: Sex = "F" if female else "M"
    code = place.code
    cf = compute_codice_fiscale(surname, given_name, sex, birth, code)
    _assert_consistent(cf, surname, given_name, sex, birth, code)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), ms=st.integers(0, 2**48 - 1))
def test_seeded_uuid7_layout_and_determinism(seed: int, ms: int) -> None:
    value = seeded_uuid7(random.Random(seed), ms)
    parsed = uuid.UUID(value)
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert parsed.int >> 80 == ms
    assert value == seeded_uuid7(random.Random(seed), ms)


def test_id_clock_hands_out_increasing_ids() -> None:
    clock = IdClock.starting_on(random.Random(1), AS_OF)
    ids = [clock.next_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_rome_time_follows_summer_time() -> None:
    assert rome_to_utc(date(2025, 7, 1), 9, 0).hour == 7
    assert rome_to_utc(date(2025, 1, 10), 9, 0).hour == 8
    assert rome_to_utc(date(2025, 3, 30), 9, 0).hour == 7  # last Sunday of March
    assert rome_to_utc(date(2025, 10, 26), 9, 0).hour == 8  # last Sunday of October


def test_place_names_are_written_the_italian_way():
    from app.records.synthetic.places import italian_place_name

    assert italian_place_name("Reggio Di Calabria") == "Reggio di Calabria"
    assert italian_place_name("Reggio Nell'Emilia") == "Reggio nell'Emilia"
    assert italian_place_name("Trinità D'Agultu E Vignola") == "Trinità d'Agultu e Vignola"
    assert italian_place_name("Sesto San Giovanni") == "Sesto San Giovanni"
