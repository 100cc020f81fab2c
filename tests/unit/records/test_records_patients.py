"""The anagrafica through the service: search, registration, changes, history, duplicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.errors import AccessDenied, InvalidCodiceFiscale, InvalidInput, NotFound
from app.records.duplicates import DuplicateReason, edit_distance, phonetic_key, similar_names
from app.records.model import AuditEvent, PatientHistory
from app.records.services.patients import birth_date_of, run_search
from app.records.services.views import PatientInput

ROSSI = PatientInput("Rossi", "Mario", "M", date(1956, 4, 3), "Milano",
                     mobile="+39 347 123 4567", phone="02-4817 2935")
ROSSI_CF = "RSSMRA56D03F205K"


@pytest.fixture
def desk(open_as):
    return open_as("segreteria")


def _gp_id(records, username="medico"):
    return next(u.id for u in records.users.list() if u.username == username)


# -- search ------------------------------------------------------------------------------

def test_search_by_codice_fiscale_prefix_from_three_characters(desk):
    mario = desk.patients.register(ROSSI)
    desk.patients.register(PatientInput("Rosi", "Anna", "F", date(1960, 1, 1), "Lodi"))
    for length in (3, 6, 9, 11, 15, 16):
        assert mario in desk.patients.search(ROSSI_CF[:length]), length
    assert desk.patients.search(ROSSI_CF[:6].lower()) == [mario]
    assert desk.patients.search(ROSSI_CF[:2]) == []  # "RS": neither a name nor a prefix
    # "ROS" could be a surname and the start of a code: both are searched.
    assert [p.surname for p in desk.patients.search("ros")] == ["Rosi", "Rossi"]


def test_search_by_birth_date_in_every_usual_form(desk):
    mario = desk.patients.register(ROSSI)
    for text in ("03/04/1956", "3/4/1956", "03-04-1956", "03.04.1956", "03041956"):
        assert desk.patients.search(text) == [mario], text
    assert desk.patients.search("04/03/1956") == []
    assert birth_date_of("31/02/1956") is None


def test_search_by_phone_or_mobile_however_typed(desk):
    mario = desk.patients.register(ROSSI)
    details = desk.patients.get(mario.id).fields
    assert (details["phone_key"], details["mobile_key"]) == ("0248172935", "3471234567")
    for text in ("3471", "347 123", "347-123-4567", "+39 347 1234567", "0039 3471234",
                 "02 4817", "024817 2935"):
        assert desk.patients.search(text) == [mario], text
    assert desk.patients.search("347") == []  # fewer than 4 digits
    assert desk.patients.search("3479") == []


def test_search_surname_and_name_with_the_gp_of_choice(desk):
    gp_id = _gp_id(desk)
    mario = desk.patients.register(replace(ROSSI, gp_id=gp_id))
    found = desk.patients.search("rossi mario")
    assert [p.id for p in found] == [mario.id]
    assert (found[0].gp_id, found[0].gp_name) == (gp_id, "Medico")
    assert desk.patients.search("rossi m")[0].gp_name == "Medico"


def test_search_keeps_the_limit_and_the_name_order(desk):
    for given in ("Carla", "Anna", "Bruna"):
        desk.patients.register(PatientInput("Bassi", given, "F", date(1970, 2, 2), "Como"))
    with desk.db.read_engine.connect() as conn:
        names = [p.given_name for p in run_search(conn, "bassi")]
        assert names == ["Anna", "Bruna", "Carla"]
        assert len(run_search(conn, "bassi", limit=2)) == 2


# -- registration, changes and history -----------------------------------------------------

def test_registration_derives_the_code_and_writes_version_one(desk):
    mario = desk.patients.register(ROSSI)
    assert mario.codice_fiscale == ROSSI_CF
    fields = desk.patients.get(mario.id).fields
    assert (fields["birth_province"], fields["birth_place_code"]) == ("MI", "F205")
    [first] = desk.patients.history(mario.id)
    assert first.version == 1
    assert (first.recorded_by, first.recorded_by_name) == ("segreteria", "Segreteria")
    changes = {c.field: (c.before, c.after) for c in first.changes}
    assert changes["surname"] == (None, "Rossi")
    assert changes["birth_date"] == (None, date(1956, 4, 3))
    assert changes["codice_fiscale"] == (None, ROSSI_CF)
    assert "domicile_city" not in changes  # empty fields are not history


def test_registration_refuses_what_is_wrong(desk):
    bad = {
        "codice_fiscale": "RSSMRA56D03F205X",
        "email": "mario@",
        "residence_postcode": "2012",
        "mobile": "ciao",
        "ats_code": "30321",
        "tessera_sanitaria": "8038",
        "gp_id": _gp_id(desk, "infermiere"),  # a nurse is not a GP of choice
    }
    for name, value in bad.items():
        data = replace(ROSSI, **{name: value})
        with pytest.raises(InvalidInput) as refused:
            desk.patients.register(data)
        assert refused.value.fields.get("field") == name, name
    with pytest.raises(InvalidCodiceFiscale, match="K expected"):
        desk.patients.register(replace(ROSSI, codice_fiscale="RSSMRA56D03F205X"))
    with pytest.raises(InvalidCodiceFiscale, match="give the province"):
        desk.patients.register(PatientInput("Rizzo", "Ada", "F", date(1990, 1, 1), "Castro"))
    desk.patients.register(ROSSI)
    with pytest.raises(InvalidInput, match="already registered"):
        desk.patients.register(ROSSI)


def test_an_omocodic_code_and_a_shared_comune_name(desk):
    omocodic = desk.patients.register(replace(ROSSI, codice_fiscale="RSSMRA56D03F20RF"))
    assert omocodic.codice_fiscale == "RSSMRA56D03F20RF"
    castro = desk.patients.register(
        PatientInput("Rizzo", "Ada", "F", date(1990, 1, 1), "Castro", birth_province="LE"))
    assert castro.codice_fiscale[11:15] == "M261"


def test_changing_demographics_versions_every_change(desk, open_as):
    mario = desk.patients.register(ROSSI)
    gp = open_as("medico")
    gp_id = _gp_id(desk)
    gp.patients.update_demographics(mario.id, {"mobile": "333 000 1111", "gp_id": gp_id,
                                               "domicile_city": "Sesto San Giovanni"})
    assert gp.patients.search("3330001")[0].id == mario.id
    # New name: the code is computed again, and the search finds the new name.
    renamed = desk.patients.update_demographics(mario.id, {"given_name": "Marco"})
    assert renamed.codice_fiscale[:6] == "RSSMRC"
    assert desk.patients.search("rossi marco")[0].id == mario.id
    # Born elsewhere (a comune shared by two provinces): place, province and code change.
    moved = desk.patients.update_demographics(mario.id, {"birth_place": "Castro",
                                                         "birth_province": "LE",
                                                         "birth_date": date(1986, 4, 3)})
    assert moved.codice_fiscale[11:15] == "M261"
    unchanged = desk.patients.update_demographics(mario.id, {"mobile": "333 000 1111"})
    assert unchanged.id == mario.id
    versions = desk.patients.history(mario.id)
    assert [v.version for v in versions] == [1, 2, 3, 4]  # the no-op wrote nothing
    second = {c.field: (c.before, c.after) for c in versions[1].changes}
    assert second["mobile"] == ("+39 347 123 4567", "333 000 1111")
    assert second["gp_id"] == (None, "Medico")  # the GP by name
    assert versions[1].recorded_by == "medico"
    third = {c.field: (c.before, c.after) for c in versions[2].changes}
    assert third["given_name"] == ("Mario", "Marco")
    assert third["codice_fiscale"] == (ROSSI_CF, renamed.codice_fiscale)
    fourth = {c.field for c in versions[3].changes}
    assert {"birth_place", "birth_province", "birth_date", "codice_fiscale"} <= fourth


def test_a_given_code_must_fit_the_changed_data(desk):
    mario = desk.patients.register(ROSSI)
    with pytest.raises(InvalidCodiceFiscale, match="03/04/56"):
        desk.patients.update_demographics(mario.id, {"birth_date": date(1956, 4, 4),
                                                     "codice_fiscale": ROSSI_CF})
    with pytest.raises(InvalidInput, match="cannot be changed"):
        desk.patients.update_demographics(mario.id, {"surname_key": "X"})
    with pytest.raises(NotFound):
        desk.patients.update_demographics("missing", {"email": "a@b.it"})
    assert len(desk.patients.history(mario.id)) == 1


def test_history_is_written_through_the_one_write_path(desk):
    mario = desk.patients.register(ROSSI)
    desk.patients.update_contacts(mario.id, {"email": "mario.rossi@example.com"})
    with desk.db.read_engine.connect() as conn:
        actions = conn.execute(select(AuditEvent.action).where(
            AuditEvent.patient_id == mario.id).order_by(AuditEvent.seq)).scalars().all()
        rows = conn.execute(select(func.count()).select_from(PatientHistory).where(
            PatientHistory.patient_id == mario.id)).scalar_one()
    assert actions == ["patient.create", "patient_history.create", "patient.update",
                       "patient_history.create"]
    assert rows == 2
    with pytest.raises(InvalidInput, match="not editable here"):
        desk.patients.update_contacts(mario.id, {"surname": "Other"})


def test_an_odd_old_value_does_not_block_another_change(desk):
    mario = desk.patients.register(ROSSI)
    with desk.db.write_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE patient SET residence_postcode = 'xx' WHERE id = ?",
                             (mario.id,))
    desk.patients.update_demographics(mario.id, {"email": "m@example.com"})
    with pytest.raises(InvalidInput):
        desk.patients.update_demographics(mario.id, {"residence_postcode": "201"})


# -- duplicates ----------------------------------------------------------------------------

def test_duplicates_by_code_names_and_birth_date(desk):
    mario = desk.patients.register(ROSSI)
    same_code = desk.patients.duplicates(PatientInput("Rossi", "Mario", "M", date(1956, 4, 3),
                                                      "Milano"))
    assert [(h.patient.id, h.reason) for h in same_code] == [
        (mario.id, DuplicateReason.SAME_CODICE_FISCALE)]
    assert same_code[0].description == "same codice fiscale"
    # Same names and date, another birthplace (so another code).
    other_place = PatientInput("Rossi", "Mario", "M", date(1956, 4, 3), "Roma")
    assert [h.reason for h in desk.patients.duplicates(other_place)] == [
        DuplicateReason.SAME_NAME_AND_BIRTH_DATE]
    for surname, given in (("Rosi", "Mario"), ("Rossi", "Maro"), ("Mario", "Rossi"),
                           ("Rossi", "Mraio")):
        hits = desk.patients.duplicates(PatientInput(surname, given, "M", date(1956, 4, 3),
                                                     "Roma"))
        assert [h.reason for h in hits] == [DuplicateReason.SIMILAR_NAME_SAME_BIRTH_DATE], given
    swapped = desk.patients.duplicates(PatientInput("Rossi", "Mario", "M", date(1956, 3, 4),
                                                    "Roma"))
    assert [h.reason for h in swapped] == [DuplicateReason.SAME_NAME_DAY_MONTH_SWAPPED]
    assert desk.patients.duplicates(PatientInput("Bianchi", "Luca", "M", date(1956, 4, 3),
                                                 "Roma")) == []
    assert desk.patients.duplicates(ROSSI, exclude_id=mario.id) == []


def test_name_similarity_helpers():
    assert phonetic_key("Christina") == phonetic_key("Cristina")
    assert phonetic_key("Rossi") == phonetic_key("Rosi")
    assert edit_distance("ROSSI", "ROSIS") == 1  # a swapped pair counts once
    assert edit_distance("MARIO", "MARIA") == 1
    assert similar_names("De Luca", "Anna", "Deluca", "Ana")
    assert not similar_names("Rossi", "Mario", "Bianchi", "Luca")


# -- roles ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["segreteria", "medico", "infermiere"])
def test_front_desk_and_clinicians_write_demographics(open_as, username):
    records = open_as(username)
    patient = records.patients.register(ROSSI)
    records.patients.update_demographics(patient.id, {"email": "a@example.com"})
    assert [v.version for v in records.patients.history(patient.id)] == [1, 2]


def test_the_admin_reads_demographics_only(open_as):
    patient = open_as("segreteria").patients.register(ROSSI)
    admin = open_as("admin")
    assert admin.patients.search("rossi")[0].id == patient.id
    assert len(admin.patients.history(patient.id)) == 1
    assert admin.patients.duplicates(ROSSI)
    with pytest.raises(AccessDenied):
        admin.patients.register(PatientInput("Verdi", "Ugo", "M", date(1950, 1, 1), "Lodi"))
    with pytest.raises(AccessDenied):
        admin.patients.update_demographics(patient.id, {"email": "a@example.com"})
    with pytest.raises(AccessDenied):
        admin.patients.record_consent(patient.id, "oscuramento", True)


def test_list_rows_for_recent_patients_keep_the_order_and_are_not_audited(open_as):
    secretary = open_as("segreteria")
    first = secretary.patients.register(PatientInput("Brambilla", "Ugo", "M", date(1950, 1, 2),
                                                     "Monza"))
    second = secretary.patients.register(PatientInput("Colombo", "Lia", "F", date(1960, 3, 4),
                                                      "Lecco"))

    def reads() -> int:
        with secretary.db.read_engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == "patient.read")).scalar_one()

    before = reads()
    rows = secretary.patients.summaries([second.id, "no-such-id", first.id])
    assert [r.id for r in rows] == [second.id, first.id]
    assert reads() == before  # a list row is no access to the record; opening it is
    secretary.patients.get(first.id)
    assert reads() == before + 1


def test_the_ats_code_must_be_one_of_the_ministrys_list(open_as):
    from app.records.codes.health_authorities import authority_name

    secretary = open_as("segreteria")
    assert authority_name("030321") == "ATS DELLA CITTA' METROPOLITANA DI MILANO"
    patient = secretary.patients.register(PatientInput("Galbiati", "Ezio", "M",
                                                       date(1944, 8, 8), "Cantù",
                                                       ats_code="030324"))
    with pytest.raises(InvalidInput, match="999999"):
        secretary.patients.update_demographics(patient.id, {"ats_code": "999999"})
    secretary.patients.update_demographics(patient.id, {"ats_code": "030321"})
    assert secretary.patients.get(patient.id).fields["ats_code"] == "030321"
