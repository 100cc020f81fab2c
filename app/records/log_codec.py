"""How a change-log payload is stored: deflated against a preset dictionary.

A payload is canonical JSON (``journal.canonical_json``), and its text is what the
entry's hash seals, what is sent to a peer and what is folded. Stored as text it made
the log twice the size of the data it describes, column names repeated in every entry
(docs/benchmarks.md). It is stored instead as one version byte and the payload's raw
deflate stream against that version's preset dictionary (``log_dictionary``), about a
quarter of the text; reading gives back the very same text, so seals, sync and folds see
no difference. A payload stored as text by an older version of the program stays as it
is and is read as it is: no migration rewrites the log (docs/decisions/0025).
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from app.core.errors import IntegrityFailure
from app.records.log_dictionary import DICTIONARY_V1

_V1 = 1
_DICTIONARIES = {_V1: DICTIONARY_V1}
VERSIONS = tuple(_DICTIONARIES)  # the encodings this program reads (told to peers)
_WBITS = -15  # a raw deflate stream, a 32 KiB window: the whole dictionary in reach
_LEVEL = 6
# A compressor with the dictionary loaded, copied for each payload: loading the
# dictionary again each time costs four times as much as the copy.
_PRIMED = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, 8, zlib.Z_DEFAULT_STRATEGY,
                           DICTIONARY_V1)


def pack(text: str) -> bytes:
    """A payload's text as stored: the version byte, then the deflated text."""
    compressor = _PRIMED.copy()
    return bytes((_V1,)) + compressor.compress(text.encode("utf-8")) + compressor.flush()


def unpack(stored: str | bytes) -> str:
    """A payload's text from what is stored (text stored by an older version as is);
    ``IntegrityFailure`` when the bytes cannot be read back."""
    if isinstance(stored, str):
        return stored
    dictionary = _DICTIONARIES.get(stored[0]) if stored else None
    if dictionary is None:
        raise IntegrityFailure(detail="a change-log payload of an unknown encoding "
                                      f"({stored[:1].hex() or 'empty'})")
    try:
        reader = zlib.decompressobj(_WBITS, dictionary)
        data = reader.decompress(stored[1:]) + reader.flush()
        if not reader.eof:
            raise zlib.error("the stream ends early")
        if reader.unused_data:
            raise zlib.error("bytes after the end of the stream")
        return data.decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as error:
        raise IntegrityFailure(detail=f"a change-log payload cannot be read ({error})") from None


class PackedText(TypeDecorator[str]):
    """A TEXT column holding ``pack``-ed text (declared TEXT: the schema is unchanged)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:  # noqa: ARG002
        return pack(value) if isinstance(value, str) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:  # noqa: ARG002
        return unpack(value) if isinstance(value, bytes | str) else value
