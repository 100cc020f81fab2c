"""``devsim astm`` options for the demo: ``--patients FILE``, ``--interval``, ``--delay``,
``--exit-with-stdin``; and the per-patient results the analyzer sends.

The handler runs in a thread and a real ``DeviceRunner`` reads it over TCP; one test
runs devsim as a process and closes its stdin. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.devices.astm import LinkSettings
from app.devices.astm.samples import (
    PATIENTS,
    STANDARD_PANEL,
    PatientsFileError,
    SyntheticPatient,
    patient_results,
    patients_line,
    read_patients,
    sample_message,
)
from app.devices.astm.simulator import plan_messages
from app.devices.cli_verbs import add_devsim_parser, devsim
from app.devices.results import DeviceMessage
from app.devices.runtime import DeviceRunner, DeviceSpec

WAIT = 8.0
REPO = Path(__file__).resolve().parents[2]
FAST = LinkSettings(reply_timeout=3.0, receive_timeout=3.0, busy_wait=0.2)
DIABETIC = SyntheticPatient("MGGMLE40R70F205D", "Maggi", "Emilia", "19401030", "F",
                            ("HbA1c", "GLU"))  # fmt: skip
ANTICOAGULATED = SyntheticPatient("BSCCRI28B28F205U", "Bosco", "Ciro", "19280228", "M", ("INR",))


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_devsim_parser(parser.add_subparsers(dest="verb", required=True))
    return parser.parse_args(["devsim", *argv])


class Handler:
    """``devsim`` in a thread; its first stdout line read as it comes."""

    def __init__(self, capsys: pytest.CaptureFixture[str], *argv: str) -> None:
        self.capsys = capsys
        self.stop = threading.Event()
        self.code: int | None = None
        self.out = self.err = ""
        args = parse(*argv)
        self.thread = threading.Thread(target=self._run, args=(args,), daemon=True)
        self.thread.start()

    def _run(self, args: argparse.Namespace) -> None:
        self.code = devsim(args, stop=self.stop)

    def where(self) -> str:
        end = time.monotonic() + WAIT
        while "\n" not in self.out and time.monotonic() < end:
            self.out += self.capsys.readouterr().out
            time.sleep(0.02)
        first = self.out.splitlines()[0]
        assert first.startswith("devsim: astm on "), first
        return first.split(" on ", 1)[1]

    def finish(self, wait: float = WAIT) -> int | None:
        self.thread.join(wait)
        assert not self.thread.is_alive()
        captured = self.capsys.readouterr()
        self.out, self.err = self.out + captured.out, self.err + captured.err
        return self.code


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[Callable[[str], tuple[DeviceRunner, list[DeviceMessage]]]]:
    started: list[DeviceRunner] = []

    def start(url: str) -> tuple[DeviceRunner, list[DeviceMessage]]:
        got: list[DeviceMessage] = []
        reader = DeviceRunner(DeviceSpec("astm", url), got.append, spool_dir=tmp_path,
                              astm_settings=FAST)  # fmt: skip
        reader.start()
        started.append(reader)
        return reader, got

    yield start
    for reader in started:
        assert reader.stop(WAIT)


def wait_until(condition: Callable[[], bool], wait: float = WAIT) -> bool:
    end = time.monotonic() + wait
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


@pytest.fixture
def patients_file(tmp_path: Path) -> Path:
    path = tmp_path / "patients.tsv"
    path.write_text("# the demo's analyzer\n\n" + patients_line(DIABETIC) + "\n"
                    + patients_line(ANTICOAGULATED) + "\n", encoding="utf-8")  # fmt: skip
    return path


# -- the patients file ----------------------------------------------------------------------


def test_a_patients_file_reads_back_what_was_written(patients_file: Path) -> None:
    assert read_patients(patients_file) == (DIABETIC, ANTICOAGULATED)
    plain = patients_file.with_name("plain.tsv")
    plain.write_bytes("\r\n".join(patients_line(p) for p in PATIENTS).encode("utf-8"))
    assert read_patients(plain) == PATIENTS  # CRLF, five fields: the standard panel


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("RSSMRA80A01H501U\tRossi\tMario\t19800101\n", "line 1: expected 5 or 6"),
        ("\n# x\nRSSMRA80A01H50\tRossi\tMario\t19800101\tM\n", "line 3: not a codice fiscale"),
        ("RSSMRA80A01H501U\t\tMario\t19800101\tM\n", "a surname and a given name"),
        ("RSSMRA80A01H501U\tRossi\tMario\t01011980\tM\n", "not a birth date (YYYYMMDD)"),
        ("RSSMRA80A01H501U\tRossi\tMario\t19800230\tM\n", "not a birth date (YYYYMMDD)"),
        ("RSSMRA80A01H501U\tRossi\tMario\t19800101\tX\n", "sex must be M or F: X"),
        ("RSSMRA80A01H501U\tRossi\tMario\t19800101\tM\tHbA1c,PSA\n", "unknown test code: PSA"),
        ("# nobody\n\n", "no patients in"),
    ],
)
def test_a_bad_patients_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, text: str
) -> None:
    path = tmp_path / "patients.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PatientsFileError, match=text.replace("(", r"\(").replace(")", r"\)")):
        read_patients(path)
    assert devsim(parse("astm", "--port", "listen://127.0.0.1:0", "--patients", str(path))) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured  # no port opened
    assert captured.err.startswith("medirete-admin: ") and text in captured.err


@pytest.mark.parametrize("damage", ["missing", "latin-1"])
def test_an_unreadable_patients_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    path = tmp_path / "patients.tsv"
    if damage == "latin-1":
        path.write_bytes("RSSMRA80A01H501U\tLucà\tMaria\t19800101\tF\n".encode("latin-1"))
    assert devsim(parse("astm", "--port", "pty", "--patients", str(path))) == 1
    err = capsys.readouterr().err
    assert "cannot read the patients file" in err and err.count("\n") == 1


@pytest.mark.parametrize("option", [["--patients", "x.tsv"], ["--delay", "1"]])
def test_the_new_options_are_for_astm_only(
    capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    assert devsim(parse("bp", "--port", "pty", *option)) == 2
    assert f"{option[0]} does not apply to devsim bp" in capsys.readouterr().err


def test_each_patient_has_plausible_results_of_their_own() -> None:
    assert patient_results(PATIENTS[0], 5) == STANDARD_PANEL
    for draw in range(20):
        hba1c, glucose = patient_results(DIABETIC, draw)
        assert (hba1c.code, hba1c.unit, hba1c.flag) == ("HbA1c", "mmol/mol", "H")
        assert 48 <= int(hba1c.value) <= 72 and 104 <= int(glucose.value) <= 186
        (inr,) = patient_results(ANTICOAGULATED, draw)
        assert inr.code == "INR" and 1.0 <= float(inr.value) <= 1.5
        assert inr.flag == ("H" if float(inr.value) > 1.2 else "N")
    assert patient_results(DIABETIC, 3) == patient_results(DIABETIC, 3)  # the same each run
    levels = {patient_results(DIABETIC, draw)[0].value for draw in range(20)}
    assert len(levels) > 1  # a fresh sample each time, near the patient's level


# -- pacing ---------------------------------------------------------------------------------


def test_interval_sends_the_patients_in_turn_then_ends(
    capsys: pytest.CaptureFixture[str],
    patients_file: Path,
    runner: Callable[[str], tuple[DeviceRunner, list[DeviceMessage]]],
) -> None:
    handler = Handler(
        capsys,
        "astm",
        "--port",
        "listen://127.0.0.1:0",
        "--count",
        "3",
        "--interval",
        "0.3",
        "--delay",
        "0.1",
        "--patients",
        str(patients_file),
    )
    _reader, got = runner(handler.where())
    assert handler.finish() == 0, handler.out + handler.err
    assert wait_until(lambda: len(got) == 3)
    assert [m.patient.identifier for m in got] == [DIABETIC.codice_fiscale,
                                                   ANTICOAGULATED.codice_fiscale,
                                                   DIABETIC.codice_fiscale]  # fmt: skip
    assert [[r.display for r in m.results] for m in got] == [
        ["HbA1c", "Glucose"],
        ["INR"],
        ["HbA1c", "Glucose"],
    ]
    assert "3 messages delivered, 0 failed, 0 frames sent again" in handler.out


def test_interval_waits_between_messages(
    capsys: pytest.CaptureFixture[str],
    patients_file: Path,
    runner: Callable[[str], tuple[DeviceRunner, list[DeviceMessage]]],
) -> None:
    handler = Handler(capsys, "astm", "--port", "listen://127.0.0.1:0", "--interval", "30",
                      "--patients", str(patients_file))  # fmt: skip
    _reader, got = runner(handler.where())
    try:
        assert wait_until(lambda: len(got) == 1)
        time.sleep(1.0)
        assert len(got) == 1  # the next one is 30 s away
    finally:
        handler.stop.set()
    assert handler.finish() == 0
    assert "1 messages delivered, 0 failed, 0 frames sent again" in handler.out


def test_without_count_it_runs_until_stopped_and_faults_count_frames_over_messages(
    capsys: pytest.CaptureFixture[str],
    patients_file: Path,
    runner: Callable[[str], tuple[DeviceRunner, list[DeviceMessage]]],
) -> None:
    first = sample_message(DIABETIC, patient_results(DIABETIC, 0))
    (frames,) = plan_messages([first])
    corrupt = len(frames) + 1  # the first frame of the second message
    handler = Handler(
        capsys,
        "astm",
        "--port",
        "listen://127.0.0.1:0",
        "--interval",
        "0.05",
        "--corrupt-frame",
        str(corrupt),
        "--patients",
        str(patients_file),
    )
    _reader, got = runner(handler.where())
    try:
        assert wait_until(lambda: len(got) >= 4)
    finally:
        handler.stop.set()
    assert handler.finish() == 0
    assert [m.patient.family_name for m in got[:4]] == ["Maggi", "Bosco", "Maggi", "Bosco"]
    assert " failed, 1 frames sent again" in handler.out  # the NAKed frame, once


def test_a_listener_leaving_between_messages_ends_the_run_at_once(
    capsys: pytest.CaptureFixture[str],
    patients_file: Path,
    runner: Callable[[str], tuple[DeviceRunner, list[DeviceMessage]]],
) -> None:
    handler = Handler(capsys, "astm", "--port", "listen://127.0.0.1:0", "--interval", "60",
                      "--patients", str(patients_file))  # fmt: skip
    reader, got = runner(handler.where())
    assert wait_until(lambda: len(got) == 1)
    assert reader.stop(WAIT)  # the workstation goes: the connection closes
    started = time.monotonic()
    assert handler.finish() == 1  # not 60 s later
    assert time.monotonic() - started < WAIT
    assert "devsim failed: " in handler.err and handler.err.count("\n") == 1


def test_exit_with_stdin_ends_when_the_parent_closes_the_pipe(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "app.devices.cli_verbs", "devsim", "gdt", "--folder",
         str(tmp_path), "--exit-with-stdin"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdin is not None
        ready, _w, _x = select.select([process.stdout], [], [], WAIT)
        assert ready and process.stdout.readline() == f"devsim: gdt on {tmp_path}\n".encode()
        time.sleep(0.3)
        assert process.poll() is None  # stdin open: it runs
        process.stdin.close()
        process.wait(WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == 0
