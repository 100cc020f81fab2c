"""GDT 2.1: line and record lengths, character sets, 6302 requests, 6310 results, folders."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.gdt import (
    GdtError,
    GdtRecord,
    ResultFolderWatcher,
    decode_record,
    decode_records,
    encode_record,
    read_result_file,
    request_record,
    result_message,
    write_request,
)
from app.devices.results import DeviceMessage, PatientRef, ProtocolError
from app.devices.sim_gdt import GdtSimOptions, answer, spirometry_for, take_request

ROME = ZoneInfo("Europe/Rome")
PATIENT = PatientRef("RSSNCL80A01H501X", "Lucà", "Nicolò", "19800101", "M")


def line(field_id: str, content: bytes) -> bytes:
    """One GDT line written by hand (independent of the module's encoder)."""
    return b"%03d%s%s\r\n" % (len(content) + 9, field_id.encode(), content)


def record_bytes(record_type: bytes, *lines: bytes) -> bytes:
    head = line("8000", record_type)
    total = len(head) + 14 + sum(len(x) for x in lines)
    return head + line("8100", b"%05d" % total) + b"".join(lines)


SPIRO_6310 = record_bytes(
    b"6310",
    line("8315", b"MEDIRETE"),
    line("8316", b"SPIRO"),
    line("9206", b"3"),
    line("9218", b"02.10"),
    line("3000", b"RSSNCL80A01H501X"),
    line("3101", "Lucà".encode("latin-1")),
    line("3102", "Nicolò".encode("latin-1")),
    line("3103", b"01011980"),
    line("3110", b"1"),
    line("6200", b"25112026"),
    line("6201", b"093000"),
    line("8402", b"LUFU01"),
    line("8410", b"FEV1"),
    line("8411", b"FEV1"),
    line("8420", b"3,45"),
    line("8421", b"l"),
    line("8410", b"FVC"),
    line("8420", b"4.20"),
    line("8421", b"L"),
    line("8410", b"TIFF"),
    line("8420", b"82"),
    line("8421", b"%"),
    line("8460", b"> 70"),
    line("8410", b"PEF"),
    line("8420", b"8,10"),
    line("8421", b"l/s"),
    line("8422", b"L"),
    line("8410", b"FEV1_SOLL%"),
    line("8411", b"FEV1 % pred"),
    line("8420", b"95"),
    line("8410", b"QUAL"),
    line("8420", b"A"),
    line("6220", b"Collaborazione buona"),
    line("6220", b"Nessuna ostruzione"),
    line("6303", b"PDF"),
    line("6305", b"C:\\GDT\\SPIRO\\curve.pdf"),
)


# --- lines and records ------------------------------------------------------------------


def test_a_hand_written_result_decodes():
    record = decode_record(SPIRO_6310)
    assert record.record_type == "6310"
    assert record.first("3101") == "Lucà" and record.first("3102") == "Nicolò"
    assert record.all("6220") == ["Collaborazione buona", "Nessuna ostruzione"]
    assert record.first("8100") == "" and record.raw == SPIRO_6310


def test_encoding_writes_the_lengths_by_the_book():
    record = GdtRecord("6302", (("9206", "3"), ("3101", "Nicolò")))
    assert encode_record(record) == record_bytes(
        b"6302", line("9206", b"3"), line("3101", b"Nicol\xf2")
    )


@pytest.mark.parametrize(
    ("charset", "version", "name", "encoded"),
    [
        ("3", "02.10", "Nicolò Lucà", "Nicolò Lucà".encode("iso8859-1")),
        ("3", "03.00", "Lucà € 5", "Lucà € 5".encode("iso8859-15")),
        ("2", "02.10", "Nicolò Müller", "Nicolò Müller".encode("cp437")),
        ("1", "02.10", "Müller Größe", b"M}ller Gr|~e"),
    ],
)
def test_character_sets(charset: str, version: str, name: str, encoded: bytes):
    record = GdtRecord("6310", (("9206", charset), ("9218", version), ("3101", name)))
    data = encode_record(record)
    assert line("3101", encoded) in data
    assert decode_record(data) == record


def test_an_explicit_encoding_overrides_the_charset_field():
    data = record_bytes(b"6310", line("9206", b"3"), line("6220", "5 €".encode("iso8859-15")))
    assert decode_record(data).first("6220") == "5 ¤"  # ISO 8859-1 for GDT 2.1
    assert decode_record(data, encoding="iso8859-15").first("6220") == "5 €"


def test_a_wrong_line_length_names_the_line():
    data = SPIRO_6310.replace(b"0133101", b"0143101")
    with pytest.raises(GdtError, match=r"line 8 \(field 3101\): length says 14 bytes") as caught:
        decode_record(data)
    assert isinstance(caught.value, ProtocolError)


def test_a_wrong_record_length_names_the_line():
    data = SPIRO_6310.replace(line("8100", b"%05d" % len(SPIRO_6310)), line("8100", b"00042"))
    with pytest.raises(GdtError, match=r"line 2 \(field 8100\): record length says 42 bytes"):
        decode_record(data)


def test_a_missing_final_crlf_and_trailing_whitespace_are_tolerated():
    record = decode_record(SPIRO_6310)
    assert decode_record(SPIRO_6310[:-2]) == record
    assert decode_record(SPIRO_6310 + b"  \r\n\x1a") == record
    assert decode_record(SPIRO_6310[:-2] + b" \t ") == record


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (line("3101", b"Rossi"), "starts with field 8000"),
        (b"01380006310\r\n01", "expected LLLFFFF"),
        (b"00580006310\r\n", "below 9"),
        (b"0xx80006310\r\n", "expected LLLFFFF"),
        (record_bytes(b"6310", line("9206", b"1"), b"0143101Gr\xf6\xdfe\r\n"), "not valid"),
        (record_bytes(b"6310") + SPIRO_6310, "expected one GDT record, found 2"),
    ],
)
def test_malformed_files_raise_gdt_errors(data: bytes, message: str):
    with pytest.raises(GdtError, match=message):
        decode_record(data)


def test_several_records_in_one_file():
    data = record_bytes(b"6310", line("3000", b"1")) + record_bytes(b"6310", line("3000", b"2"))
    assert [r.first("3000") for r in decode_records(data)] == ["1", "2"]


def test_the_encoder_refuses_what_gdt_cannot_carry():
    for fields in (
        (("3101", "a\r\nb"),),
        (("310", "x"),),
        (("6220", "x" * 991),),
        (("9206", "3"), ("3101", "Łukasz")),
    ):
        with pytest.raises(GdtError):
            encode_record(GdtRecord("6310", fields))


# --- requests -------------------------------------------------------------------------


def test_a_request_carries_the_patient(tmp_path: Path):
    path = write_request(tmp_path, PATIENT, receiver_id="SPIRO", test_id="LUFU01")
    assert path.name == "SPIROMEDIRETE.gdt"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left behind
    record = decode_record(path.read_bytes())
    assert record.record_type == "6302"
    assert [
        (f, record.first(f))
        for f in ("8315", "8316", "9206", "9218", "3000", "3101", "3102", "3103", "3110", "8402")
    ] == [
        ("8315", "SPIRO"),
        ("8316", "MEDIRETE"),
        ("9206", "3"),
        ("9218", "02.10"),
        ("3000", "RSSNCL80A01H501X"),
        ("3101", "Lucà"),
        ("3102", "Nicolò"),
        ("3103", "01011980"),
        ("3110", "1"),
        ("8402", "LUFU01"),
    ]


def test_a_new_request_replaces_one_not_yet_taken(tmp_path: Path):
    write_request(tmp_path, PATIENT, receiver_id="SPIRO", file_name="req.gdt")
    other = PatientRef("2", "Bianchi", "Anna", "1990-05-17", "F")
    path = write_request(tmp_path, other, receiver_id="SPIRO", file_name="req.gdt")
    record = decode_record(path.read_bytes())
    assert (record.first("3000"), record.first("3103"), record.first("3110")) == (
        "2",
        "17051990",
        "2",
    )


def test_names_the_charset_lacks_are_transliterated():
    record = request_record(PatientRef("3", "Łukaszewicz", "Zoë"), receiver_id="EKG")
    assert record.first("3101") == "Lukaszewicz" and record.first("3102") == "Zoë"
    decode_record(encode_record(record))


# --- results --------------------------------------------------------------------------


def test_a_spirometry_result_becomes_a_device_message():
    message = result_message(decode_record(SPIRO_6310), tz=ROME)
    assert message.driver == "gdt" and message.device == "SPIRO LUFU01"
    assert message.patient == PatientRef("RSSNCL80A01H501X", "Lucà", "Nicolò", "19800101", "M")
    when = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    assert message.sent_at == when
    assert message.comments == ("Collaborazione buona", "Nessuna ostruzione")
    got = [(r.code, r.code_system, r.value_num, r.value_text, r.unit) for r in message.results]
    assert got == [
        ("20150-9", "LOINC", 3.45, None, "L"),
        ("19868-9", "LOINC", 4.20, None, "L"),
        ("19926-5", "LOINC", 82.0, None, "%"),
        ("19935-6", "LOINC", 8.10, None, "L/s"),
        ("FEV1_SOLL%", "local:gdt", 95.0, None, None),
        ("QUAL", "local:gdt", None, "A", None),
    ]
    tiff, pef = message.results[2], message.results[3]
    assert tiff.reference_range == "> 70" and tiff.device_code == "TIFF"
    assert pef.abnormal == "L" and pef.observed_at == when
    assert message.results[4].display == "FEV1 % pred"


def test_blood_pressure_and_weight_over_gdt():
    data = record_bytes(
        b"6310",
        line("9206", b"3"),
        line("3000", b"42"),
        line("8410", b"RR_SYS"),
        line("8420", b"135"),
        line("8421", b"mmHg"),
        line("8410", b"RR_DIA"),
        line("8420", b"85"),
        line("8410", b"PULS"),
        line("8420", b"66"),
        line("8432", b"24112026"),
        line("8439", b"0815"),
        line("8410", b"GEWICHT"),
        line("8420", b"81,4"),
        line("8421", b"kg"),
    )
    message = result_message(decode_record(data), tz=UTC)
    assert [(r.code, r.value_num, r.unit) for r in message.results] == [
        ("8480-6", 135.0, "mm[Hg]"),
        ("8462-4", 85.0, "mm[Hg]"),
        ("8867-4", 66.0, "/min"),
        ("29463-7", 81.4, "kg"),
    ]
    assert message.results[2].observed_at == datetime(2026, 11, 24, 8, 15, tzinfo=UTC)
    assert message.sent_at is None and message.results[0].observed_at is None


def test_only_result_records_become_messages():
    with pytest.raises(GdtError, match="not a result"):
        result_message(decode_record(record_bytes(b"6311", line("3000", b"1"))))


def test_a_referenced_curve_file_is_attached(tmp_path: Path):
    (tmp_path / "result.gdt").write_bytes(SPIRO_6310)
    (tmp_path / "curve.pdf").write_bytes(b"%PDF-1.4 curve")
    (message,) = read_result_file(tmp_path / "result.gdt")
    assert message.attachments == {"curve.pdf": b"%PDF-1.4 curve"}
    (tmp_path / "curve.pdf").unlink()
    assert read_result_file(tmp_path / "result.gdt")[0].attachments == {}


# --- the result folder ----------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_imported_once_it_settles_and_never_again(tmp_path: Path):
    got: list[DeviceMessage] = []
    clock = Clock()
    watcher = ResultFolderWatcher(tmp_path, got.append, settle=1.0, clock=clock)
    (tmp_path / "curve.pdf").write_bytes(b"curve")
    (tmp_path / "r.GDT").write_bytes(SPIRO_6310[:100])  # still being written
    assert watcher.poll() == []
    clock.now = 0.5
    (tmp_path / "r.GDT").write_bytes(SPIRO_6310)
    assert watcher.poll() == []
    clock.now = 1.0
    assert watcher.poll() == []  # changed at 0.5: not settled yet
    clock.now = 1.6
    assert watcher.poll() == [tmp_path / "imported" / "r.GDT"]
    assert len(got) == 1 and got[0].attachments == {"curve.pdf": b"curve"}
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == ["curve.pdf", "r.GDT"]
    restarted = ResultFolderWatcher(tmp_path, got.append, settle=0)
    assert restarted.poll() == [] and len(got) == 1


def test_a_bad_file_is_rejected_with_its_error_and_never_lost(tmp_path: Path):
    bad = SPIRO_6310.replace(b"0133101", b"0143101")
    (tmp_path / "bad.gdt").write_bytes(bad)
    (tmp_path / "show.gdt").write_bytes(record_bytes(b"6311", line("3000", b"1")))
    got: list[DeviceMessage] = []
    handled = ResultFolderWatcher(tmp_path, got.append, settle=0).poll()
    assert handled == [tmp_path / "rejected" / "bad.gdt", tmp_path / "rejected" / "show.gdt"]
    assert got == [] and (tmp_path / "rejected" / "bad.gdt").read_bytes() == bad
    error = (tmp_path / "rejected" / "bad.gdt.error.txt").read_text(encoding="utf-8")
    assert "line 8 (field 3101)" in error


def test_same_names_do_not_overwrite_earlier_imports(tmp_path: Path):
    watcher = ResultFolderWatcher(tmp_path, lambda m: None, settle=0)
    for _ in range(3):
        (tmp_path / "r.gdt").write_bytes(SPIRO_6310)
        watcher.poll()
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == [
        "r-1.gdt",
        "r-2.gdt",
        "r.gdt",
    ]


def test_a_failing_consumer_leaves_the_file_for_the_next_poll(tmp_path: Path):
    (tmp_path / "r.gdt").write_bytes(SPIRO_6310)

    def broken(message: DeviceMessage) -> None:
        raise RuntimeError("database busy")

    with pytest.raises(RuntimeError):
        ResultFolderWatcher(tmp_path, broken, settle=0).poll()
    assert (tmp_path / "r.gdt").exists()
    got: list[DeviceMessage] = []
    assert len(ResultFolderWatcher(tmp_path, got.append, settle=0).poll()) == 1 and got


def test_a_file_that_cannot_move_is_not_delivered_twice(tmp_path: Path):
    (tmp_path / "r.gdt").write_bytes(SPIRO_6310)
    (tmp_path / "imported").write_bytes(b"")  # a file where the folder should be
    got: list[DeviceMessage] = []
    watcher = ResultFolderWatcher(tmp_path, got.append, settle=0)
    assert watcher.poll() == [] and watcher.poll() == [] and len(got) == 1
    (tmp_path / "imported").unlink()
    assert watcher.poll() == [tmp_path / "imported" / "r.gdt"] and len(got) == 1


def test_temporary_empty_and_foreign_files_are_left_alone(tmp_path: Path):
    (tmp_path / ".r.gdt.123.tmp").write_bytes(SPIRO_6310)
    (tmp_path / ".hidden.gdt").write_bytes(SPIRO_6310)
    (tmp_path / "empty.gdt").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"x")
    os.mkdir(tmp_path / "dir.gdt")
    watcher = ResultFolderWatcher(tmp_path, lambda m: None, settle=0)
    assert watcher.poll() == [] and watcher.poll() == []
    assert ResultFolderWatcher(tmp_path / "missing", lambda m: None).poll() == []


# --- the spirometer simulator ---------------------------------------------------------


def test_the_simulator_takes_only_requests_addressed_to_it(tmp_path: Path):
    options = GdtSimOptions(device_id="SPIRO")
    mine = write_request(tmp_path, PATIENT, receiver_id="SPIRO")
    theirs = write_request(tmp_path, PATIENT, receiver_id="EKG")
    assert take_request(theirs, options) is None and theirs.exists()
    request = take_request(mine, options)
    assert request is not None and not mine.exists()
    result = answer(request, tmp_path, options)
    (message,) = read_result_file(result)
    assert message.patient.identifier == PATIENT.identifier
    assert {r.code for r in message.results} >= {"20150-9", "19868-9", "19926-5", "19935-6"}
    assert list(message.attachments) == ["MEDIRETESPIRO_curve.csv"]
    assert answer(request, tmp_path, options).name == "MEDIRETESPIRO-1.gdt"


def test_simulated_values_are_plausible():
    for sex, birth in (("1", "01011950"), ("2", "15061995"), ("", "")):
        request = GdtRecord("6302", (("3000", "x" + sex), ("3110", sex), ("3103", birth)))
        values = spirometry_for(request, datetime(2026, 11, 25).date())
        assert 1.0 <= values.fev1 < values.fvc <= 6.5 and 40 <= values.ratio <= 95
        assert 2.0 <= values.pef <= 13


# --- properties -------------------------------------------------------------------------

CP437 = bytes(range(256)).decode("cp437").replace("\r", "").replace("\n", "")
LATIN1 = bytes(range(256)).decode("latin-1").replace("\r", "").replace("\n", "")
CHARSET_TEXT = {
    "1": st.text(st.sampled_from("ABCabc019 .,:;/-_§ÄÖÜäöüß\t"), max_size=40),
    "2": st.text(st.sampled_from(CP437), max_size=40),
    "3": st.text(st.sampled_from(LATIN1), max_size=40),
}
field_ids = (
    st.integers(0, 9999)
    .map(lambda n: f"{n:04d}")
    .filter(lambda f: f not in ("8000", "8100", "9206", "9218"))
)


@st.composite
def records(draw: st.DrawFn) -> GdtRecord:
    charset = draw(st.sampled_from(sorted(CHARSET_TEXT)))
    fields = draw(st.lists(st.tuples(field_ids, CHARSET_TEXT[charset]), max_size=15))
    return GdtRecord(draw(st.sampled_from(["6302", "6310", "6311"])), (("9206", charset), *fields))


@settings(max_examples=200)
@given(records())
def test_encode_then_decode_gives_the_record_back(record: GdtRecord):
    assert decode_record(encode_record(record)) == record


def _fuzz(data: bytes) -> None:
    try:
        for record in decode_records(data):
            if record.record_type == "6310":
                result_message(record)
    except GdtError:
        pass


mutated = st.tuples(st.integers(0, len(SPIRO_6310) - 1), st.binary(min_size=1, max_size=4)).map(
    lambda cut: SPIRO_6310[: cut[0]] + cut[1] + SPIRO_6310[cut[0] + len(cut[1]) :]
)
gdt_bytes = (
    st.binary(max_size=300) | mutated | st.text("0123456789\r\n ", max_size=60).map(str.encode)
)


@settings(max_examples=200)
@given(gdt_bytes)
def test_random_bytes_raise_nothing_but_gdt_errors(data: bytes):
    _fuzz(data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(gdt_bytes)
def test_random_bytes_raise_nothing_but_gdt_errors_long_run(data: bytes):
    _fuzz(data)
