"""The ASTM driver's own errors: every failure its bytes can cause is one of these."""

from __future__ import annotations

from app.devices.results import LineError, ProtocolError


class AstmError(ProtocolError):
    """Root of every ASTM protocol failure (bad frame, bad record, bad message)."""


class AstmFrameError(AstmError):
    """A frame that breaks E1381: bad structure, bad checksum, bad frame number."""


class AstmRecordError(AstmError):
    """A record or message that breaks E1394 / LIS2-A2: bad delimiters, fields or order."""


class AstmLineError(LineError):
    """The line failed under the ASTM driver: port not opened, peer gone, no answer."""
