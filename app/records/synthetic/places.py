"""Birthplaces with Belfiore codes (from python-codicefiscale's data) and Milan-area addresses."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from codicefiscale.data import get_countries_data, get_municipalities_data

from app.records.places_it import italian_place_name

LOMBARDY_PROVINCES = frozenset(
    {"MI", "MB", "BG", "BS", "CO", "CR", "LC", "LO", "MN", "PV", "SO", "VA"}
)
# Cities people in Milan were often born in (internal migration), by (name, province).
OTHER_ITALIAN_CITIES: tuple[tuple[str, str], ...] = (
    ("Napoli", "NA"), ("Palermo", "PA"), ("Bari", "BA"), ("Roma", "RM"), ("Torino", "TO"),
    ("Catania", "CT"), ("Reggio Di Calabria", "RC"), ("Foggia", "FG"), ("Lecce", "LE"),
    ("Genova", "GE"), ("Bologna", "BO"), ("Venezia", "VE"), ("Cagliari", "CA"),
    ("Messina", "ME"), ("Salerno", "SA"), ("Cosenza", "CS"), ("Taranto", "TA"),
    ("Agrigento", "AG"), ("Potenza", "PZ"), ("Campobasso", "CB"), ("Verona", "VR"),
    ("Firenze", "FI"), ("Brindisi", "BR"), ("Caserta", "CE"), ("Siracusa", "SR"),
)
FOREIGN_COUNTRIES: tuple[str, ...] = (
    "Svizzera", "Argentina", "Germania", "Romania", "Marocco", "Albania", "Francia", "Belgio",
)
# Only places that existed before anybody we generate was born, so the code is valid.
_EXISTING_BEFORE = "1900-01-01T00:00:00"

MILAN_STREETS: tuple[tuple[str, str], ...] = (
    ("Via Padova", "20127"), ("Viale Monza", "20127"), ("Corso Buenos Aires", "20124"),
    ("Via Washington", "20146"), ("Via Lorenteggio", "20146"), ("Viale Certosa", "20155"),
    ("Via Novara", "20147"), ("Corso San Gottardo", "20136"), ("Via Ripamonti", "20141"),
    ("Viale Famagosta", "20142"), ("Via Giambellino", "20146"), ("Via Imbonati", "20159"),
    ("Viale Fulvio Testi", "20126"), ("Via Palmanova", "20132"), ("Via Mecenate", "20138"),
    ("Corso Lodi", "20135"), ("Via Marghera", "20149"), ("Via Paolo Sarpi", "20154"),
    ("Viale Lombardia", "20131"), ("Via Porpora", "20131"), ("Via dei Missaglia", "20142"),
    ("Via Gallarate", "20151"), ("Via Inganni", "20147"), ("Viale Zara", "20159"),
    ("Via Console Marcello", "20156"), ("Via Mac Mahon", "20155"), ("Via Ornato", "20162"),
    ("Viale Corsica", "20137"), ("Via Tertulliano", "20137"), ("Via Bergamo", "20135"),
    ("Corso Vercelli", "20144"), ("Via Vittorio Veneto", "20124"), ("Via Solari", "20144"),
    ("Via Savona", "20144"), ("Via Cenisio", "20154"), ("Via Varesina", "20156"),
    ("Via Stradella", "20129"), ("Viale Abruzzi", "20131"), ("Via Pacini", "20131"),
    ("Via Rembrandt", "20147"), ("Via Soderini", "20146"), ("Via Baroni", "20142"),
)
HINTERLAND: tuple[tuple[str, str], ...] = (
    ("Sesto San Giovanni", "20099"), ("Cinisello Balsamo", "20092"),
    ("Cologno Monzese", "20093"), ("Rho", "20017"), ("Corsico", "20094"),
    ("Buccinasco", "20090"), ("Segrate", "20054"), ("San Donato Milanese", "20097"),
    ("Bollate", "20021"), ("Paderno Dugnano", "20037"), ("Bresso", "20091"),
    ("Cusano Milanino", "20095"), ("Pioltello", "20096"), ("Rozzano", "20089"),
)
HINTERLAND_STREETS: tuple[str, ...] = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Matteotti", "Via Manzoni",
    "Via Dante", "Via Gramsci", "Via XXV Aprile", "Via Volta", "Via Cavour", "Via Verdi",
    "Via Marconi", "Via Piave", "Via Monte Grappa", "Viale Italia", "Via Leopardi",
)


@dataclass(frozen=True)
class Birthplace:
    """A municipality or foreign country and its Belfiore code."""

    name: str
    code: str
    province: str


@dataclass(frozen=True)
class Address:
    """A residence: street and number, city, postcode."""

    street: str
    city: str
    postcode: str


def _current_places(entries: list[dict[str, Any]], province: str | None) -> list[Birthplace]:
    # A code has one entry per territorial change; keep codes whose entries reach back
    # before anybody we generate was born and whose latest entry is still active.
    first_created: dict[str, str] = {}
    current: dict[str, dict[str, Any]] = {}
    for entry in entries:
        code = str(entry["code"])
        created = str(entry["date_created"])
        first_created[code] = min(first_created.get(code, created), created)
        if entry["active"] and not entry["date_deleted"]:
            current[code] = entry
    return [
        Birthplace(italian_place_name(str(e["name"])), code, province or str(e["province"]))
        for code, e in sorted(current.items())
        if first_created[code] <= _EXISTING_BEFORE
    ]


@functools.cache
def birthplace_pools() -> tuple[
    tuple[Birthplace, ...], tuple[Birthplace, ...], tuple[Birthplace, ...]
]:
    """(Lombardy municipalities, other Italian cities, foreign countries), loaded once."""
    italian = _current_places(get_municipalities_data(), None)
    lombardy = tuple(p for p in italian if p.province in LOMBARDY_PROVINCES)
    by_name = {(p.name, p.province): p for p in italian}
    others = tuple(by_name[key] for key in OTHER_ITALIAN_CITIES if key in by_name)
    foreign = {p.name: p for p in _current_places(get_countries_data(), "EE")}
    return lombardy, others, tuple(foreign[n] for n in FOREIGN_COUNTRIES if n in foreign)


@functools.cache
def milano() -> Birthplace:
    """Milan, where most of a Milan center's patients were born."""
    return next(p for p in birthplace_pools()[0] if p.name == "Milano")


def pick_birthplace(rng: random.Random) -> Birthplace:
    """A birthplace: mostly Milan, then Lombardy, southern and other cities, some abroad."""
    lombardy, others, foreign = birthplace_pools()
    roll = rng.random()
    if roll < 0.50:
        return milano()
    if roll < 0.72:
        return rng.choice(lombardy)
    if roll < 0.93:
        return rng.choice(others)
    return rng.choice(foreign)


def pick_address(rng: random.Random) -> Address:
    """A residence in Milan (three in four) or in its hinterland."""
    number = rng.randint(1, 180)
    if rng.random() < 0.75:
        street, postcode = rng.choice(MILAN_STREETS)
        return Address(f"{street} {number}", "Milano", postcode)
    city, postcode = rng.choice(HINTERLAND)
    return Address(f"{rng.choice(HINTERLAND_STREETS)} {number}", city, postcode)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def rome_to_utc(day: date, hour: int, minute: int) -> datetime:
    """Italian wall-clock time on ``day`` as aware UTC (EU summer-time rule, no tz database)."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    offset = 2 if summer else 1
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    return local - timedelta(hours=offset)
