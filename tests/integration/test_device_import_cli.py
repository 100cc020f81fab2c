"""``medirete-admin device import`` takes GDT, SCP-ECG, HL7 aECG and DICOM ECG files;
``inbox list`` prints one result per line, tab-separated (issues 9 and 10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from pydicom.data import get_testdata_file

from app.devices.ecg import read_ecg, write_aecg
from app.records.services import Records
from app.records.services.views import PatientInput
from tests.conftest import PASSWORD
from tests.devices.scp_writer import ScpSpec, write_scp
from tests.devices.test_gdt import SPIRO_6310
from tests.integration.admin_cli import run_admin

FIELDS = ("received", "driver", "patient", "codice_fiscale", "code", "value", "unit", "status")


def _import(center, path, user="medico"):
    return run_admin("device", "import", str(center), str(path), "--user", user,
                     stdin=PASSWORD + "\n")


def _inbox(center, user="medico"):
    done = run_admin("inbox", "list", str(center), "--user", user, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    return [dict(zip(FIELDS, line.split("\t"), strict=True))
            for line in done.stdout.splitlines()]


def _scp_bytes(patient_cf: str) -> bytes:
    t = np.arange(5000)
    leads = {name: (np.sin(t / (20 + i)) * 200).astype(np.int64)
             for i, name in enumerate(("I", "II", "V1", "V2", "V3", "V4", "V5", "V6"))}
    return write_scp(ScpSpec(leads=leads, huffman=True, difference=2, patient_id=patient_cf,
                             measurements={"vent_rate": 72}))


def test_each_file_format_lands_in_the_inbox(center, tmp_path):
    gp = Records.open(center, "medico", PASSWORD)
    try:
        patient = gp.patients.register(
            PatientInput("Lucà", "Nicolò", "M", date(1980, 1, 1), "Roma"))
    finally:
        gp.close()
    files = {
        "spiro.gdt": SPIRO_6310.replace(b"RSSNCL80A01H501X", patient.codice_fiscale.encode()),
        "ecg.dcm": Path(str(get_testdata_file("waveform_ecg.dcm"))).read_bytes(),
    }
    files["ecg.xml"] = write_aecg(read_ecg(files["ecg.dcm"], "ecg.dcm"))
    files["ecg.scp"] = _scp_bytes(patient.codice_fiscale)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        done = _import(center, tmp_path / name)
        assert done.returncode == 0, (name, done.stderr)
    rows = _inbox(center)
    drivers = {row["driver"] for row in rows}
    assert drivers == {"gdt", "dicom-ecg", "aecg", "scp-ecg"}
    spiro = {row["code"]: row for row in rows if row["driver"] == "gdt"}
    assert spiro["20150-9"]["value"] == "3.45" and spiro["20150-9"]["unit"] == "L"
    assert spiro["20150-9"]["codice_fiscale"] == patient.codice_fiscale
    assert spiro["20150-9"]["status"] == "pending"
    dicom = [row for row in rows if row["driver"] == "dicom-ecg" and row["code"] == "ECG12"]
    assert [row["value"] for row in dicom] == ["61"]  # the example's heart rate
    assert dicom[0]["codice_fiscale"] == "-"  # its patient (642341) is not in this center
    scp = [row for row in rows if row["driver"] == "scp-ecg" and row["code"] == "ECG12"]
    assert [(row["value"], row["codice_fiscale"]) for row in scp] == [
        ("72", patient.codice_fiscale)]


def test_a_damaged_or_foreign_file_is_one_line_and_changes_nothing(center, tmp_path):
    bad = tmp_path / "broken.scp"
    bad.write_bytes(b"\x00\x01not an ecg at all" * 10)
    done = _import(center, bad)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "broken.scp" in line or "ECG" in line
    assert _inbox(center) == []
    missing = _import(center, tmp_path / "absent.gdt")
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1


def test_the_front_desk_cannot_import_or_list(center, tmp_path):
    (tmp_path / "spiro.gdt").write_bytes(SPIRO_6310)
    done = _import(center, tmp_path / "spiro.gdt", user="segreteria")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    listed = run_admin("inbox", "list", str(center), "--user", "segreteria",
                       stdin=PASSWORD + "\n")
    assert listed.returncode == 1
