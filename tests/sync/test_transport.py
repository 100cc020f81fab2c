"""Mutually authenticated TLS 1.3 and the hellos, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import struct
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from app.core.errors import MedireteError
from app.sync import pki, transport, wire
from app.sync.pki import PeerIdentity
from app.sync.transport import IncompatiblePeer, PeerRefused, PeerUnreachable, Session
from app.sync.wire import ConnectionClosed, ProtocolError

T = TypeVar("T")
CENTER = "c-7f3a"
HOST = "127.0.0.1"
HELLO = {"schema": "0010", "vector": {"origin-a": 12, "origin-b": 3}}


@dataclass(frozen=True)
class Station:
    me: PeerIdentity
    server: ssl.SSLContext
    client: ssl.SSLContext


@dataclass(frozen=True)
class Net:
    ca_pem: bytes
    gp: Station  # "Studio Dr. Rossi", full
    desk: Station  # "Reception", front-desk
    stranger: Station  # another center's CA, trusting only it
    impostor: Station  # another CA's certificate claiming our center, trusting ours
    elsewhere: Station  # our CA, but issued for another center id


def _station(ca: pki.CenterAuthority, trust: bytes, center: str, name: str, role: str) -> Station:
    issued = pki.issue_workstation(ca, center, name, role)
    server, client = transport.tls_contexts(trust, issued.cert_pem, issued.key_pem)
    return Station(pki.identity(issued.cert_pem), server, client)


@pytest.fixture(scope="module")
def net() -> Net:
    ours = pki.create_ca(CENTER, "Centro Medico San Marco")
    theirs = pki.create_ca("c-other", "Altro Centro")
    return Net(
        ca_pem=ours.cert_pem,
        gp=_station(ours, ours.cert_pem, CENTER, "Studio Dr. Rossi", "full"),
        desk=_station(ours, ours.cert_pem, CENTER, "Reception", "front-desk"),
        stranger=_station(theirs, theirs.cert_pem, "c-other", "Stranger", "full"),
        impostor=_station(theirs, ours.cert_pem, CENTER, "Impostor", "full"),
        elsewhere=_station(ours, ours.cert_pem, "c-else", "Elsewhere", "full"),
    )


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one test's coroutine, bounded in time."""
    return asyncio.run(asyncio.wait_for(coro, 15))


def nobody_refused(peer: PeerIdentity) -> str | None:
    return None


@dataclass
class Served:
    port: int
    refused: asyncio.Queue[MedireteError]
    sessions: list[Session] = field(default_factory=list)

    async def refusal(self) -> MedireteError:
        return await asyncio.wait_for(self.refused.get(), 5)


@contextlib.asynccontextmanager
async def serving(
    station: Station, allowed: Callable[[PeerIdentity], str | None] = nobody_refused
) -> AsyncIterator[Served]:
    """A real server that echoes every message until the client says "bye"."""
    refused: asyncio.Queue[MedireteError] = asyncio.Queue()
    served = Served(0, refused)

    async def echo(session: Session) -> None:
        served.sessions.append(session)
        while (message := await session.receive())["type"] != "bye":
            await session.send({"type": "echo", "body": message})

    async def hello_for(peer: PeerIdentity) -> dict[str, Any]:
        return {**HELLO, "for": peer.workstation}

    server = await transport.serve(
        HOST, 0, station.server, hello_for, echo,
        local=station.me, allowed=allowed, on_refused=refused.put_nowait,
    )
    served.port = server.sockets[0].getsockname()[1]
    try:
        yield served
    finally:
        server.close()
        await server.wait_closed()


async def connect(station: Station, port: int, **kwargs: Any) -> Session:
    kwargs.setdefault("allowed", nobody_refused)
    return await transport.connect(HOST, port, station.client, station.me, HELLO, **kwargs)


async def shut(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


def test_contexts_require_tls13_and_a_certificate_and_leave_no_key_file(
    net: Net, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    issued = pki.issue_workstation(pki.create_ca("c", "C"), "c", "W", "full")
    server, client = transport.tls_contexts(issued.cert_pem, issued.cert_pem, issued.key_pem)
    assert list(tmp_path.iterdir()) == []
    for context in (server, client):
        assert context.minimum_version == ssl.TLSVersion.TLSv1_3
        assert context.verify_mode == ssl.CERT_REQUIRED
    assert not client.check_hostname


def test_two_workstations_talk_over_mutual_tls13(net: Net) -> None:
    async def main() -> None:
        async with serving(net.gp) as served:
            async with await connect(net.desk, served.port) as session:
                assert session.peer == net.gp.me
                assert session.tls_version == "TLSv1.3"
                assert session.peer_hello["for"] == "Reception"
                assert session.peer_hello["vector"] == HELLO["vector"]
                assert session.peer_hello["protocol"] == transport.PROTOCOL_VERSION
                blob = bytes(range(256)) * 4096  # 1 MiB
                await session.send({"type": "entries", "blob": blob})
                answer = await session.receive()
                assert answer == {"type": "echo", "body": {"type": "entries", "blob": blob}}
                (theirs,) = served.sessions
                assert theirs.peer == net.desk.me and theirs.peer.role == "front-desk"
                assert theirs.tls_version == "TLSv1.3"
                assert theirs.peer_hello["schema"] == "0010"
                await session.send({"type": "bye"})
                # The server closes once its session ends.
                with pytest.raises(ConnectionClosed):
                    await session.receive()
            assert served.refused.empty()

    run(main())


async def _refused_both_ways(
    server: Station, client: Station, server_allows: Any = nobody_refused, **kwargs: Any
) -> tuple[PeerRefused, MedireteError]:
    async with serving(server, server_allows) as served:
        with pytest.raises(PeerRefused) as caught:
            await connect(client, served.port, **kwargs)
        theirs = await served.refusal()
        assert served.sessions == []
        return caught.value, theirs


def test_a_certificate_of_another_centers_ca_is_refused(net: Net) -> None:
    # A client holding another CA's certificate, though it trusts ours.
    ours, theirs = run(_refused_both_ways(net.gp, net.impostor))
    assert "did not accept this workstation's certificate" in str(ours)
    assert isinstance(theirs, PeerRefused)
    assert "does not hold a certificate of this center" in str(theirs)
    # Another center's workstation entirely: it refuses our server's certificate.
    ours, theirs = run(_refused_both_ways(net.gp, net.stranger))
    assert "does not hold a certificate of this center (CERTIFICATE_VERIFY_FAILED)" in str(ours)
    assert isinstance(theirs, PeerRefused) and "broke off" in str(theirs)
    # Our client meeting a server of another center.
    ours, theirs = run(_refused_both_ways(net.stranger, net.desk))
    assert "does not hold a certificate of this center" in str(ours)
    assert isinstance(theirs, PeerRefused)


def test_a_client_without_a_certificate_is_refused(net: Net) -> None:
    bare = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    bare.check_hostname = False
    bare.load_verify_locations(cadata=net.ca_pem.decode())
    anonymous = Station(net.desk.me, net.desk.server, bare)
    ours, theirs = run(_refused_both_ways(net.gp, anonymous))
    assert "did not accept this workstation's certificate" in str(ours)
    assert isinstance(theirs, PeerRefused)
    assert "PEER_DID_NOT_RETURN_A_CERTIFICATE" in str(theirs)


def test_a_tls12_client_is_refused(net: Net) -> None:
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname = False
    old.maximum_version = ssl.TLSVersion.TLSv1_2
    ours, theirs = run(_refused_both_ways(net.gp, Station(net.desk.me, net.desk.server, old)))
    assert isinstance(theirs, PeerRefused) and "UNSUPPORTED_PROTOCOL" in str(theirs)


def test_a_workstation_of_another_center_id_is_refused(net: Net) -> None:
    ours, theirs = run(_refused_both_ways(net.gp, net.elsewhere))
    # Each side finds the other foreign and says so (the first refusal wins the race).
    assert str(ours) == (
        "Workstation Studio Dr. Rossi belongs to another center (c-7f3a; this one is c-else)"
    )
    assert str(theirs) == (
        "Workstation Elsewhere belongs to another center (c-else; this one is c-7f3a)"
    )


def test_a_revoked_client_is_refused_with_the_reason_on_both_sides(net: Net) -> None:
    asked: list[PeerIdentity] = []

    def allowed(peer: PeerIdentity) -> str | None:
        asked.append(peer)
        return "revoked" if peer.workstation == "Reception" else None

    ours, theirs = run(_refused_both_ways(net.gp, net.desk, allowed))
    assert asked == [net.desk.me]
    assert str(ours) == "Workstation Studio Dr. Rossi refused this workstation: revoked"
    assert str(theirs) == "Workstation Reception was refused: revoked"


def test_a_client_refusing_a_revoked_server_tells_it_why(net: Net) -> None:
    ours, theirs = run(_refused_both_ways(net.gp, net.desk, allowed=lambda peer: "revoked"))
    assert str(ours) == "Workstation Studio Dr. Rossi was refused: revoked"
    assert str(theirs) == "Workstation Reception refused this workstation: revoked"


MISMATCH = "Workstation {} speaks sync protocol 2; this one speaks 1: update Medirete on both"


async def _hello_from_a_fake_client(
    net: Net, hello: dict[str, Any]
) -> tuple[dict[str, Any], MedireteError]:
    """Send ``hello`` from the desk's certificate by hand: (the answer, the server's error)."""
    async with serving(net.gp) as served:
        reader, writer = await asyncio.open_connection(HOST, served.port, ssl=net.desk.client)
        await wire.write_frame(writer, {"type": "hello", "center": CENTER, **hello})
        answer = await wire.read_frame(reader)
        await shut(writer)
        return answer, await served.refusal()


def test_a_newer_client_is_told_the_versions(net: Net) -> None:
    answer, theirs = run(_hello_from_a_fake_client(net, {"protocol": 2}))
    assert (answer["type"], answer["code"], answer["protocol"]) == ("refused", "protocol", 1)
    assert isinstance(theirs, IncompatiblePeer)
    assert str(theirs) == MISMATCH.format("Reception")


def test_a_hello_must_match_the_certificate(net: Net) -> None:
    hello = {"protocol": 1, "workstation": "Studio Dr. Rossi", "role": "full"}
    answer, theirs = run(_hello_from_a_fake_client(net, hello))
    assert (answer["type"], answer["code"]) == ("refused", "hello")
    assert str(theirs) == "Workstation Reception sent a hello that does not match its certificate"


@contextlib.asynccontextmanager
async def newer_server(
    station: Station, answer: dict[str, Any]
) -> AsyncIterator[tuple[int, asyncio.Queue[dict[str, Any]]]]:
    """A server speaking protocol 2: reads a hello, sends ``answer``, keeps what follows."""
    heard: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            heard.put_nowait(await wire.read_frame(reader))
            await wire.write_frame(writer, answer)
            heard.put_nowait(await wire.read_frame(reader))
        except MedireteError as exc:
            heard.put_nowait({"type": "ended", "error": type(exc).__name__})
        finally:
            await shut(writer)

    server = await asyncio.start_server(handle, HOST, 0, ssl=station.server)
    try:
        yield server.sockets[0].getsockname()[1], heard
    finally:
        server.close()
        await server.wait_closed()


def test_a_newer_server_is_noticed_and_told(net: Net) -> None:
    me = net.gp.me
    newer_hello = {"type": "hello", "protocol": 2, "center": CENTER, "workstation": me.workstation}

    async def main() -> None:
        async with newer_server(net.gp, newer_hello) as (port, heard):
            with pytest.raises(IncompatiblePeer) as caught:
                await connect(net.desk, port)
            assert str(caught.value) == MISMATCH.format("Studio Dr. Rossi")
            assert (await heard.get())["protocol"] == 1  # our hello
            refusal = await asyncio.wait_for(heard.get(), 5)
            assert (refusal["type"], refusal["code"], refusal["protocol"]) == (
                "refused", "protocol", 1,
            )

    run(main())


def test_a_newer_server_refusing_us_names_both_versions(net: Net) -> None:
    refusal = {"type": "refused", "code": "protocol", "reason": "speaks 2", "protocol": 2}

    async def main() -> None:
        async with newer_server(net.gp, refusal) as (port, _heard):
            with pytest.raises(IncompatiblePeer) as caught:
                await connect(net.desk, port)
            assert str(caught.value) == MISMATCH.format("Studio Dr. Rossi")

    run(main())


def test_garbage_after_the_handshake_is_a_protocol_error(net: Net) -> None:
    async def main() -> None:
        async with serving(net.gp) as served:
            _reader, writer = await asyncio.open_connection(HOST, served.port, ssl=net.desk.client)
            writer.write(struct.pack(">I", 2) + b"\xff\xff")
            await writer.drain()
            assert isinstance(await served.refusal(), ProtocolError)
            await shut(writer)

    run(main())


def test_silent_and_absent_peers_are_bounded_in_time(net: Net) -> None:
    async def main() -> None:
        refused: asyncio.Queue[MedireteError] = asyncio.Queue()
        server = await transport.serve(
            HOST, 0, net.gp.server, lambda peer: dict(HELLO), lambda session: asyncio.sleep(0),
            local=net.gp.me, allowed=nobody_refused, on_refused=refused.put_nowait, timeout=0.3,
        )
        port = server.sockets[0].getsockname()[1]
        _reader, writer = await asyncio.open_connection(HOST, port)  # no TLS at all
        error = await asyncio.wait_for(refused.get(), 5)
        assert isinstance(error, PeerUnreachable) and "did not answer" in str(error)
        await shut(writer)
        server.close()
        await server.wait_closed()
        with pytest.raises(PeerUnreachable):
            await connect(net.desk, port)  # nobody listens there any more
        held: list[asyncio.StreamWriter] = []

        async def mute(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            held.append(writer)  # accepts, never answers the TLS hello

        silent = await asyncio.start_server(mute, HOST, 0)
        with pytest.raises(PeerUnreachable, match="did not answer within 0.3 seconds"):
            await connect(net.desk, silent.sockets[0].getsockname()[1], timeout=0.3)
        for writer in held:
            await shut(writer)
        silent.close()
        await silent.wait_closed()

    run(main())
