"""E1394 / CLSI LIS2-A2 records: delimiters, escapes, fields, repeats and components.

A record is one line of text ended by CR: its type letter, then fields separated by the
field delimiter; a field holds repeats, a repeat holds components. The H (header) record
declares the four delimiters in its first characters (``H|\\^&``: field, repeat,
component, escape) and they hold until the message ends. Delimiters inside values travel
as escape sequences (``&F& &R& &S& &E&`` and ``&Xhh..&`` for other bytes). Text is
Latin-1. Decoding is lossless (``encode_record(decode_record(x)) == x`` for canonical
input); ``Record.get`` trims surrounding spaces, as instruments pad fixed-width fields.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.devices.astm.errors import AstmRecordError

Repeat = tuple[str, ...]  # the components of one repeat
Field = tuple[Repeat, ...]  # the repeats of one field
FieldValue = str | Sequence[str] | list[Repeat]

RECORD_TYPES = frozenset("HPOCRQLMS")  # header .. terminator, manufacturer, scientific
EMPTY_FIELD: Field = (("",),)


@dataclass(frozen=True)
class Delimiters:
    """The four delimiters a header declares (LIS2-A2 defaults: ``| \\ ^ &``)."""

    field: str = "|"
    repeat: str = "\\"
    component: str = "^"
    escape: str = "&"

    def __post_init__(self) -> None:
        chars = (self.field, self.repeat, self.component, self.escape)
        if any(len(char) != 1 for char in chars) or len(set(chars)) != 4:
            raise AstmRecordError(f"delimiters must be four different characters: {chars!r}")
        for char in chars:
            if (
                char.isalnum()
                or char.isspace()
                or not 0x21 <= ord(char) <= 0xFF
                or ord(char) == 0x7F
            ):
                raise AstmRecordError(f"character {char!r} cannot be a delimiter")

    @classmethod
    def from_header(cls, text: str) -> Delimiters:
        """The delimiters an H record declares (``text`` is the whole record)."""
        if len(text) < 5 or text[0] != "H":
            raise AstmRecordError("header record too short to declare its delimiters")
        field = text[1]
        declared = text[2:].split(field, 1)[0]
        if len(declared) != 3:
            raise AstmRecordError(f"header declares {len(declared) + 1} delimiters, not 4")
        return cls(field, declared[0], declared[1], declared[2])

    def header_prefix(self) -> str:
        """``H`` followed by the four delimiters, as an H record starts."""
        return f"H{self.field}{self.repeat}{self.component}{self.escape}"


DEFAULT_DELIMITERS = Delimiters()


@dataclass(frozen=True)
class Record:
    """One record: its type letter and its fields from field 2 on (field 1 is the type).

    For an H record field 2 is the delimiter declaration, kept as one literal component.
    """

    kind: str
    fields: tuple[Field, ...] = ()

    def field(self, number: int) -> Field:
        """Field ``number`` (numbered as in LIS2-A2, 2 = the first after the type)."""
        index = number - 2
        if 0 <= index < len(self.fields):
            return self.fields[index]
        return EMPTY_FIELD

    def get(self, number: int, component: int = 1, repeat: int = 1) -> str:
        """One component of one repeat of a field, spaces trimmed; "" when absent."""
        repeats = self.field(number)
        if not 1 <= repeat <= len(repeats):
            return ""
        components = repeats[repeat - 1]
        if not 1 <= component <= len(components):
            return ""
        return components[component - 1].strip()

    def components(self, number: int, repeat: int = 1) -> tuple[str, ...]:
        """All components of one repeat of a field, spaces trimmed."""
        repeats = self.field(number)
        if not 1 <= repeat <= len(repeats):
            return ()
        return tuple(part.strip() for part in repeats[repeat - 1])

    @classmethod
    def build(cls, kind: str, *values: FieldValue) -> Record:
        """A record from plain values: a str is one component, a tuple/sequence of str
        is the components of one repeat, a list of sequences is several repeats."""
        return cls(kind, tuple(_as_field(value) for value in values))


def _as_field(value: FieldValue) -> Field:
    if isinstance(value, str):
        return ((value,),)
    if isinstance(value, list) and value and not isinstance(value[0], str):
        return tuple(tuple(str(part) for part in repeat) for repeat in value)
    components = tuple(str(part) for part in value)
    return (components or ("",),)


# ---- decoding -------------------------------------------------------------------


def _escape_value(code: str, delimiters: Delimiters) -> str | None:
    simple = {
        "F": delimiters.field,
        "S": delimiters.component,
        "R": delimiters.repeat,
        "E": delimiters.escape,
    }
    if code in simple:
        return simple[code]
    if len(code) > 1 and code[0] == "X" and len(code) % 2 == 1:
        try:
            return binascii.unhexlify(code[1:]).decode("latin-1")
        except (binascii.Error, ValueError):
            return None
    return None  # &Zcccc& and unknown sequences stay as sent


def unescape(value: str, delimiters: Delimiters) -> str:
    """Replace escape sequences; unknown or unterminated ones are kept as sent."""
    escape = delimiters.escape
    if escape not in value:
        return value
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        end = value.find(escape, index + 1) if char == escape else -1
        replacement = _escape_value(value[index + 1 : end], delimiters) if end > 0 else None
        if replacement is None:
            out.append(char)
            index += 1
        else:
            out.append(replacement)
            index = end + 1
    return "".join(out)


def _decode_field(text: str, delimiters: Delimiters) -> Field:
    return tuple(
        tuple(unescape(part, delimiters) for part in repeat.split(delimiters.component))
        for repeat in text.split(delimiters.repeat)
    )


def decode_record(data: bytes | str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> Record:
    """One record (without its CR). An H record uses the delimiters it declares."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    text = text.strip("\r\n")
    if not text:
        raise AstmRecordError("empty record")
    if text[0] == "H":
        delimiters = Delimiters.from_header(text)
    parts = text.split(delimiters.field)
    kind = parts[0].strip()
    if len(kind) != 1 or not ("A" <= kind <= "Z"):
        raise AstmRecordError(f"not a record type: {kind[:10]!r}")
    if kind == "H":
        if len(parts) < 2:  # e.g. "\tH": an H the header parser never saw
            raise AstmRecordError("H record without its delimiter definition")
        fields = [((parts[1],),)] + [_decode_field(part, delimiters) for part in parts[2:]]
    else:
        fields = [_decode_field(part, delimiters) for part in parts[1:]]
    return Record(kind, tuple(fields))


def split_records(text: bytes) -> list[bytes]:
    """The records in a run of text: CR-terminated, stray LF and empty lines dropped."""
    return [line.strip(b"\n") for line in text.split(b"\r") if line.strip(b"\n")]


def parse_records(text: bytes) -> tuple[Delimiters, list[Record]]:
    """A whole message's text (H first) as its delimiters and records."""
    lines = split_records(text)
    if not lines or not lines[0].startswith(b"H"):
        raise AstmRecordError("a message must start with an H record")
    delimiters = Delimiters.from_header(lines[0].decode("latin-1"))
    return delimiters, [decode_record(line, delimiters) for line in lines]


# ---- encoding -------------------------------------------------------------------


def escape(value: str, delimiters: Delimiters) -> str:
    """Escape delimiters and control characters so that ``value`` travels unchanged."""
    table = {
        delimiters.escape: "E",
        delimiters.field: "F",
        delimiters.component: "S",
        delimiters.repeat: "R",
    }
    out: list[str] = []
    for char in value:
        code = table.get(char)
        if code is None and (ord(char) < 0x20 or ord(char) == 0x7F):
            code = f"X{ord(char):02X}"
        out.append(char if code is None else f"{delimiters.escape}{code}{delimiters.escape}")
    return "".join(out)


def _encode_field(field: Field, delimiters: Delimiters) -> str:
    return delimiters.repeat.join(
        delimiters.component.join(escape(part, delimiters) for part in repeat) for repeat in field
    )


def encode_record(record: Record, delimiters: Delimiters = DEFAULT_DELIMITERS) -> bytes:
    """One record as Latin-1 bytes, without its CR."""
    if len(record.kind) != 1 or not ("A" <= record.kind <= "Z"):
        raise AstmRecordError(f"not a record type: {record.kind!r}")
    if record.kind == "H":
        parts = [delimiters.header_prefix()]
        parts += [_encode_field(field, delimiters) for field in record.fields[1:]]
    else:
        parts = [record.kind] + [_encode_field(field, delimiters) for field in record.fields]
    text = delimiters.field.join(parts)
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as error:
        raise AstmRecordError(f"{record.kind} record has a character outside Latin-1") from error


def encode_records(
    records: Iterable[Record], delimiters: Delimiters = DEFAULT_DELIMITERS
) -> list[bytes]:
    """Each record as bytes (no CR), ready for ``frames.frame_records``."""
    return [encode_record(record, delimiters) for record in records]


def encode_message(records: Iterable[Record], delimiters: Delimiters = DEFAULT_DELIMITERS) -> bytes:
    """A whole message's text: every record followed by CR."""
    return b"".join(line + b"\r" for line in encode_records(records, delimiters))
