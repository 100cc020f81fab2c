"""The patient search as the front desk uses it: codice fiscale prefixes, birth dates,
phone numbers and "surname name", shown with age and GP of choice."""

from __future__ import annotations

from datetime import date

import pytest

from app.records.services import Records
from app.records.services.views import PatientInput
from app.ui.operations import Login, SearchPatients, SearchResult
from app.ui.patient_table import COLUMNS, PatientTableModel
from tests.ui.conftest import UiCenter, build_center

GIULIA = "BNCGLI90E60L219"  # Bianchi Giulia, 20/05/1990, Torino (check letter left out)


@pytest.fixture(scope="module")
def search_center(tmp_path_factory) -> UiCenter:
    """The UI center plus a patient with phones and a GP of choice."""
    center = build_center(tmp_path_factory.mktemp("search") / "centro")
    records = Records.open(center.root, "segreteria", center.password)
    try:
        gp = next(u for u in records.users.list() if u.username == "medico")
        records.patients.register(PatientInput(
            "Ferrario", "Angela", "F", date(1937, 2, 14), "Monza", phone="039 230 1122",
            mobile="+39 338 765 4321", gp_id=gp.id))
    finally:
        records.close()
    return center


@pytest.fixture
def search(executor, search_center):
    executor.run(Login(search_center.root, "segreteria", search_center.password),
                 lambda _session: None)
    model = PatientTableModel()

    def run(text: str) -> list[list[str]]:
        results: list[SearchResult] = []
        executor.run(SearchPatients(text), results.append)
        model.set_patients(results[0].patients)
        return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
                for r in range(model.rowCount())]

    return run


def _names(rows: list[list[str]]) -> list[str]:
    return [f"{r[0]} {r[1]}" for r in rows]


def test_the_columns_the_front_desk_reads():
    headers = [title() for title, _cell in COLUMNS]
    assert headers == ["Cognome", "Nome", "Sesso", "Data di nascita", "Età", "Codice fiscale",
                       "Luogo di nascita", "Medico di scelta"]


def test_a_codice_fiscale_prefix_of_six_characters_finds_the_patient(search):
    for length in (6, 9, 11, 15):
        assert _names(search(GIULIA[:length])) == ["Bianchi Giulia"], length
    assert _names(search(GIULIA[:6].lower())) == ["Bianchi Giulia"]


def test_a_birth_date_finds_the_patient(search):
    for text in ("20/05/1990", "20-05-1990", "20051990"):
        assert _names(search(text)) == ["Bianchi Giulia"], text


def test_a_phone_number_however_typed_finds_the_patient(search):
    for text in ("338 765", "+39 338 7654321", "3387654321", "039 230", "0392301122"):
        assert _names(search(text)) == ["Ferrario Angela"], text


def test_surname_and_name_and_the_age_and_gp_columns(search):
    [row] = search("ferrario angela")
    today = date.today()
    age = today.year - 1937 - ((today.month, today.day) < (2, 14))
    assert row[3] == "14/02/1937" and row[4] == str(age)
    assert row[6] == "Monza" and row[7] == "Dott.ssa Laura Neri"
    assert _names(search("rossi m")) == ["Rossi Mario"]
    assert search("rossi m")[0][7] == ""  # no GP of choice recorded


def test_a_short_text_is_searched_as_a_name_and_as_a_code(search):
    assert _names(search("ros")) == ["Rossi Anna", "Rossi Mario", "Rossini Carla"]
    # RSS: the codes of Rossi, Rossini and Russo (no surname starts with RSS).
    assert _names(search("RSS")) == ["Rossi Anna", "Rossi Mario", "Rossini Carla",
                                     "Russo Luca"]
