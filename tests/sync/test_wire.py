"""Sync framing: length-prefixed CBOR maps, read strictly."""

from __future__ import annotations

import asyncio
import struct
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync import wire
from app.sync.wire import ConnectionClosed, ProtocolError


def read(data: bytes, count: int = 1) -> list[dict[str, Any]]:
    """Read ``count`` frames from a stream holding ``data``, then its end."""

    async def main() -> list[dict[str, Any]]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return [await wire.read_frame(reader) for _ in range(count)]

    return asyncio.run(asyncio.wait_for(main(), 10))


def test_frames_round_trip() -> None:
    messages = [
        {"type": "hello", "vector": {"a": 1, "b": 2**40}, "none": None, "ok": True},
        {"type": "entries", "rows": [[1, "città", b"\x00\xff", 1.5]], 7: "int key"},
        {"type": "big", "blob": bytes(range(256)) * 4096},  # 1 MiB
    ]
    assert read(b"".join(wire.encode(m) for m in messages), len(messages)) == messages


def _frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def test_the_header_is_a_big_endian_length() -> None:
    frame = wire.encode({"type": "x"})
    assert frame[:4] == struct.pack(">I", len(frame) - 4)
    assert cbor2.loads(frame[4:]) == {"type": "x"}


def test_a_frame_over_the_limit_is_refused_before_it_isread() -> None:
    with pytest.raises(ProtocolError, match="67108865 bytes is over the limit of 67108864"):
        read(struct.pack(">I", wire.MAX_FRAME + 1))  # no body follows: never awaited
    with pytest.raises(ValueError, match="type"):
        wire.encode({"no": "type"})


LOOP: list[object] = []
LOOP.append(LOOP)


@pytest.mark.parametrize(
    "data",
    [
        _frame(b"\xff\xfe\xfd"),  # not CBOR
        _frame(cbor2.dumps([1, 2])),  # not a map
        _frame(cbor2.dumps({"kind": "hello"})),  # no type
        _frame(cbor2.dumps({"type": 5})),  # type not text
        _frame(cbor2.dumps({"type": "x"}) + b"\x00"),  # bytes after the message
        _frame(cbor2.dumps({"type": "x", "when": cbor2.CBORTag(1, 0)})),  # a date tag
        _frame(cbor2.dumps({"type": "x", "set": cbor2.CBORTag(258, [1])})),  # a set
        _frame(cbor2.dumps({"type": "x", "k": {(1, 2): 3}})),  # a key that is a list
        _frame(cbor2.dumps({"type": "x", "loop": LOOP}, value_sharing=True)),  # a cycle
        _frame(b"\x9a" + struct.pack(">I", 2**31)),  # a list claiming 2**31 items
        _frame(b"\x81" * 100_000 + b"\x00"),  # nested 100,000 deep
        _frame(cbor2.dumps({"type": "x"}))[:-1],  # cut in the body
        b"\x00\x00",  # cut in the header
    ],
)
def test_garbage_and_truncated_frames_are_protocol_errors(data: bytes) -> None:
    with pytest.raises(ProtocolError) as caught:
        read(data)
    assert "cannot read" in str(caught.value) or "middle" in str(caught.value)


def test_a_clean_end_before_a_frame_is_connection_closed() -> None:
    with pytest.raises(ConnectionClosed):
        read(b"")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_any_bytes_gives_a_map_or_a_protocol_error(body: bytes) -> None:
    try:
        assert isinstance(wire.decode(body)["type"], str)
    except ProtocolError:
        pass


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary()
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(), PLAIN, max_size=5), st.text(min_size=1))
def test_plain_messages_round_trip(body: dict[str, Any], kind: str) -> None:
    message = {**body, "type": kind}
    assert wire.decode(wire.encode(message)[4:]) == message
