"""GDT 2.1 (Geräte-Daten-Träger): the file interface of spirometer, ECG and BP programs.

A GDT file holds records of lines ``LLLFFFFcontent CR LF``: ``LLL`` is the line's length
in bytes (content + 9), ``FFFF`` the field id. A record starts with 8000 (record type:
6302 new test request, 6310 result data, 6311 show data) and 8100 (record length in
bytes, 5 digits). 9206 names the character set: 1 = 7-bit DIN 66003, 2 = IBM CP437,
3 = ISO 8859-1 (ISO 8859-15 when 9218 says version 3); ``encoding=`` overrides it.

Decoding is strict where the format checks itself (a wrong ``LLL`` or record length is a
``GdtError`` naming the line) and lenient where writers are known to be sloppy (a
missing final CR LF, trailing whitespace). ``write_request`` drops a 6302 into a device
program's folder; ``read_result_file`` turns a 6310 file into ``DeviceMessage`` objects;
``ResultFolderWatcher`` polls a result folder and imports each complete file once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from app.devices.results import DeviceMessage, DeviceResult, PatientRef, ProtocolError

log = logging.getLogger(__name__)

DRIVER = "gdt"
VERSION = "02.10"
WHITESPACE = b" \t\r\n\x1a\x00"
DIN_66003 = str.maketrans("@[\\]{|}~", "§ÄÖÜäöüß")  # German ISO 646 variant (9206=1)
DIN_66003_BACK = dict(zip("§ÄÖÜäöüß", "@[\\]{|}~", strict=True))
CHARSETS = {"2": "cp437", "3": "iso8859-1"}

# Test identifiers (8410, upper case, no spaces) -> LOINC code, display, default unit.
LOINC_BY_TEST: dict[str, tuple[str, str, str]] = {}
for _names, _coded in (
    (("FEV1", "FEV1.0", "VEMS"), ("20150-9", "FEV1", "L")),
    (("FVC", "CVF"), ("19868-9", "FVC", "L")),
    # "Tiffeneau" is FEV1/VC in the textbooks; device programs use it for FEV1/FVC.
    (
        ("FEV1/FVC", "FEV1%FVC", "FEV1/FVC%", "FEV1FVC", "TIFF", "TIFFENEAU"),
        ("19926-5", "FEV1/FVC", "%"),
    ),
    (("PEF", "PEFR"), ("19935-6", "PEF", "L/s")),
    (
        ("RR_SYS", "RRSYS", "SYS", "PA_SIS", "PAS", "SBP"),
        ("8480-6", "Systolic blood pressure", "mm[Hg]"),
    ),
    (
        ("RR_DIA", "RRDIA", "DIA", "PA_DIA", "PAD", "DBP"),
        ("8462-4", "Diastolic blood pressure", "mm[Hg]"),
    ),
    (("PULS", "PULSE", "HF", "FC", "HR", "PR"), ("8867-4", "Pulse rate", "/min")),
    (("GEWICHT", "WEIGHT", "PESO", "WT"), ("29463-7", "Body weight", "kg")),
    (("SPO2",), ("59408-5", "SpO2", "%")),
):
    LOINC_BY_TEST.update(dict.fromkeys(_names, _coded))
# Letters that do not decompose into a base letter plus accents.
LETTERS = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ø": "O",
    "ø": "o",
    "Œ": "OE",
    "œ": "oe",
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
}
UNITS = {
    "l": "L",
    "l/s": "L/s",
    "l/min": "L/min",
    "mmhg": "mm[Hg]",
    "bpm": "/min",
    "1/min": "/min",
    "/min": "/min",
    "kg": "kg",
    "%": "%",
}


class GdtError(ProtocolError):
    """Bytes that are not valid GDT: bad line length, record length, charset, field."""


@dataclass(frozen=True)
class GdtRecord:
    """One record: its type (8000) and its other fields in order (8100 is computed)."""

    record_type: str
    fields: tuple[tuple[str, str], ...] = ()
    raw: bytes = field(default=b"", compare=False, repr=False)

    def first(self, field_id: str, default: str = "") -> str:
        """The first value of ``field_id``, or ``default``."""
        return next((v for f, v in self.fields if f == field_id), default)

    def all(self, field_id: str) -> list[str]:
        """Every value of a repeatable field, in order."""
        return [v for f, v in self.fields if f == field_id]


# --- encoding -------------------------------------------------------------------------


def _codec(record_fields: Iterable[tuple[str, str]], override: str | None) -> str:
    if override:
        return override
    values = dict(reversed(list(record_fields)))  # first occurrence wins
    charset = values.get("9206", "3").strip()
    if charset == "1":
        return "din66003"
    if charset == "3" and values.get("9218", VERSION).startswith("03"):
        return "iso8859-15"
    return CHARSETS.get(charset, "iso8859-1")


def _encode_text(text: str, codec: str) -> bytes:
    try:
        if codec == "din66003":
            if any(ch in "@[\\]{|}~" for ch in text):
                raise UnicodeEncodeError(codec, text, 0, 1, "no such character in 7-bit GDT")
            return "".join(DIN_66003_BACK.get(ch, ch) for ch in text).encode("ascii")
        return text.encode(codec)
    except (UnicodeEncodeError, LookupError) as exc:
        raise GdtError(f"cannot write {text!r} in character set {codec}: {exc}") from exc


def _decode_text(data: bytes, codec: str, line_no: int) -> str:
    try:
        if codec == "din66003":
            return data.decode("ascii").translate(DIN_66003)
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise GdtError(f"line {line_no}: not valid {codec} text: {exc}") from exc


def _line(field_id: str, content: bytes) -> bytes:
    if len(field_id) != 4 or not field_id.isascii() or not field_id.isdigit():
        raise GdtError(f"field id must be 4 digits: {field_id!r}")
    if b"\r" in content or b"\n" in content:
        raise GdtError(f"field {field_id}: content may not hold CR or LF")
    size = len(content) + 9
    if size > 999:
        raise GdtError(f"field {field_id}: content longer than 990 bytes")
    return b"%03d%s%s\r\n" % (size, field_id.encode("ascii"), content)


def encode_record(record: GdtRecord, *, encoding: str | None = None) -> bytes:
    """The bytes of ``record``: 8000, 8100 (computed), then its fields in order."""
    codec = _codec(record.fields, encoding)
    head = _line("8000", _encode_text(record.record_type, codec))
    body = b"".join(_line(f, _encode_text(v, codec)) for f, v in record.fields)
    total = len(head) + 14 + len(body)  # 14 = the 8100 line itself (3 + 4 + 5 + 2)
    if total > 99999:
        raise GdtError(f"record of {total} bytes does not fit 8100 (5 digits)")
    return head + _line("8100", b"%05d" % total) + body


# --- decoding -------------------------------------------------------------------------


def _cut_line(data: bytes, pos: int, line_no: int) -> tuple[str, bytes, int, int]:
    """One line at ``pos``: (field id, content, declared length, next position)."""
    head = data[pos : pos + 7]
    if len(head) < 7 or not head.isdigit():
        raise GdtError(f"line {line_no}: expected LLLFFFF, found {head!r}")
    size, field_id = int(head[:3]), head[3:].decode("ascii")
    if size < 9:
        raise GdtError(f"line {line_no} (field {field_id}): length {size:03d} is below 9")
    line = data[pos : pos + size]
    if len(line) == size and line.endswith(b"\r\n"):
        return field_id, line[7:-2], size, pos + size
    rest = data[pos:]
    for last in (rest, rest.rstrip(WHITESPACE)):  # last line without its CR LF
        if len(last) + 2 == size and b"\n" not in last:
            return field_id, last[7:], size, len(data)
    end = data.find(b"\r\n", pos)
    actual = "no CR LF" if end < 0 else f"{end + 2 - pos} bytes"
    raise GdtError(
        f"line {line_no} (field {field_id}): length says {size} bytes, line has {actual}"
    )


@dataclass
class _RawRecord:
    start: int
    lines: list[tuple[int, str, bytes, int]]  # line number, field id, content, size
    end: int = 0


def _split(data: bytes) -> list[_RawRecord]:
    records: list[_RawRecord] = []
    pos, line_no = 0, 1
    while data[pos:].strip(WHITESPACE):
        field_id, content, size, nxt = _cut_line(data, pos, line_no)
        if field_id == "8000":
            records.append(_RawRecord(pos, []))
        elif not records:
            raise GdtError(f"line {line_no}: a record starts with field 8000, not {field_id}")
        records[-1].lines.append((line_no, field_id, content, size))
        records[-1].end = nxt
        pos, line_no = nxt, line_no + 1
    if not records:
        raise GdtError("no GDT record (empty file)")
    return records


def _check_length(rec: _RawRecord) -> None:
    declared = [(n, c) for n, f, c, _ in rec.lines if f == "8100"]
    if not declared:
        return  # 8100 is optional from GDT 3.0 on
    line_no, content = declared[0]
    if len(content) != 5 or not content.isdigit():
        raise GdtError(f"line {line_no} (field 8100): record length is not 5 digits")
    actual = sum(size for *_, size in rec.lines)
    if int(content) != actual:
        raise GdtError(
            f"line {line_no} (field 8100): record length says {int(content)} bytes, "
            f"record has {actual}"
        )


def decode_records(data: bytes, *, encoding: str | None = None) -> list[GdtRecord]:
    """Every record in ``data``; ``GdtError`` (naming the line) for anything malformed."""
    out = []
    for rec in _split(data):
        _check_length(rec)
        ascii_fields = [(f, c.decode("latin-1")) for _, f, c, _ in rec.lines]
        codec = _codec(ascii_fields, encoding)
        fields = [(f, _decode_text(c, codec, n)) for n, f, c, _ in rec.lines]
        rest = tuple((f, v) for f, v in fields[1:] if f != "8100")
        out.append(GdtRecord(fields[0][1], rest, data[rec.start : rec.end]))
    return out


def decode_record(data: bytes, *, encoding: str | None = None) -> GdtRecord:
    """The one record in ``data`` (``GdtError`` when there are none or several)."""
    records = decode_records(data, encoding=encoding)
    if len(records) != 1:
        raise GdtError(f"expected one GDT record, found {len(records)}")
    return records[0]


# --- requests (6302) ------------------------------------------------------------------


def _fit(text: str, codec: str) -> str:
    """``text`` with characters the charset lacks replaced by their base letter or '?'."""
    out = []
    for ch in text:
        try:
            _encode_text(ch, codec)
            out.append(ch)
        except GdtError:
            base = unicodedata.normalize("NFKD", LETTERS.get(ch, ch))
            out.append(base.encode("ascii", "ignore").decode() or "?")
    return "".join(out)


def _gdt_date(value: str) -> str:
    digits = value.replace("-", "")
    return f"{digits[6:8]}{digits[4:6]}{digits[:4]}" if len(digits) == 8 else value


def request_record(
    patient: PatientRef,
    *,
    receiver_id: str,
    sender_id: str = "MEDIRETE",
    test_id: str = "",
    charset: str = "3",
) -> GdtRecord:
    """A 6302 "new test" request for ``patient`` (birth date YYYYMMDD, sex M/F)."""
    codec = _codec([("9206", charset)], None)
    fields = [
        ("8315", receiver_id),
        ("8316", sender_id),
        ("9206", charset),
        ("9218", VERSION),
        ("3000", patient.identifier),
        ("3101", _fit(patient.family_name, codec)),
        ("3102", _fit(patient.given_name, codec)),
    ]
    if patient.birth_date:
        fields.append(("3103", _gdt_date(patient.birth_date)))
    sex = {"M": "1", "F": "2"}.get(patient.sex.upper()[:1])
    if sex:
        fields.append(("3110", sex))
    if test_id:
        fields.append(("8402", test_id))
    return GdtRecord("6302", tuple(fields))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden temporary beside ``path``, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_request(
    folder: Path,
    patient: PatientRef,
    *,
    receiver_id: str,
    sender_id: str = "MEDIRETE",
    test_id: str = "",
    file_name: str | None = None,
    charset: str = "3",
) -> Path:
    """Write a 6302 request atomically into ``folder``; the file is ``<receiver><sender>.gdt``.

    A request the device program has not picked up yet is replaced (the newest wins).
    """
    record = request_record(
        patient, receiver_id=receiver_id, sender_id=sender_id, test_id=test_id, charset=charset
    )
    path = folder / (file_name or f"{receiver_id}{sender_id}.gdt")
    write_atomic(path, encode_record(record))
    return path


# --- results (6310) -------------------------------------------------------------------


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned or not all(ch in "+-.0123456789" for ch in cleaned):
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def _when(day: str, clock: str, tz: tzinfo | None) -> datetime | None:
    """DDMMYYYY and HHMMSS (HHMM accepted) in local time ``tz`` -> aware UTC, or None."""
    stamp = day + clock.strip().ljust(6, "0")
    if len(stamp) != 14 or not stamp.isascii() or not stamp.isdigit():
        return None
    try:
        parsed = datetime.strptime(stamp, "%d%m%Y%H%M%S")
        local = parsed.replace(tzinfo=tz) if tz is not None else parsed.astimezone()
        return local.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _birth_date(value: str) -> str:
    """GDT DDMMYYYY as YYYYMMDD (what the inbox matches on); anything else as sent."""
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return value
    try:
        return date(int(value[4:8]), int(value[2:4]), int(value[:2])).strftime("%Y%m%d")
    except ValueError:
        return value


def _result(test: dict[str, str], default_when: datetime | None, tz: tzinfo | None) -> DeviceResult:
    test_id = test["8410"]
    code, display, unit = LOINC_BY_TEST.get(test_id.upper().replace(" ", ""), ("", "", ""))
    sent_unit = test.get("8421", "").strip()
    value = test.get("8420", "")
    number = _number(value)
    low_high = "-".join(x for x in (test.get("8461", ""), test.get("8462", "")) if x)
    return DeviceResult(
        code=code or test_id or "unnamed",
        display=test.get("8411") or display or test_id,
        value_num=number,
        value_text=None if number is not None else (value or test.get("8480") or None),
        unit=UNITS.get(sent_unit.lower(), sent_unit) or unit or None,
        code_system="LOINC" if code else "local:gdt",
        status="corrected" if test.get("8418", "").upper().startswith("K") else "final",
        abnormal=test.get("8422", ""),
        reference_range=test.get("8460", "") or low_high,
        observed_at=_when(test["8432"], test.get("8439", ""), tz)
        if "8432" in test
        else default_when,
        device_code=test_id,
    )


def _tests(record: GdtRecord) -> list[dict[str, str]]:
    tests: list[dict[str, str]] = []
    for field_id, value in record.fields:
        if field_id == "8410":
            tests.append({"8410": value})
        elif tests and field_id.startswith("84") and field_id not in tests[-1]:
            tests[-1][field_id] = value
    return tests


def result_message(
    record: GdtRecord, *, attachments: dict[str, bytes] | None = None, tz: tzinfo | None = None
) -> DeviceMessage:
    """A 6310 record as ``DeviceMessage(driver="gdt")``; times are local in ``tz``."""
    if record.record_type != "6310":
        raise GdtError(f"record type {record.record_type} is not a result (6310)")
    when = _when(record.first("6200"), record.first("6201"), tz)
    patient = PatientRef(
        identifier=record.first("3000"),
        family_name=record.first("3101"),
        given_name=record.first("3102"),
        birth_date=_birth_date(record.first("3103")),
        sex={"1": "M", "2": "F"}.get(record.first("3110"), record.first("3110")),
    )
    comments = tuple(v for f, v in record.fields if f in ("6220", "6227", "6228") and v)
    device = " ".join(x for x in (record.first("8316"), record.first("8402")) if x)
    return DeviceMessage(
        driver=DRIVER,
        patient=patient,
        results=tuple(_result(t, when, tz) for t in _tests(record)),
        raw=record.raw,
        device=device,
        sent_at=when,
        comments=comments,
        attachments=dict(attachments or {}),
    )


def referenced_files(record: GdtRecord, folder: Path) -> list[Path]:
    """Files named in 6305 that exist in ``folder`` (only the base name is used)."""
    found = []
    for ref in record.all("6305"):
        name = ref.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if name and (folder / name).is_file():
            found.append(folder / name)
    return found


def _load(
    path: Path, encoding: str | None, tz: tzinfo | None
) -> tuple[list[DeviceMessage], list[Path]]:
    records = decode_records(path.read_bytes(), encoding=encoding)
    messages, files = [], []
    for record in records:
        refs = referenced_files(record, path.parent)
        files += refs
        attachments = {p.name: p.read_bytes() for p in refs}
        messages.append(result_message(record, attachments=attachments, tz=tz))
    return messages, files


def read_result_file(
    path: Path, *, encoding: str | None = None, tz: tzinfo | None = None
) -> list[DeviceMessage]:
    """Every 6310 record of a result file, with its referenced files attached."""
    return _load(path, encoding, tz)[0]


# --- the result folder ----------------------------------------------------------------


class ResultFolderWatcher:
    """Polls a device program's result folder and imports each complete GDT file once.

    A file is taken when its size and modification time have held still for ``settle``
    seconds (files renamed in are complete at once: ``settle=0`` takes them on sight).
    After ``on_message`` has returned for each of its records, the file and the curve
    files it references move to ``imported/``; a file that is not valid GDT moves to
    ``rejected/`` beside a ``.error.txt`` naming the problem. Nothing is deleted, and a
    restart does not import a file again. If ``on_message`` raises, the file stays where
    it is and the exception propagates: delivery is at least once, never lost.
    """

    def __init__(
        self,
        folder: Path,
        on_message: Callable[[DeviceMessage], None],
        *,
        settle: float = 1.0,
        encoding: str | None = None,
        tz: tzinfo | None = None,
        suffixes: tuple[str, ...] = (".gdt",),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.on_message = on_message
        self.settle = settle
        self.encoding = encoding
        self.tz = tz
        self.suffixes = tuple(s.lower() for s in suffixes)
        self._clock = clock
        self._seen: dict[Path, tuple[int, int, float]] = {}
        self._delivered: dict[Path, list[Path]] = {}  # imported, still to move

    def poll(self) -> list[Path]:
        """One scan; returns where each handled file went (imported or rejected)."""
        try:
            names = sorted(self.folder.iterdir())
        except OSError as exc:
            log.warning("GDT result folder %s unreadable: %s", self.folder, exc)
            return []
        candidates = [
            p
            for p in names
            if p.suffix.lower() in self.suffixes and not p.name.startswith(".") and p.is_file()
        ]
        return [dest for p in candidates if self._settled(p) and (dest := self._import(p))]

    def _settled(self, path: Path) -> bool:
        try:
            st = path.stat()
        except OSError:
            self._seen.pop(path, None)
            return False
        key, now = (st.st_size, st.st_mtime_ns), self._clock()
        seen = self._seen.get(path)
        if seen is None or seen[:2] != key:
            self._seen[path] = (*key, now)
            return st.st_size > 0 and self.settle <= 0
        return st.st_size > 0 and now - seen[2] >= self.settle

    def _import(self, path: Path) -> Path | None:
        files = self._delivered.pop(path, None)  # delivered already, only the move failed
        if files is None:
            try:
                messages, files = _load(path, self.encoding, self.tz)
            except GdtError as exc:
                log.warning("GDT file %s rejected: %s", path.name, exc)
                return self._move(path, "rejected", [], error=str(exc))
            except OSError as exc:  # locked by the writer, or gone: try again next poll
                log.info("GDT file %s not readable yet: %s", path.name, exc)
                return None
            for message in messages:
                self.on_message(message)
        dest = self._move(path, "imported", files)
        if dest is None:
            self._delivered[path] = files
        return dest

    def _move(self, path: Path, where: str, files: list[Path], error: str = "") -> Path | None:
        target = self.folder / where
        try:
            target.mkdir(exist_ok=True)
            dest = _free_name(target, path.name)
            os.replace(path, dest)
            for extra in files:
                if extra.exists():
                    os.replace(extra, _free_name(target, extra.name))
            if error:
                dest.with_name(dest.name + ".error.txt").write_text(error + "\n", encoding="utf-8")
        except OSError as exc:
            log.error("GDT file %s could not move to %s/: %s", path.name, where, exc)
            return None
        self._seen.pop(path, None)
        return dest


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem-N.suffix`` when that is taken."""
    candidate, n = folder / name, 1
    while candidate.exists():
        stem, dot, suffix = name.rpartition(".")
        candidate = folder / (f"{stem}-{n}{dot}{suffix}" if dot else f"{name}-{n}")
        n += 1
    return candidate


def watch_result_folder(
    folder: Path,
    on_message: Callable[[DeviceMessage], None],
    stop: threading.Event,
    *,
    poll_interval: float = 1.0,
    settle: float = 1.0,
    encoding: str | None = None,
    tz: tzinfo | None = None,
) -> None:
    """Poll ``folder`` until ``stop`` is set (run it in a thread of its own)."""
    watcher = ResultFolderWatcher(folder, on_message, settle=settle, encoding=encoding, tz=tz)
    while not stop.is_set():
        watcher.poll()
        stop.wait(poll_interval)
