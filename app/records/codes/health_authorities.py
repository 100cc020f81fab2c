"""The ASL/ATS list (local health authorities): a patient's ATS is one of these codes.

Shipped as ``data/asl-ats.csv.gz``, built by ``scripts/build_codes.py`` from the
Ministry's list (e.g. 030321 ATS della Città Metropolitana di Milano).
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib.resources import files


@cache
def health_authorities() -> dict[str, str]:
    """Code -> name as published, in code order."""
    raw = (files("app.records.codes") / "data" / "asl-ats.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def authority_name(code: str) -> str | None:
    """The name of an ASL/ATS code, None when the code is not in the list."""
    return health_authorities().get(code.strip())
