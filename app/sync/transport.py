"""Mutually authenticated TLS 1.3 between the workstations of one center (ADR 0023).

Both ends present a certificate of the center's CA and trust nothing else; the peer is
named by its certificate's URIs (``pki.identity``), not by its address. Then both send a
hello; a side that refuses the other (another center, a revoked workstation, another
protocol version) says why in a ``refused`` message, so both people see the same reason.
Frozen for every future version, so two versions can at least tell each other they
differ: the framing, a hello's ``type``/``protocol``, and ``{"type": "refused",
"reason": str, "code": str, "protocol": int}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import ssl
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from ssl import SSLContext

from cryptography.hazmat.primitives import serialization

from app.core.errors import MedireteError
from app.sync.pki import NotACenterCertificate, PeerIdentity, identity
from app.sync.wire import (
    ConnectionClosed,
    Message,
    ProtocolError,
    keep_alive,
    read_frame,
    write_frame,
)

PROTOCOL_VERSION = 1
SETUP_TIMEOUT = 10.0  # seconds for the TLS handshake and the hellos together

# What the server's OpenSSL says of a client without a (valid) certificate.
_NO_CERTIFICATE = ("PEER_DID_NOT_RETURN_A_CERTIFICATE", "CERTIFICATE_VERIFY_FAILED")
# OpenSSL's X509_V_ERR_CERT_NOT_YET_VALID and X509_V_ERR_CERT_HAS_EXPIRED.
_CLOCK_CODES = (9, 10)
log = logging.getLogger(__name__)

Allowed = Callable[[PeerIdentity], str | None]
HelloFactory = Callable[[PeerIdentity], Message | Awaitable[Message]]
OnSession = Callable[["Session"], Awaitable[None]]
OnRefused = Callable[[MedireteError], None]


class PeerRefused(MedireteError):
    message = "The connection was refused: {reason}"


class IncompatiblePeer(PeerRefused):
    message = (
        "Workstation {peer} speaks sync protocol {theirs}; this one speaks {ours}: "
        "update Medirete on both"
    )


class PeerUnreachable(MedireteError):
    message = "The workstation at {address} cannot be reached ({detail})"


def tls_contexts(ca_pem: bytes, cert_pem: bytes, key_pem: bytes) -> tuple[SSLContext, SSLContext]:
    """(server, client) contexts: TLS 1.3 only, the center CA as the only trust root."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False  # the peer is named by its certificate's URIs
    # No resumption: every connection proves its certificate again.
    server.num_tickets = 0
    for context in (server, client):
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cadata=ca_pem.decode("ascii"))
        _load_chain(context, cert_pem, key_pem)
    return server, client


def _load_chain(context: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    """Load a key held in memory (``ssl`` reads only files): the file holds it encrypted
    under a one-off random password that stays in memory, in a private folder (0700, file
    0600), and is deleted once OpenSSL has read it: a copy left by a crash is useless."""
    key = serialization.load_pem_private_key(key_pem, None)
    password = secrets.token_bytes(32)
    sealed = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.BestAvailableEncryption(password))
    with tempfile.TemporaryDirectory(prefix="medirete-tls-") as folder:
        path = Path(folder) / "chain.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(cert_pem.rstrip(b"\n") + b"\n" + sealed)
            context.load_cert_chain(path, password=password)
        finally:
            path.unlink(missing_ok=True)


class Session(contextlib.AbstractAsyncContextManager["Session"]):
    """An agreed connection to one peer: its identity, its hello, messages both ways."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 peer: PeerIdentity, peer_hello: Message) -> None:
        self._reader, self._writer = reader, writer
        keep_alive(writer)
        self.peer = peer
        self.peer_hello = peer_hello

    @property
    def tls_version(self) -> str | None:
        """The TLS version negotiated, e.g. ``"TLSv1.3"``."""
        ssl_object = self._writer.get_extra_info("ssl_object")
        return ssl_object.version() if isinstance(ssl_object, ssl.SSLObject) else None

    async def send(self, message: Message) -> None:
        """Send one message."""
        try:
            await write_frame(self._writer, message)
        except OSError as exc:
            raise self._lost(exc) from exc

    async def receive(self) -> Message:
        """The next message; ``ConnectionClosed`` when the peer has ended the session."""
        try:
            return await read_frame(self._reader)
        except OSError as exc:
            raise self._lost(exc) from exc

    async def close(self) -> None:
        """Close the connection (bounded in time even if the peer has vanished)."""
        await _close(self._writer)

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _lost(self, exc: OSError) -> ConnectionClosed:
        return ConnectionClosed("The connection to workstation {peer} was lost ({detail})",
                                peer=self.peer.workstation, detail=_reason(exc))


async def connect(host: str, port: int, client_ctx: ssl.SSLContext, local: PeerIdentity,
                  hello: Message, *, allowed: Allowed, timeout: float = SETUP_TIMEOUT,
                  ) -> Session:
    """Open a session with the workstation at ``host:port``."""
    address = f"{host}:{port}"
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        async with asyncio.timeout(timeout):
            plain, protocol = await loop.create_connection(lambda: _Protocol(reader), host, port)
    except TimeoutError as exc:
        raise _silent(address, timeout) from exc
    except OSError as exc:
        raise PeerUnreachable(address=address, detail=_reason(exc)) from exc
    writer = asyncio.StreamWriter(plain, protocol, reader, loop)
    try:
        async with asyncio.timeout(timeout):
            await _start_tls(writer, client_ctx, address)
            peer = await _check_peer(writer, local, allowed, address)
            try:
                await write_frame(writer, _stamp(hello, local))
                peer_hello = await _read_hello(reader, writer, peer)
            except (OSError, ConnectionClosed) as exc:
                # TLS 1.3: the server checks our certificate after our side of the
                # handshake has ended, so its refusal arrives here.
                raise PeerRefused(
                    "The workstation at {address} did not accept this workstation's "
                    "certificate ({detail})", address=address, detail=_reason(exc),
                ) from exc
    except BaseException as exc:
        if isinstance(exc, TimeoutError):
            writer.transport.abort()  # a silent peer: no goodbye to wait for
            raise _silent(address, timeout) from exc
        await _close(writer)
        raise
    return Session(reader, writer, peer, peer_hello)


async def serve(host: str, port: int, server_ctx: ssl.SSLContext, hello_factory: HelloFactory,
                on_session: OnSession, *, local: PeerIdentity, allowed: Allowed,
                on_refused: OnRefused | None = None, timeout: float = SETUP_TIMEOUT,
                ) -> asyncio.Server:
    """Accept sessions, each handed to ``on_session`` and then closed.

    A connection refused before agreement is logged and passed to ``on_refused``.
    """

    async def accept(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: str
    ) -> Session:
        await _start_tls(writer, server_ctx, address)
        peer = await _check_peer(writer, local, allowed, address)
        peer_hello = await _read_hello(reader, writer, peer)
        made = hello_factory(peer)
        ours = made if isinstance(made, dict) else await made
        await write_frame(writer, _stamp(ours, local))
        return Session(reader, writer, peer, peer_hello)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await serve_one(reader, writer)
        except asyncio.CancelledError:
            # Ended here, not raised: no one awaits this task, and asyncio 3.11 logs a task
            # of a stream server that ends cancelled (asyncio.run cancels what is left at
            # a stop) as an error with a CancelledError traceback.
            writer.transport.abort()

    async def serve_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = _address(writer)
        try:
            async with asyncio.timeout(timeout):
                session = await accept(reader, writer, address)
        except Exception as exc:
            if isinstance(exc, TimeoutError):  # a silent peer: no goodbye to wait for
                writer.transport.abort()
            else:
                await _close(writer)
            if not isinstance(exc, MedireteError | OSError | TimeoutError):
                log.exception("sync connection from %s failed", address)  # a bug
                return
            error = _setup_error(exc, address, timeout)
            log.warning("sync connection from %s refused: %s", address, error)
            if on_refused is not None:
                on_refused(error)
            return
        try:
            await on_session(session)
        except MedireteError as exc:
            log.warning("sync session with %s ended: %s", session.peer.workstation, exc)
        except Exception:
            log.exception("sync session with %s failed", session.peer.workstation)
        finally:
            await session.close()

    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: _Protocol(asyncio.StreamReader(), handle), host, port)


class _Protocol(asyncio.StreamReaderProtocol):
    """A stream upgraded to TLS in place, so that a failed handshake is ours to report."""

    def eof_received(self) -> bool:
        # Never half-open. The stock answer (True before TLS) draws an asyncio warning
        # when a peer's quick close lands between the handshake and the upgrade.
        super().eof_received()
        return False


async def _start_tls(writer: asyncio.StreamWriter, context: ssl.SSLContext, address: str) -> None:
    try:
        await writer.start_tls(context)
    except ssl.SSLError as exc:
        raise _tls_refusal(exc, address) from exc
    except OSError as exc:
        # What a client does on finding our certificate foreign to its own center.
        raise PeerRefused(
            "The computer at {address} broke off the secure handshake ({detail}): "
            "it may belong to another center", address=address, detail=_reason(exc),
        ) from exc


async def _check_peer(
    writer: asyncio.StreamWriter, local: PeerIdentity, allowed: Allowed, address: str
) -> PeerIdentity:
    """The peer's identity from its certificate, refusing it if it may not sync with us."""
    ssl_object = writer.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    try:
        peer = identity(der or b"")
    except NotACenterCertificate as exc:
        await _refuse(writer, "certificate", "not a Medirete workstation certificate")
        raise PeerRefused(
            "The certificate of the computer at {address} is not a Medirete workstation "
            "certificate", address=address,
        ) from exc
    if peer.center_id != local.center_id:
        await _refuse(writer, "center", f"belongs to center {local.center_id}")
        raise PeerRefused(
            "Workstation {peer} belongs to another center ({theirs}; this one is {ours})",
            peer=peer.workstation, theirs=peer.center_id, ours=local.center_id,
        )
    reason = allowed(peer)
    if reason is not None:
        await _refuse(writer, "denied", reason)
        raise PeerRefused(
            "Workstation {peer} was refused: {reason}", peer=peer.workstation, reason=reason
        )
    return peer


async def _read_hello(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: PeerIdentity
) -> Message:
    """The peer's hello, or the reason it refused us; the protocol version checked first."""
    message = await read_frame(reader)
    if message["type"] == "refused":
        raise _their_refusal(message, peer)
    if message["type"] != "hello":
        raise ProtocolError(detail=f"expected a hello, got {message['type']!r:.40}")
    theirs = message.get("protocol")
    if type(theirs) is not int or theirs != PROTOCOL_VERSION:
        await _refuse(writer, "protocol", f"speaks sync protocol {PROTOCOL_VERSION}")
        raise IncompatiblePeer(peer=peer.workstation, theirs=theirs, ours=PROTOCOL_VERSION)
    named = (message.get("center"), message.get("workstation"), message.get("role"))
    if named != (peer.center_id, peer.workstation, peer.role):
        await _refuse(writer, "hello", "its hello does not match its certificate")
        raise PeerRefused("Workstation {peer} sent a hello that does not match its "
                          "certificate", peer=peer.workstation)
    return message


def _their_refusal(message: Message, peer: PeerIdentity) -> PeerRefused:
    code, reason = message.get("code"), message.get("reason")
    if code == "protocol":
        return IncompatiblePeer(
            peer=peer.workstation, theirs=message.get("protocol"), ours=PROTOCOL_VERSION
        )
    if code == "center":
        return PeerRefused("Workstation {peer} refused this workstation: it belongs to "
                           "another center", peer=peer.workstation)
    return PeerRefused(  # the reason is a peer's text: kept to one line's worth
        "Workstation {peer} refused this workstation: {reason}",
        peer=peer.workstation, reason=str(reason)[:200],
    )


async def _refuse(writer: asyncio.StreamWriter, code: str, reason: str) -> None:
    """Tell the peer why (best effort: it may already be gone)."""
    refusal = {"type": "refused", "code": code, "reason": reason, "protocol": PROTOCOL_VERSION}
    try:
        await write_frame(writer, refusal)
    except OSError as exc:
        log.info("could not send a refusal (%s): %s", code, exc)


def _stamp(hello: Message, local: PeerIdentity) -> Message:
    """Our hello with its type, protocol version and our identity filled in."""
    ours = {"center": local.center_id, "workstation": local.workstation, "role": local.role}
    if any(hello.get(key, value) != value for key, value in ours.items()):
        raise ValueError(f"the hello does not match this workstation's identity {local}")
    return {**hello, **ours, "type": "hello", "protocol": PROTOCOL_VERSION}


def _setup_error(exc: BaseException, address: str, timeout: float) -> MedireteError:
    if isinstance(exc, MedireteError):
        return exc
    if isinstance(exc, TimeoutError):
        return _silent(address, timeout)
    return ConnectionClosed(
        "The connection to {address} was lost ({detail})", address=address, detail=_reason(exc)
    )


def _tls_refusal(exc: ssl.SSLError, address: str) -> PeerRefused:
    """A failed TLS handshake said plainly, OpenSSL's reason in brackets."""
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_code in _CLOCK_CODES:
        # A certificate of this center all the same: one of the two clocks is wrong.
        return PeerRefused(
            "The certificate of the computer at {address} is not valid at this "
            "workstation's date and time ({detail}): check the clocks of both computers",
            address=address, detail=exc.verify_message or _reason(exc),
        )
    if isinstance(exc, ssl.SSLCertVerificationError) or exc.reason in _NO_CERTIFICATE:
        return PeerRefused(
            "The computer at {address} does not hold a certificate of this center ({detail})",
            address=address, detail=_reason(exc),
        )
    return PeerRefused("The secure connection with {address} failed ({detail})",
                       address=address, detail=_reason(exc))


def _silent(address: str, timeout: float) -> PeerUnreachable:
    return PeerUnreachable("The workstation at {address} did not answer within {seconds} "
                           "seconds", address=address, seconds=f"{timeout:g}")


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        async with asyncio.timeout(2):
            await writer.wait_closed()
    except (OSError, TimeoutError):
        # A peer that vanished never answers the TLS close: drop the connection.
        writer.transport.abort()


def _address(writer: asyncio.StreamWriter) -> str:
    return "{}:{}".format(*writer.get_extra_info("peername", ("?", "?"))[:2])


def _reason(exc: BaseException) -> str:
    """A short technical reason: OpenSSL's code when there is one."""
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason)
    if isinstance(exc, ConnectionClosed):
        return "connection closed"
    return str(exc) or type(exc).__name__
