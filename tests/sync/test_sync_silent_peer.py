"""A peer that vanishes without closing the connection (switched off, its cable pulled)
does not leave a session waiting for ever, shown online: the system probes the idle
connection, and a pull unanswered for ``ANSWER_SECONDS`` ends the session."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.sync import session as session_module
from app.sync import transport
from app.sync.session import Exchange
from app.sync.transport import Session
from app.sync.wire import PeerSilent
from tests.sync.test_transport import HELLO, HOST, Net, connect, net, nobody_refused, run

__all__ = ["net"]  # the fixture, shared with the transport tests


async def _silent_server(net: Net, sessions: list[Session]) -> asyncio.Server:
    """A real workstation that completes the hellos, then reads and never answers."""

    async def listen_only(session: Session) -> None:
        sessions.append(session)
        while True:
            await session.receive()

    async def hello_for(_peer: object) -> dict[str, object]:
        return {**HELLO, "streams": ["record"]}

    return await transport.serve(HOST, 0, net.gp.server, hello_for, listen_only,
                                 local=net.gp.me, allowed=nobody_refused)


def test_both_ends_of_a_session_have_the_system_probe_the_connection(net: Net) -> None:
    async def main() -> None:
        sessions: list[Session] = []
        server = await _silent_server(net, sessions)
        port = server.sockets[0].getsockname()[1]
        try:
            async with await connect(net.desk, port) as mine:
                for _ in range(100):
                    if sessions:
                        break
                    await asyncio.sleep(0.05)
                for end in (mine, *sessions):
                    sock = end._writer.get_extra_info("socket")
                    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                    if hasattr(socket, "TCP_KEEPIDLE"):
                        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 10
                        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 3
        finally:
            server.close()
            await server.wait_closed()

    run(main())


def test_a_pull_left_unanswered_ends_the_session_with_a_clear_reason(
        net: Net, pair, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "ANSWER_SECONDS", 0.5)
    replica, _other = pair

    async def main() -> None:
        sessions: list[Session] = []
        server = await _silent_server(net, sessions)
        port = server.sockets[0].getsockname()[1]
        with ThreadPoolExecutor(1) as executor:
            try:
                async with await connect(net.desk, port) as mine:
                    exchange = Exchange(mine, replica, executor, lambda *_: None, ("record",))
                    with pytest.raises(PeerSilent) as raised:
                        await asyncio.wait_for(exchange.run(), 10)
            finally:
                server.close()
                await server.wait_closed()
        assert raised.value.user_message() == (
            "Workstation Studio Dr. Rossi did not answer for 0.5 seconds")
        assert exchange._answers == {}  # nothing left waiting

    run(main())
