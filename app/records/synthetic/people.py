"""Synthetic people: names, sex, birth, codice fiscale, health card, address and phones."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

import codicefiscale

from app.records.search_keys import phone_key
from app.records.synthetic.names import FEMALE_NAMES, MALE_NAMES, SURNAMES
from app.records.synthetic.places import (
    Address,
    Birthplace,
    milano,
    pick_address,
    pick_birthplace,
)

Sex = Literal["M", "F"]
# Adult age bands of a GP list (Lombardy, roughly): (low, high, weight).
_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (14, 24, 0.10), (25, 34, 0.11), (35, 44, 0.14), (45, 54, 0.17), (55, 64, 0.16),
    (65, 74, 0.13), (75, 84, 0.12), (85, 98, 0.07),
)
_TS_MULTIPLIER = 7_919_377_733  # coprime with 10**14: a bijection on the card numbers


@dataclass(frozen=True)
class Person:
    """The demographics of one synthetic patient."""

    surname: str
    given_name: str
    sex: Sex
    birth_date: date
    birthplace: Birthplace
    codice_fiscale: str
    tessera_sanitaria: str
    address: Address
    phone: str | None
    mobile: str | None
    email: str | None

    @property
    def phone_key(self) -> str | None:
        """The phone's digits (what the search index holds)."""
        return phone_key(self.phone)

    @property
    def mobile_key(self) -> str | None:
        """The mobile's digits (what the search index holds)."""
        return phone_key(self.mobile)


@functools.cache
def _surname_code(surname: str) -> str:
    return codicefiscale.encode_lastname(surname)


@functools.cache
def _given_code(given: str) -> str:
    return codicefiscale.encode_firstname(given)


def compute_codice_fiscale(
    surname: str, given: str, sex: Sex, birth_date: date, place_code: str
) -> str:
    """The codice fiscale, built from python-codicefiscale's parts with cached name codes.

    ``codicefiscale.encode`` decodes its result and looks the place up by name, about
    1.5 ms a call; the parts with cached name codes take a few microseconds.
    """
    stem = (
        _surname_code(surname)
        + _given_code(given)
        + codicefiscale.encode_birthdate(datetime.combine(birth_date, time()), sex)
        + place_code
    )
    return stem + codicefiscale.encode_cin(stem)


def _birth_date(rng: random.Random, as_of: date) -> date:
    low, high, _ = rng.choices(_AGE_BANDS, weights=[b[2] for b in _AGE_BANDS])[0]
    age_days = rng.randint(low * 365 + 1, high * 365 + 300)
    return as_of - timedelta(days=age_days)


def tessera_sanitaria(index: int, seed: int) -> str:
    """A synthetic 20-digit card number starting 80380, unique per index within a seed."""
    serial = (index * _TS_MULTIPLIER + seed * 104_729) % 10**14
    return f"803809{serial:014d}"


def _phones(rng: random.Random) -> tuple[str | None, str | None]:
    # Written as people give them ("02 0000 4817", "399 512 0398"), but in ranges that no
    # Italian operator assigns as far as we know (02 0000 xxxx, 399): a synthetic patient's
    # number must never be a real person's.
    phone = f"02 0000 {rng.randint(0, 9999):04d}" if rng.random() < 0.5 else None
    mobile = None
    if rng.random() < 0.85:
        mobile = f"399 {rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"
    return phone, mobile


def _email(rng: random.Random, given: str, surname: str) -> str | None:
    if rng.random() < 0.45:
        return None
    text = f"{given}.{surname}".lower()
    local = "".join(c for c in text if c.isascii() and (c.isalnum() or c == "."))
    return f"{local}{rng.randint(1, 99)}@example.com"


class PersonFactory:
    """Makes people whose codici fiscali never repeat within one factory."""

    def __init__(self, seed: int, as_of: date,
                 reserved: frozenset[tuple[str, str]] = frozenset()) -> None:
        self._seed = seed
        self._as_of = as_of
        self._used_cf: set[str] = set()
        self._reserved = reserved  # (surname, given name) of named demo patients

    def make(self, rng: random.Random, index: int, min_age: int | None = None) -> Person:
        """A new person; on a codice fiscale collision the birth date moves a day back."""
        sex: Sex = "F" if rng.random() < 0.52 else "M"
        given = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
        surname = rng.choice(SURNAMES)
        while (surname, given) in self._reserved:
            surname = rng.choice(SURNAMES)
        birth = _birth_date(rng, self._as_of)
        if min_age is not None:
            birth = min(birth, self._as_of - timedelta(days=min_age * 366 + rng.randint(0, 3650)))
        return self._person(rng, index, (surname, given, sex), birth, pick_birthplace(rng))

    def make_named(self, rng: random.Random, index: int, name: tuple[str, str, Sex],
                   birth: date) -> Person:
        """A named person, (surname, given name, sex), born in Milan: a demo patient the
        documentation refers to."""
        return self._person(rng, index, name, birth, milano())

    def _person(self, rng: random.Random, index: int, name: tuple[str, str, Sex],
                birth: date, place: Birthplace) -> Person:
        surname, given, sex = name
        cf = compute_codice_fiscale(surname, given, sex, birth, place.code)
        while cf in self._used_cf:
            birth -= timedelta(days=1)
            cf = compute_codice_fiscale(surname, given, sex, birth, place.code)
        self._used_cf.add(cf)
        phone, mobile = _phones(rng)
        return Person(
            surname=surname,
            given_name=given,
            sex=sex,
            birth_date=birth,
            birthplace=place,
            codice_fiscale=cf,
            tessera_sanitaria=tessera_sanitaria(index, self._seed),
            address=pick_address(rng),
            phone=phone,
            mobile=mobile,
            email=_email(rng, given, surname),
        )
