"""The results inbox: nothing lost, matched by codice fiscale, accepted by a clinician."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.errors import AccessDenied, InvalidInput
from app.records.services.inbox import IncomingMessage, IncomingResult
from app.records.services.views import PatientInput

HBA1C = IncomingResult("4548-4", "HbA1c", value_num=7.2, unit="%",
                       observed_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
LDL = IncomingResult("13457-7", "LDL", value_num=131.0, unit="mg/dL")


def _patient(gp):
    return gp.patients.register(PatientInput("Colombo", "Nicolò", "M", date(1958, 7, 9),
                                             "Lodi"))


def test_a_message_is_matched_by_codice_fiscale_and_accepted(open_as):
    gp = open_as("medico")
    patient = _patient(gp)
    raw = b"\x05H|\\^&|||POC\rP|1||" + patient.codice_fiscale.encode() + b"\rL|1|N\r\x04"
    message_id = gp.inbox.receive(IncomingMessage(
        "astm", raw, (HBA1C, LDL), patient_identifier=patient.codice_fiscale.lower()))
    assert gp.inbox.receive(IncomingMessage(  # the same bytes again: kept once
        "astm", raw, (HBA1C, LDL), patient_identifier=patient.codice_fiscale)) == message_id
    items = gp.inbox.items()
    assert [(i.code, i.value, i.state, i.codice_fiscale, i.matched_by) for i in items] == [
        ("4548-4", "7.2", "pending", patient.codice_fiscale, "codice_fiscale"),
        ("13457-7", "131", "pending", patient.codice_fiscale, "codice_fiscale")]
    assert gp.inbox.raw(message_id) == raw
    created = gp.inbox.accept([items[0].id])
    gp.inbox.reject([items[1].id], "campione emolizzato")
    states = {i.code: (i.state, i.reason) for i in gp.inbox.items()}
    assert states == {"4548-4": ("accepted", None), "13457-7": ("rejected", "campione emolizzato")}
    (observation,) = gp.chart.open(patient.id).of("observation")
    assert observation.id == created[0]
    assert observation.fields["value_num"] == 7.2 and observation.fields["source"] == "device"
    with pytest.raises(InvalidInput):
        gp.inbox.accept([items[0].id])  # decided once


def test_unmatched_results_wait_for_a_patient(open_as):
    gp = open_as("medico")
    patient = _patient(gp)
    gp.inbox.receive(IncomingMessage("astm", b"x", (HBA1C,), patient_identifier="LAB-0042"))
    (item,) = gp.inbox.items("pending")
    assert item.patient_id is None and item.codice_fiscale is None
    with pytest.raises(InvalidInput):
        gp.inbox.accept([item.id])
    gp.inbox.rematch(item.message_id, patient.id)
    (item,) = gp.inbox.items()
    assert item.matched_by == "manual" and item.codice_fiscale == patient.codice_fiscale
    # The chart open on the receiving workstation matches a message without an identifier.
    gp.inbox.receive(IncomingMessage("cms50", b"y", (HBA1C,)), open_patient_id=patient.id)
    assert {i.matched_by for i in gp.inbox.items()} == {"manual", "open_chart"}


def test_an_ecg_files_its_original_when_accepted(open_as):
    gp = open_as("medico")
    patient = _patient(gp)
    original = b"SCP-ECG bytes" * 100
    gp.inbox.receive(IncomingMessage(
        "scp-ecg", original, (IncomingResult("ECG12", "ECG 12 derivazioni", value_num=61,
                                             unit="/min", code_system="local:ecg"),),
        patient_identifier=patient.codice_fiscale, attachment_name="original",
        attachment=original))
    (item,) = gp.inbox.items()
    gp.inbox.accept([item.id])
    (recording,) = gp.chart.open(patient.id).of("device_recording")
    assert recording.fields["format"] == "scp-ecg"
    assert gp.chart.document_content("device_recording", recording.id) == original


def test_the_front_desk_never_sees_the_inbox(open_as):
    secretary = open_as("segreteria")
    with pytest.raises(AccessDenied):
        secretary.inbox.items()
    admin = open_as("admin")
    with pytest.raises(AccessDenied):
        admin.inbox.receive(IncomingMessage("astm", b"z", (HBA1C,)))
    nurse = open_as("infermiere")
    nurse.inbox.receive(IncomingMessage("bp", b"bp", (HBA1C,)))
    assert len(nurse.inbox.items()) == 1


def test_one_transmission_with_two_patients_keeps_both(open_as):
    gp = open_as("medico")
    first, second = _patient(gp), gp.patients.register(
        PatientInput("Ferri", "Ada", "F", date(1949, 3, 2), "Lodi"))
    raw = (b"\x05H|\\^&\rP|1||" + first.codice_fiscale.encode() + b"\rR|1|^^^HbA1c|7.2\r"
           b"P|2||" + second.codice_fiscale.encode() + b"\rR|1|^^^HbA1c|6.1\rL|1|N\r\x04")
    one = gp.inbox.receive(IncomingMessage("astm", raw, (HBA1C,),
                                           patient_identifier=first.codice_fiscale))
    two = gp.inbox.receive(IncomingMessage("astm", raw, (HBA1C,),
                                           patient_identifier=second.codice_fiscale))
    assert one != two  # the same bytes, another patient: both kept
    assert gp.inbox.receive(IncomingMessage(  # the transmission again: nothing new
        "astm", raw, (HBA1C,), patient_identifier=second.codice_fiscale)) == two
    assert sorted(i.patient_id for i in gp.inbox.items()) == sorted([first.id, second.id])


def test_accept_hooks_run_inside_the_accepting_write(open_as, monkeypatch):
    from app.records.services import inbox as inbox_module

    gp = open_as("medico")
    patient = _patient(gp)
    seen = []

    def hook(batch, accepted):
        seen.append((accepted.patient_id, accepted.code, batch.conn.in_transaction()))

    monkeypatch.setattr(inbox_module, "ACCEPTED_HOOKS", [hook])
    gp.inbox.receive(IncomingMessage("astm", b"\x05H|\\^&\rL|1\r\x04", (HBA1C,),
                                     patient_identifier=patient.codice_fiscale))
    (item,) = gp.inbox.items()
    (observation_id,) = gp.inbox.accept([item.id])
    assert seen == [(patient.id, "4548-4", True)]
