"""E1381 link layer: frames, the receiver and sender state machines, timers, contention.

The link is sans-IO, so every test drives it with bytes and a fake ``now``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.devices.astm import AstmFrameError, AstmLink, AstmReceiver, LinkSettings, LinkState, Role
from app.devices.astm.frames import (
    ACK,
    ENQ,
    EOT,
    NAK,
    build_frame,
    checksum,
    frame_records,
    group_retransmissions,
    parse_frame,
    split_transcript,
    with_bad_checksum,
)
from app.devices.astm.link import (
    Delivered,
    DeliveryFailed,
    LinkEvent,
    Note,
    RecordText,
    SessionEnded,
    Transmit,
)
from app.devices.astm.records import split_records
from app.devices.astm.samples import PATIENTS, long_message, sample_message

WHEN = datetime(2024, 3, 15, 10, 30)
ENQ_B, ACK_B, NAK_B, EOT_B = bytes([ENQ]), bytes([ACK]), bytes([NAK]), bytes([EOT])


def sent(events: Sequence[LinkEvent]) -> bytes:
    return b"".join(event.data for event in events if isinstance(event, Transmit))


def texts(events: Sequence[LinkEvent]) -> list[bytes]:
    return [event.text for event in events if isinstance(event, RecordText)]


def of_type(events: Sequence[LinkEvent], kind: type) -> list[LinkEvent]:
    return [event for event in events if isinstance(event, kind)]


def message_frames(message: bytes) -> list[bytes]:
    return frame_records(split_records(message))


def receiving_link(now: float = 0.0) -> AstmLink:
    link = AstmLink(Role.LIS)
    assert sent(link.feed(ENQ_B, now)) == ACK_B
    assert link.state is LinkState.RECEIVING
    return link


# ---- frames -----------------------------------------------------------------------


def test_checksum_is_sum_from_frame_number_through_etx_mod_256() -> None:
    # 0x31+0x48+0x7C+0x5C+0x5E+0x26+0x0D+0x03 = 0x1E5 -> "E5" (worked out by hand)
    frame = build_frame(1, b"H|\\^&\r", final=True)
    assert frame == b"\x021H|\\^&\r\x03E5\r\n"
    assert checksum(b"1H|\\^&\r\x03") == b"E5"
    assert parse_frame(frame).text == b"H|\\^&\r"


def test_frame_numbers_wrap_and_records_split_at_240_characters() -> None:
    record = b"C|1|I|" + b"x" * 600
    frames = frame_records([b"H|\\^&"] * 7 + [record])
    assert [frame[1:2] for frame in frames] == [b"1", b"2", b"3", b"4", b"5", b"6", b"7"] + [
        b"0",
        b"1",
        b"2",
    ]
    tail = [parse_frame(frame) for frame in frames[7:]]
    assert [frame.final for frame in tail] == [False, False, True]
    assert all(len(frame.text) <= 240 for frame in tail)
    assert b"".join(frame.text for frame in tail) == record + b"\r"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x021abc\r\x03XX\r\n", "not two hex digits"),
        (b"\x029abc\r\x0300\r\n", "bad frame number"),
        (b"\x021abc\r\x05\x0300\r\n", "restricted character"),
        (b"\x021abc\r\r\n", "too short|no ETX"),
        (b"\x021abc", "too short|CR LF"),
    ],
)
def test_bad_frames_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(AstmFrameError, match=message):
        parse_frame(raw)


def test_bad_checksum_is_never_accepted_but_lowercase_hex_is() -> None:
    frame = build_frame(3, b"R|1|^^^GLU|118\r", final=True)
    with pytest.raises(AstmFrameError, match="bad checksum"):
        parse_frame(with_bad_checksum(frame))
    lower = frame[:-4] + frame[-4:-2].lower() + b"\r\n"
    assert parse_frame(lower).number == 3


def test_split_transcript_keeps_units_byte_for_byte() -> None:
    one = build_frame(1, b"H|\\^&\r", final=True)
    two = build_frame(2, b"L|1|N\r", final=True)
    data = ENQ_B + one + b"\r\n" + two + EOT_B + ENQ_B + with_bad_checksum(one) + one + EOT_B
    sessions = split_transcript(data)
    assert sessions == [[one, b"\r\n" + two], [with_bad_checksum(one), one]]
    assert group_retransmissions(sessions[1]) == [(with_bad_checksum(one), one)]


# ---- receiver -----------------------------------------------------------------------


def test_happy_path_acks_every_frame_and_delivers_records() -> None:
    link = receiving_link()
    message = sample_message(when=WHEN)
    events: list[LinkEvent] = []
    for frame in message_frames(message):
        step = link.feed(frame, 1.0)
        assert sent(step) == ACK_B
        events += step
    assert texts(events) == [line + b"\r" for line in split_records(message)]
    end = link.feed(EOT_B, 2.0)
    assert end == [SessionEnded("eot", True)]
    assert link.state is LinkState.NEUTRAL


def test_bytes_outside_a_session_are_ignored() -> None:
    link = AstmLink(Role.LIS)
    frame = build_frame(1, b"H|\\^&\r", final=True)
    assert link.feed(frame + ACK_B + NAK_B + EOT_B, 0.0) == []


def test_corrupted_checksum_is_naked_and_the_retransmission_accepted() -> None:
    link = receiving_link()
    frame = build_frame(1, b"H|\\^&\r", final=True)
    bad = link.feed(with_bad_checksum(frame), 0.5)
    assert sent(bad) == NAK_B and texts(bad) == []
    good = link.feed(frame, 0.6)
    assert sent(good) == ACK_B and texts(good) == [b"H|\\^&\r"]


def test_wrong_frame_number_is_naked_and_a_repeat_is_acked_and_ignored() -> None:
    link = receiving_link()
    assert sent(link.feed(build_frame(2, b"H|\\^&\r", final=True), 0.0)) == NAK_B
    first = build_frame(1, b"H|\\^&\r", final=True)
    assert texts(link.feed(first, 0.0)) == [b"H|\\^&\r"]
    again = link.feed(first, 0.0)  # our ACK was lost: the sender sent it again
    assert sent(again) == ACK_B and texts(again) == []
    assert sent(link.feed(build_frame(4, b"L|1\r", final=True), 0.0)) == NAK_B
    assert texts(link.feed(build_frame(2, b"L|1\r", final=True), 0.0)) == [b"L|1\r"]


def test_a_frame_without_terminator_or_with_restricted_bytes_is_naked() -> None:
    link = receiving_link()
    assert sent(link.feed(b"\x021H|\\^&\r\n", 0.0)) == NAK_B
    assert sent(link.feed(b"\x021H|\x01^&\r\x03" + b"00\r\n", 0.0)) == NAK_B
    assert link.state is LinkState.RECEIVING


def test_overlong_frame_is_naked() -> None:
    link = AstmLink(Role.LIS, LinkSettings(max_frame_bytes=300))
    link.feed(ENQ_B, 0.0)
    assert sent(link.feed(b"\x021" + b"x" * 400, 0.0)) == NAK_B


def test_frame_numbers_wrap_past_seven_with_etb_split_records() -> None:
    link = receiving_link()
    message = long_message(when=WHEN)
    frames = message_frames(message)
    assert len(frames) > 16
    assert any(parse_frame(frame).final is False for frame in frames)
    events: list[LinkEvent] = []
    for frame in frames:
        step = link.feed(frame, 0.0)
        assert sent(step) == ACK_B, step
        events += step
    assert b"".join(texts(events)) == message


def test_etb_frames_form_one_record() -> None:
    link = receiving_link()
    frames = frame_records([b"C|1|I|" + b"y" * 500])
    events = [event for frame in frames for event in link.feed(frame, 0.0)]
    assert len(frames) == 3
    assert texts(events) == [b"C|1|I|" + b"y" * 500 + b"\r"]
    raw = [event.raw for event in events if isinstance(event, RecordText)]
    assert raw == [b"".join(frames)]


def test_eot_mid_message_discards_the_partial_and_keeps_earlier_messages() -> None:
    receiver = AstmReceiver()
    first = message_frames(sample_message(PATIENTS[0], when=WHEN))
    second = message_frames(sample_message(PATIENTS[2], when=WHEN))
    stream = ENQ_B + b"".join(first) + EOT_B + ENQ_B + b"".join(second[:4]) + EOT_B
    out = receiver.feed(stream, 0.0)
    assert [message.patient.family_name for message in out.messages] == ["Rossi"]
    assert any("cut short (eot)" in line for line in out.log)
    # an ETB chain cut by EOT is dropped too
    link = receiving_link()
    link.feed(frame_records([b"C|1|I|" + b"y" * 500])[0], 0.0)
    assert link.feed(EOT_B, 0.0)[-1] == SessionEnded("eot", False)


def test_new_enq_while_receiving_restarts_the_session() -> None:
    receiver = AstmReceiver()
    frames = message_frames(sample_message(when=WHEN))
    out = receiver.feed(ENQ_B + b"".join(frames[:3]) + ENQ_B + b"".join(frames) + EOT_B, 0.0)
    assert len(out.messages) == 1
    assert any("restarted" in line for line in out.log)


def test_receiver_timer_gives_up_after_30_seconds_without_a_frame() -> None:
    receiver = AstmReceiver()
    frames = message_frames(sample_message(when=WHEN))
    receiver.feed(ENQ_B, 0.0)
    receiver.feed(b"".join(frames[:3]), 10.0)
    assert receiver.next_deadline() == 40.0
    assert receiver.tick(39.9).log == ()
    out = receiver.tick(40.0)
    assert any("timer" in line for line in out.log)
    assert receiver.link.state is LinkState.NEUTRAL
    # the rest of the message arriving late is not acknowledged and makes no message
    late = receiver.feed(b"".join(frames[3:]) + EOT_B, 41.0)
    assert late.reply == b"" and late.messages == ()


def test_receiver_timer_is_configurable() -> None:
    link = AstmLink(Role.LIS, LinkSettings(receive_timeout=0.5))
    link.feed(ENQ_B, 100.0)
    assert link.tick(100.4) == []
    assert of_type(link.tick(100.5), SessionEnded) == [SessionEnded("timeout", True)]


def test_busy_receiver_naks_enq() -> None:
    link = AstmLink(Role.LIS)
    link.busy = True
    assert sent(link.feed(ENQ_B, 0.0)) == NAK_B
    assert link.state is LinkState.NEUTRAL


def test_line_lost_discards_the_message_in_hand() -> None:
    receiver = AstmReceiver()
    frames = message_frames(sample_message(when=WHEN))
    receiver.feed(ENQ_B + b"".join(frames[:-1]), 0.0)
    out = receiver.line_lost(1.0)
    assert any("line lost" in line for line in out.log)
    again = receiver.feed(ENQ_B + b"".join(frames) + EOT_B, 2.0)
    assert len(again.messages) == 1


# ---- sender -------------------------------------------------------------------------


def test_sender_happy_path() -> None:
    link = AstmLink(Role.INSTRUMENT)
    frames = message_frames(sample_message(when=WHEN))
    assert sent(link.send(frames, 0.0, tag="m1")) == ENQ_B
    out = link.feed(ACK_B, 0.1)
    assert sent(out) == frames[0]
    for frame in frames[1:]:
        assert sent(link.feed(ACK_B, 0.2)) == frame
    last = link.feed(ACK_B, 0.3)
    assert sent(last) == EOT_B
    assert of_type(last, Delivered) == [Delivered("m1")]
    assert link.outstanding == 0 and link.state is LinkState.NEUTRAL


def test_sender_retransmits_on_nak_and_gives_up_after_six() -> None:
    link = AstmLink(Role.INSTRUMENT)
    frames = message_frames(sample_message(when=WHEN))
    link.send(frames, 0.0, tag=7)
    link.feed(ACK_B, 0.0)
    for attempt in range(1, 7):
        out = link.feed(NAK_B, float(attempt))
        assert out == [Transmit(frames[0], "frame", 0, attempt)]
    final = link.feed(NAK_B, 7.0)
    assert sent(final) == EOT_B
    assert of_type(final, DeliveryFailed) == [DeliveryFailed(7, "frame NAKed 7 times")]
    assert link.state is LinkState.NEUTRAL


def test_sender_uses_frame_variants_on_retransmission() -> None:
    link = AstmLink(Role.INSTRUMENT)
    good = build_frame(1, b"H|\\^&\r", final=True)
    link.send([(with_bad_checksum(good), good)], 0.0)
    assert sent(link.feed(ACK_B, 0.0)) == with_bad_checksum(good)
    assert sent(link.feed(NAK_B, 0.0)) == good
    assert sent(link.feed(NAK_B, 0.0)) == good


def test_sender_timer_15_seconds_for_a_frame() -> None:
    link = AstmLink(Role.INSTRUMENT)
    link.send(message_frames(sample_message(when=WHEN)), 0.0, tag="x")
    link.feed(ACK_B, 1.0)
    assert link.next_deadline() == 16.0
    assert link.tick(15.9) == []
    out = link.tick(16.0)
    assert sent(out) == EOT_B
    assert of_type(out, DeliveryFailed) == [DeliveryFailed("x", "no answer to a frame")]


def test_sender_retries_enq_after_busy_and_silence_then_gives_up() -> None:
    link = AstmLink(Role.INSTRUMENT, LinkSettings(max_establish_attempts=3))
    link.send([build_frame(1, b"H|\\^&\r", final=True)], 0.0, tag="q")
    assert link.feed(NAK_B, 1.0)[-1] == Note("peer busy (NAK to ENQ): retrying in 10 s")
    assert link.tick(10.9) == []
    assert sent(link.tick(11.0)) == ENQ_B  # 10 s after the NAK
    assert sent(link.tick(26.0)) == EOT_B  # 15 s without an answer: EOT, wait 10 s
    out = link.tick(36.0)
    assert sent(out) == ENQ_B
    last = link.feed(NAK_B, 37.0)
    assert of_type(last, DeliveryFailed) == [DeliveryFailed("q", "peer busy (NAK to ENQ)")]
    assert link.outstanding == 0


def test_receiver_interrupt_eot_is_taken_as_ack() -> None:
    link = AstmLink(Role.INSTRUMENT)
    frames = message_frames(sample_message(when=WHEN))
    link.send(frames, 0.0)
    link.feed(ACK_B, 0.0)
    assert sent(link.feed(EOT_B, 0.0)) == frames[1]


def test_messages_queue_one_session_each() -> None:
    link = AstmLink(Role.INSTRUMENT)
    one = build_frame(1, b"H|\\^&\r", final=True)
    link.send([one], 0.0, tag=1)
    assert link.send([one], 0.0, tag=2) == []  # queued behind the first
    link.feed(ACK_B, 0.0)
    out = link.feed(ACK_B, 0.0)
    assert sent(out) == EOT_B + ENQ_B
    assert link.outstanding == 1


# ---- contention ---------------------------------------------------------------------


def test_contention_lis_yields_and_waits_20_seconds() -> None:
    lis = AstmLink(Role.LIS)
    assert sent(lis.send([build_frame(1, b"Q|1\r", final=True)], 0.0, tag="query")) == ENQ_B
    out = lis.feed(ENQ_B, 0.1)  # the instrument's ENQ crossed ours
    assert sent(out) == b""  # no answer to that ENQ: the instrument retries in 1 s
    assert lis.state is LinkState.NEUTRAL
    assert sent(lis.feed(ENQ_B, 1.2)) == ACK_B  # the instrument's next ENQ is accepted
    lis.feed(build_frame(1, b"H|\\^&\r", final=True) + EOT_B, 2.0)
    assert lis.tick(20.0) == []  # still within 20 s of the contention
    assert sent(lis.tick(20.1)) == ENQ_B


def test_contention_instrument_waits_one_second() -> None:
    instrument = AstmLink(Role.INSTRUMENT)
    instrument.send([build_frame(1, b"H|\\^&\r", final=True)], 0.0)
    assert sent(instrument.feed(ENQ_B, 0.0)) == b""
    assert instrument.tick(0.9) == []
    assert sent(instrument.tick(1.0)) == ENQ_B


def exchange(
    a: AstmLink, b: AstmLink, pending_a: list[LinkEvent], pending_b: list[LinkEvent]
) -> tuple[list[LinkEvent], list[LinkEvent]]:
    """Shuttle bytes between two links on a fake clock until both are idle."""
    log_a: list[LinkEvent] = list(pending_a)
    log_b: list[LinkEvent] = list(pending_b)
    to_b, to_a = sent(pending_a), sent(pending_b)
    now = 0.0
    for _ in range(10_000):
        now += 0.05
        events_b = b.feed(to_b, now) + b.tick(now)
        events_a = a.feed(to_a, now) + a.tick(now)
        log_a += events_a
        log_b += events_b
        to_a, to_b = sent(events_b), sent(events_a)
        idle = a.state is b.state is LinkState.NEUTRAL and not (a.outstanding or b.outstanding)
        if idle and not (to_a or to_b):
            break
    return log_a, log_b


def test_contention_between_two_links_instrument_first_then_lis() -> None:
    lis, instrument = AstmLink(Role.LIS), AstmLink(Role.INSTRUMENT)
    to_instrument = [build_frame(1, b"H|\\^", final=False), build_frame(2, b"&\r", final=True)]
    from_instrument = message_frames(sample_message(when=WHEN))
    log_lis, log_instrument = exchange(
        lis,
        instrument,
        lis.send(to_instrument, 0.0, tag="lis"),
        instrument.send(from_instrument, 0.0, tag="instrument"),
    )
    assert of_type(log_instrument, Delivered) == [Delivered("instrument")]
    assert of_type(log_lis, Delivered) == [Delivered("lis")]
    assert b"".join(texts(log_lis)) == sample_message(when=WHEN)
    assert texts(log_instrument) == [b"H|\\^&\r"]
    # the instrument's message went first
    first_text = next(i for i, event in enumerate(log_lis) if isinstance(event, RecordText))
    delivered = next(i for i, event in enumerate(log_lis) if isinstance(event, Delivered))
    assert first_text < delivered


# ---- properties ---------------------------------------------------------------------


def transcript() -> bytes:
    """Three sessions: a good message, a NAKed frame and its retransmission, a cut one."""
    one = message_frames(sample_message(PATIENTS[1], when=WHEN))
    two = message_frames(long_message(PATIENTS[2], when=WHEN))
    three = message_frames(sample_message(PATIENTS[3], when=WHEN))
    two_sent = two[:3] + [with_bad_checksum(two[3])] + two[3:]
    return (
        ENQ_B
        + b"".join(one)
        + EOT_B
        + b"\x00junk"
        + ENQ_B
        + b"".join(two_sent)
        + EOT_B
        + ENQ_B
        + b"".join(three[:5])
        + EOT_B
    )


TRANSCRIPT = transcript()
SAMPLE_FRAMES = message_frames(sample_message(when=WHEN))


def run_chunks(data: bytes, cuts: list[int]) -> tuple[bytes, list[str]]:
    receiver = AstmReceiver()
    reply = b""
    names: list[str] = []
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    for start, end in zip(points, points[1:], strict=False):
        out = receiver.feed(data[start:end], 0.0)
        reply += out.reply
        names += [m.patient.family_name + str(len(m.results)) for m in out.messages]
    return reply, names


REFERENCE = run_chunks(TRANSCRIPT, [])


def test_transcript_reference_result() -> None:
    reply, names = REFERENCE
    assert names == ["D'Angelo7", "Lucà24"]
    assert reply.count(NAK_B) == 1


@given(st.lists(st.integers(min_value=0, max_value=len(TRANSCRIPT)), max_size=60))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_chunking_gives_the_same_messages_and_replies(cuts: list[int]) -> None:
    assert run_chunks(TRANSCRIPT, cuts) == REFERENCE


def receiver_survives(data: bytes) -> None:
    receiver = AstmReceiver(LinkSettings(receive_timeout=1.0))
    receiver.feed(data, 0.0)
    receiver.feed(ENQ_B + data + EOT_B, 0.5)
    receiver.tick(5.0)


FRAME_MARK = "\u0100"
_LINE_BYTES = [chr(code) for code in range(256)]
_LINE_BYTES += [chr(c) for c in (ENQ, ACK, NAK, EOT, 0x02, 0x03, 0x17, 0x0D, 0x0A)] * 8
_LINE_BYTES += [FRAME_MARK] * 12


def _with_frames(text: str) -> bytes:
    """Every other piece between marks becomes a frame with a correct checksum."""
    out: list[bytes] = []
    for index, piece in enumerate(text.split(FRAME_MARK)):
        data = piece.encode("latin-1")
        if index % 2:
            number = data[0] % 8 if data else 1
            out.append(build_frame(number, data[1:], final=len(data) % 3 != 0))
        else:
            out.append(data)
    return b"".join(out)


def link_pieces() -> st.SearchStrategy[bytes]:
    """Line noise rich in control bytes and well-checksummed frames (one flat draw)."""
    return st.text(alphabet=st.sampled_from(_LINE_BYTES), max_size=400).map(_with_frames)


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_random_bytes_never_break_the_receiver(data: bytes) -> None:
    receiver_survives(data)


@given(link_pieces())
@settings(max_examples=200, deadline=None)
def test_random_frames_never_break_the_receiver(data: bytes) -> None:
    receiver_survives(data)


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_parse_frame_raises_only_its_own_error(data: bytes) -> None:
    try:
        parse_frame(data)
    except AstmFrameError:
        pass


@given(link_pieces(), st.sampled_from(list(Role)))
@settings(max_examples=200, deadline=None)
def test_random_replies_never_break_a_sender(data: bytes, role: Role) -> None:
    link = AstmLink(role, LinkSettings(reply_timeout=1.0))
    link.send(SAMPLE_FRAMES, 0.0)
    link.feed(data, 0.5)
    link.tick(3.0)
    link.feed(data, 3.5)


@pytest.mark.slow
@given(st.one_of(st.binary(max_size=600), link_pieces()))
@settings(max_examples=10_000, deadline=None)
def test_random_bytes_never_break_the_receiver_slow(data: bytes) -> None:
    receiver_survives(data)


@pytest.mark.slow
@given(st.one_of(st.binary(max_size=300), link_pieces()))
@settings(max_examples=10_000, deadline=None)
def test_parse_frame_raises_only_its_own_error_slow(data: bytes) -> None:
    try:
        parse_frame(data)
    except AstmFrameError:
        pass
