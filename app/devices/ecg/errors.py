"""The errors every ECG reader raises: one family under ``ProtocolError``.

Random bytes, truncated files and files using features we do not implement all end in
an ``EcgError`` (never an ``IndexError`` or a wrong trace); ``str(error)`` is one line
in English for the log and the CLI.
"""

from __future__ import annotations

from app.devices.results import ProtocolError


class EcgError(ProtocolError):
    """Bytes that are not an ECG file we can read, or a damaged one."""


class EcgChecksumError(EcgError):
    """A CRC does not match: the file was damaged in transit or on disk."""

    def __init__(self, message: str, *, section: int | None = None) -> None:
        super().__init__(message)
        self.section = section  # None: the record CRC


class EcgUnsupportedError(EcgError):
    """A valid file using a feature this reader does not implement (named in ``feature``)."""

    def __init__(self, feature: str) -> None:
        super().__init__(f"unsupported ECG feature: {feature}")
        self.feature = feature
