"""A bounds-checked little-endian reader: running off the end is an ``EcgError``."""

from __future__ import annotations

import struct

from app.devices.ecg.errors import EcgError

_U16 = struct.Struct("<H")
_I16 = struct.Struct("<h")
_U32 = struct.Struct("<I")


class ByteReader:
    """Reads fields from ``data`` in order; ``what`` names the place in error messages."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.what = what
        self.pos = 0

    def remaining(self) -> int:
        """Bytes left to read."""
        return len(self.data) - self.pos

    def take(self, count: int) -> bytes:
        """The next ``count`` bytes."""
        if count < 0 or count > self.remaining():
            raise EcgError(
                f"{self.what}: truncated ({count} bytes needed at offset {self.pos}, "
                f"{self.remaining()} left)"
            )
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def u8(self) -> int:
        """One unsigned byte."""
        return self.take(1)[0]

    def u16(self) -> int:
        """An unsigned 16-bit integer."""
        return int(_U16.unpack(self.take(2))[0])

    def i16(self) -> int:
        """A signed 16-bit integer."""
        return int(_I16.unpack(self.take(2))[0])

    def u32(self) -> int:
        """An unsigned 32-bit integer."""
        return int(_U32.unpack(self.take(4))[0])
