"""The SCP-ECG default Huffman table (EN 1064, annex) and its decoder.

Section 2 announces the default table with a table count of 19999. Its 19 codes are
prefix codes read most significant bit first:

* ``0`` is 0;
* k ones, a 0, then a sign bit (0 positive, 1 negative) is +-k for k = 1..8;
* nine ones then 0 is followed by the value as 8-bit two's complement;
* ten ones are followed by the value as 16-bit two's complement.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from app.devices.ecg.errors import EcgError

DEFAULT_TABLE_ID = 19999


def _default_table() -> tuple[tuple[int, int, int, str], ...]:
    rows = [(1, 1, 0, "0")]
    for k in range(1, 9):
        for sign, value in (("0", k), ("1", -k)):
            rows.append((k + 2, k + 2, value, "1" * k + "0" + sign))
    rows.append((10, 18, 0, "1" * 9 + "0"))
    rows.append((10, 26, 0, "1" * 10))
    return tuple(rows)


# (bits in prefix, bits in entire code, base value, prefix code); table mode switch = 1.
DEFAULT_TABLE = _default_table()


def decode_default(data: bytes, count: int, what: str) -> NDArray[np.int64]:
    """Decode exactly ``count`` values coded with the default table (padding ignored)."""
    bits = format(int.from_bytes(data, "big"), f"0{len(data) * 8}b") if data else ""
    total = len(bits)
    values = [0] * count
    pos = 0
    for index in range(count):
        if pos >= total:
            raise _ran_out(what, index, count)
        zero = bits.find("0", pos, pos + 9)
        if zero == -1:
            values[index], pos = _escaped(bits, pos, total, what)
        elif zero == pos:
            pos += 1
        else:
            if zero + 1 >= total:
                raise _ran_out(what, index, count)
            ones = zero - pos
            values[index] = -ones if bits[zero + 1] == "1" else ones
            pos = zero + 2
    return np.array(values, dtype=np.int64)


def _escaped(bits: str, pos: int, total: int, what: str) -> tuple[int, int]:
    """The value after a nine-ones prefix and the position after it."""
    if pos + 10 > total:
        raise EcgError(f"{what}: Huffman data ends inside a code")
    width = 16 if bits[pos + 9] == "1" else 8
    start, end = pos + 10, pos + 10 + width
    if end > total:
        raise EcgError(f"{what}: Huffman data ends inside a code")
    raw = int(bits[start:end], 2)
    return (raw - (1 << width) if raw >= 1 << (width - 1) else raw), end


def _ran_out(what: str, index: int, count: int) -> EcgError:
    return EcgError(f"{what}: Huffman data ends after {index} of {count} samples")
