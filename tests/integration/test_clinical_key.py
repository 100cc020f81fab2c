"""Hardening item 12: a secretary's or an admin's password decrypts no clinical content.

On main before this change every password unsealed the one database key, and
``test_no_clinical_marker_in_any_page_the_record_key_opens`` found every marker in
``record.db`` (there was no other file). Here every page of every file the record key
opens is decrypted by hand (SQLCipher 4: AES-256-CBC, IV in the page's reserved bytes)
and searched; the clinical file must not open with the record key at all.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.records.services import Records
from app.records.services.patients import PatientInput
from app.records.storage.backup import extract_database
from app.records.storage.clinical import ClinicalAccessPending, ClinicianMustUpgrade
from app.records.storage.engine import raw_key_pragma_value
from app.records.storage.keys import KeyFile
from app.records.storage.upgrade import pre_upgrade_backups
from tests.conftest import PASSWORD
from tests.unit.records.storage.old_centers import copy_center, fixture_password, old_centers

PAGE = 4096
RESERVED = 80  # IV (16) + HMAC-SHA512 (64), SQLCipher 4 defaults
MARKERS = {
    "problem": "MARKER-diagnosi-sieropositivita-7f3a",
    "encounter": "MARKER-soggettivo-ideazione-9c21",
    "allergy": "MARKER-allergia-lattice-55e0",
    "esenzione": "MARKER-esenzione-descrizione-0b7d",
    "reason": "MARKER-motivo-controllo-terapia-4d19",
    "document": "MARKER-referto-pdf-contenuto-a2c8",
    "correction": "MARKER-correzione-motivo-e61f",
}


def _decrypt_pages(data: bytes, key: bytes, offset: int = 0, stride: int = PAGE) -> bytes:
    """Every page of an SQLCipher file (or WAL frames) decrypted with ``key``."""
    out = []
    for start in range(offset, len(data) - PAGE + 1, stride):
        page = data[start:start + PAGE]
        skip = 16 if start == 0 and offset == 0 else 0  # page 1 starts with the salt
        decryptor = Cipher(algorithms.AES(key), modes.CBC(page[PAGE - RESERVED:][:16])).decryptor()
        out.append(decryptor.update(page[skip:PAGE - RESERVED]) + decryptor.finalize())
    return b"".join(out)


def _readable_with(root: Path, key: bytes, names: tuple[str, ...]) -> bytes:
    """All a holder of ``key`` can read from these files of ``root``, decrypted."""
    text = b""
    for name in names:
        path = root / name
        if not path.exists():
            continue
        data = path.read_bytes()
        if name.endswith("-wal"):
            text += _decrypt_pages(data, key, offset=32 + 24, stride=PAGE + 24)
        else:
            text += _decrypt_pages(data, key)
        text += data  # and the raw bytes, in case anything is stored in clear
    return text


def _opens_with(path: Path, key: bytes) -> bool:
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _write_markers(gp: Records) -> str:
    patient = gp.patients.register(
        PatientInput("Zanardelli", "Ottavia", "F", date(1961, 2, 3), "Pavia"))
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    problem = gp.clinical.add_problem(patient.id, "042", MARKERS["problem"])
    gp.clinical.record_encounter(patient.id, when, subjective=MARKERS["encounter"])
    gp.clinical.add_allergy(patient.id, MARKERS["allergy"])
    gp.clinical.add_esenzione(patient.id, "020", date(2020, 1, 1), description=MARKERS["esenzione"])
    gp.clinical.attach_document(patient.id, "referto", MARKERS["document"].encode())
    gp.clinical.correct("problem", problem, {"description": MARKERS["problem"] + "-b"},
                        MARKERS["correction"])
    gp.agenda.book(gp.user.user_id, patient.id, when, note="portare tessera",
                   reason=MARKERS["reason"])
    return patient.id


def _record_key(root: Path, username: str, password: str = PASSWORD) -> bytes:
    return KeyFile.load(root / "keys.json").unlock(username, password)


RECORD_FILES = ("record.db", "record.db-wal", "keys.json", "record.anchor", "center.json")


@pytest.mark.parametrize("username", ["segreteria", "admin"])
def test_no_clinical_marker_in_any_page_the_record_key_opens(center, open_as, username):
    gp = open_as("medico")
    _write_markers(gp)
    gp.close()
    key = _record_key(center, username)
    readable = _readable_with(center, key, RECORD_FILES)
    assert b"CREATE TABLE" in readable  # the decryption works: the schema is readable
    assert b"portare tessera" in readable  # and so is the desk note, front-desk content
    for what, marker in MARKERS.items():
        assert marker.encode() not in readable, what
    assert not _opens_with(center / "clinical.db", key)
    keys = KeyFile.load(center / "keys.json")
    assert not keys.has_clinical(username)
    private = keys.private_key(username, PASSWORD)
    assert keys.unseal_clinical(username, private) is None


def test_a_backup_gives_the_admin_no_clinical_content(center, open_as, tmp_path):
    gp = open_as("medico")
    _write_markers(gp)
    gp.close()
    admin = open_as("admin")
    admin.maintenance.backup(tmp_path / "b.mrb")
    admin.close()
    parts = tmp_path / "parts"
    parts.mkdir()
    extract_database(tmp_path / "b.mrb", parts / "record.db", parts / "clinical.db")
    key = _record_key(center, "admin")
    readable = _readable_with(parts, key, ("record.db",)) + (tmp_path / "b.mrb").read_bytes()
    for what, marker in MARKERS.items():
        assert marker.encode() not in readable, what
    assert not _opens_with(parts / "clinical.db", key)


def test_the_services_refuse_clinical_reads_without_the_key(center, open_as):
    secretary = open_as("segreteria")
    assert secretary.db.clinical is False
    names = {row[1] for row in secretary.db.read_engine.connect().exec_driver_sql(
        "PRAGMA database_list")}
    assert "clinical" not in names


def test_a_new_clinician_waits_for_a_grant_and_every_gp_sees_the_account(center, open_as):
    gp = open_as("medico")
    patient_id = _write_markers(gp)
    gp.close()
    admin = open_as("admin")
    admin.users.add("medico3", "Dott. Nuovo", "gp", PASSWORD)
    admin.close()

    newcomer = open_as("medico3")
    assert newcomer.users.clinical_access() is False
    with pytest.raises(ClinicalAccessPending):
        newcomer.chart.open(patient_id)
    newcomer.close()

    gp = open_as("medico")
    notices = gp.users.account_notices()
    assert [(n.admin, n.action, n.account) for n in notices] == [("admin", "user.add", "medico3")]
    assert [u.username for u in gp.users.pending_clinical()] == ["medico3"]
    gp.users.grant_clinical("medico3")
    assert gp.users.pending_clinical() == []
    gp.close()

    newcomer = open_as("medico3")
    chart = newcomer.chart.open(patient_id)
    assert [e.fields["substance"] for e in chart.of("allergy")] == [MARKERS["allergy"]]
    # A notice is shown once: at the next login it is gone.
    gp = open_as("medico")
    assert gp.users.account_notices() == []


def test_an_admin_reset_takes_the_clinical_key_away_until_a_colleague_grants_it(
    center, open_as
):
    admin = open_as("admin")
    admin.users.reset_password("medico2", "nuova-password-1")
    admin.close()
    from app.records.services import Records

    reset = Records.open(center, "medico2", "nuova-password-1")
    try:
        assert reset.users.clinical_access() is False
    finally:
        reset.close()
    gp = open_as("medico")
    assert [(n.action, n.account) for n in gp.users.account_notices()] == [
        ("user.reset_password", "medico2")]
    gp.users.grant_clinical("medico2")
    reset = Records.open(center, "medico2", "nuova-password-1")
    try:
        assert reset.users.clinical_access() is True
    finally:
        reset.close()


def test_a_password_change_keeps_the_clinical_key(center, open_as):
    nurse = open_as("infermiere")
    nurse.users.change_own_password(PASSWORD, "altra-password-9")
    nurse.close()
    from app.records.services import Records

    again = Records.open(center, "infermiere", "altra-password-9")
    try:
        assert again.users.clinical_access() is True
    finally:
        again.close()


def _fixture_0005(tmp_path: Path) -> Path:
    found = [p for p in old_centers() if p.name == "schema-0005"]
    return copy_center(found[0], tmp_path / "old")


def test_a_secretary_cannot_open_an_unsplit_record_and_changes_nothing(tmp_path):
    root = _fixture_0005(tmp_path)
    before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
    with pytest.raises(ClinicianMustUpgrade):
        Records.open(root, "segreteria", "fixture-0005-pw")
    after = {p.name: p.read_bytes() for p in root.iterdir()
             if p.is_file() and p.name not in ("record.lock",)}
    assert after == {k: v for k, v in before.items() if k in after}
    assert set(after) == set(before)


def test_the_split_leaves_no_clinical_text_for_the_record_key(tmp_path):
    root = _fixture_0005(tmp_path)
    password = fixture_password(root.with_name("schema-0005"))
    key = _record_key(root, "segreteria", password)
    engine_texts = _clinical_texts(root, key)
    assert len(engine_texts) >= 10
    readable_before = _readable_with(root, key, ("record.db",))
    assert all(text in readable_before for text in engine_texts)

    Records.open(root, "medico", password).close()

    readable = _readable_with(root, key, RECORD_FILES)
    leaked = [text for text in engine_texts if text in readable]
    assert leaked == []
    assert pre_upgrade_backups(root) == []  # they held clinical content under the record key
    assert (root / "clinical.db").exists() and not _opens_with(root / "clinical.db", key)
    # Every clinician of the old record holds the new key; the others do not.
    keys = KeyFile.load(root / "keys.json")
    assert {name for name in keys.users if keys.has_clinical(name)} == {
        "medico", "medico2", "infermiere"}
    records = Records.open(root, "infermiere", password)
    try:
        assert records.users.clinical_access() is True
    finally:
        records.close()


def _clinical_texts(root: Path, key: bytes) -> list[bytes]:
    """Visit notes of the old record that appear nowhere in its code lists."""
    conn = sqlcipher3.connect(str(root / "record.db"))
    try:
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"')
        notes = {row[0] for row in conn.execute(
            "SELECT subjective FROM encounter WHERE length(subjective) > 25")}
        notes |= {row[0] for row in conn.execute(
            "SELECT clinical_reason FROM appointment WHERE clinical_reason IS NOT NULL")}
        codes = "\n".join(row[0] for row in conn.execute("SELECT description FROM code_entry"))
    finally:
        conn.close()
    return sorted(n.encode() for n in notes if n not in codes)


def test_a_copy_of_the_center_folder_is_no_help_to_the_admin(center, open_as, tmp_path):
    gp = open_as("medico")
    _write_markers(gp)
    gp.close()
    stolen = tmp_path / "stolen"
    shutil.copytree(center, stolen)
    key = _record_key(stolen, "admin")
    for name in ("clinical.db", "clinical.db-wal"):
        if (stolen / name).exists():
            data = _decrypt_pages((stolen / name).read_bytes(), key)
            assert not any(m.encode() in data for m in MARKERS.values())


def test_the_split_moves_old_appointment_texts_to_the_clinical_file(tmp_path):
    root = _fixture_0005(tmp_path)
    password = "fixture-0005-pw"
    key = _record_key(root, "admin", password)
    conn = sqlcipher3.connect(str(root / "record.db"))
    try:
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"')
        clinician, patient = conn.execute(
            "SELECT u.id, p.id FROM user u, patient p WHERE u.username = 'medico' LIMIT 1"
        ).fetchone()
        conn.execute(
            "INSERT INTO appointment (id, clinician_id, patient_id, starts_at, ends_at, kind, "
            "status, note, created_by, desk_note, clinical_reason) VALUES ('appt-1', ?, ?, "
            "'2026-12-01 09:00:00', '2026-12-01 09:15:00', 'visita', 'booked', ?, 'medico', "
            "'portare esami', ?)", (clinician, patient, MARKERS["document"], MARKERS["reason"]))
        conn.commit()
    finally:
        conn.close()
    gp = Records.open(root, "medico", password)
    try:
        (seen,) = gp.agenda.day(date(2026, 12, 1))
    finally:
        gp.close()
    assert seen.reason == f"{MARKERS['reason']} / {MARKERS['document']}"
    assert seen.note == "portare esami"
    readable = _readable_with(root, key, RECORD_FILES)
    assert b"portare esami" in readable
    assert MARKERS["reason"].encode() not in readable
    assert MARKERS["document"].encode() not in readable
