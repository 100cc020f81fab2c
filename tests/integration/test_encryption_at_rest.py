"""Nothing readable on disk: database, WAL and backup hold no patient data in clear."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage.engine import PLAIN_SQLITE_HEADER
from tests.conftest import PASSWORD


def test_unique_surname_is_in_no_file_and_no_file_is_plain_sqlite(center, tmp_path):
    surname = "Zq" + secrets.token_hex(6).upper()
    records = Records.open(center, "medico", PASSWORD)
    try:
        patient = records.patients.register(
            PatientInput(surname, "Ilaria", "F", date(1962, 6, 15), "Cremona")
        )
        records.clinical.record_encounter(
            patient.id,
            datetime.now(UTC),
            subjective=f"Note about {surname}",
        )
        wal = center / "record.db-wal"
        # While the record is open the WAL holds the latest pages: scan it now.
        assert wal.exists() and wal.stat().st_size > 0
        files = {"db": (center / "record.db").read_bytes(), "wal": wal.read_bytes()}
        backup = tmp_path / "backup.mrb"
        admin = Records.open(center, "admin", PASSWORD)
        try:
            admin.maintenance.backup(backup)
        finally:
            admin.close()
        files["backup"] = backup.read_bytes()
        files["keys"] = (center / "keys.json").read_bytes()
    finally:
        records.close()
    needles = [
        surname.encode(),
        surname.lower().encode(),
        surname.encode("utf-16-le"),
        patient.codice_fiscale.encode(),
    ]
    for name, data in files.items():
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {name}"
        assert not data.startswith(PLAIN_SQLITE_HEADER), name
        assert PLAIN_SQLITE_HEADER not in data, f"a plain SQLite header inside {name}"
    assert len(files["wal"]) > 4096 and len(files["backup"]) > 4096


def test_control_the_same_scan_finds_the_name_in_a_plain_export(center, tmp_path):
    """The scan above can fail: on a decrypted export the same needle is found."""
    import sqlcipher3

    from app.records.storage.engine import raw_key_pragma_value

    surname = "Zq" + secrets.token_hex(6).upper()
    records = Records.open(center, "medico", PASSWORD)
    try:
        records.patients.register(PatientInput(surname, "Ilaria", "F", date(1962, 6, 15), "Lodi"))
        key = records.db.db_key
    finally:
        records.close()
    plain = tmp_path / "plain.db"
    conn = sqlcipher3.connect(str(center / "record.db"), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"').fetchall()
    conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')").fetchall()
    conn.execute("DETACH DATABASE plain")
    conn.close()
    data = plain.read_bytes()
    assert data.startswith(PLAIN_SQLITE_HEADER)
    assert surname.encode() in data
