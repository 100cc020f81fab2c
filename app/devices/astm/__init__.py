"""ASTM E1381 (CLSI LIS1-A) link + E1394 (CLSI LIS2-A2) records for point-of-care analyzers.

- ``link``: the sans-IO link state machine (``AstmLink``), receiver and sender.
- ``frames``: checksum, building and checking frames, splitting transcripts.
- ``records``: delimiters, escapes, record decode/encode.
- ``convert``: a complete message as ``DeviceMessage`` objects (LOINC where plain).
- ``receiver``: ``AstmReceiver``, the LIS end (bytes in, messages and replies out).
- ``simulator``: an analyzer on a line (``run_simulator``, ``replay``); ``samples``
  holds its synthetic messages and ``ports`` its lines (pty, TCP listener, pyserial).
"""

from __future__ import annotations

from app.devices.astm.errors import AstmError, AstmFrameError, AstmLineError, AstmRecordError
from app.devices.astm.link import AstmLink, LinkSettings, LinkState, Role
from app.devices.astm.receiver import (
    AstmReceiver,
    ReceiverOutput,
    RejectedMessage,
    decode_transcript,
)

__all__ = [
    "AstmError",
    "AstmFrameError",
    "AstmLineError",
    "AstmLink",
    "AstmReceiver",
    "AstmRecordError",
    "LinkSettings",
    "LinkState",
    "ReceiverOutput",
    "RejectedMessage",
    "Role",
    "decode_transcript",
]
