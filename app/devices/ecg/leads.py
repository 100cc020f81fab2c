"""Lead names: the SCP-ECG lead table, name normalisation and the derived limb leads.

SCP-ECG (EN 1064, section 3) numbers leads; DICOM reuses those numbers in its SCPECG
codes (``5.6.3-9-<n>``) and so do the MDC lead codes (``2:<n>``). Every reader maps
what the file says onto the same names (I, II, III, aVR, aVL, aVF, V1..V6, ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

STANDARD_12 = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
DERIVABLE = ("III", "aVR", "aVL", "aVF")

_FRANK = ("I (Frank)", "E", "C", "A", "M", "F", "H")
_CAL_BASE = (
    "I", "II", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V2R", "V3R", "V4R", "V5R", "V6R",
    "V7R", "X", "Y", "Z", "CC5", "CM5", "LA", "RA", "LL", "fI", "fE", "fC", "fA", "fM", "fF",
    "fH",
)  # fmt: skip


def _scp_table() -> dict[int, str]:
    table = dict(enumerate(("", "I", "II", "V1", "V2", "V3", "V4", "V5", "V6", "V7")))
    table.update(zip(range(10, 21), ("V2R", "V3R", "V4R", "V5R", "V6R", "V7R", "X", "Y", "Z",
                                     "CC5", "CM5"), strict=True))  # fmt: skip
    table.update({21: "LA", 22: "RA", 23: "LL"})
    table.update(zip(range(24, 31), _FRANK, strict=True))
    # 31..60 are the calibration signals of leads 1..30 ("-cal" in the standard's table).
    table.update({31 + i: f"{name}-cal" for i, name in enumerate(_CAL_BASE)})
    table.update(zip(range(61, 73), ("III", "aVR", "aVL", "aVF", "-aVR", "V8", "V9", "V8R",
                                     "V9R", "D", "A", "J"), strict=True))  # fmt: skip
    return table


SCP_LEADS: Mapping[int, str] = _scp_table()
_BY_UPPER = {name.upper(): name for name in SCP_LEADS.values() if name}


def scp_lead_name(lead_id: int) -> str:
    """The name of an SCP-ECG lead id (``lead-<n>`` for ids outside the standard table)."""
    name = SCP_LEADS.get(lead_id, "")
    return name or f"lead-{lead_id}"


def normalize_lead_name(text: str) -> str:
    """Map a label such as "Lead aVR", "AVR" or "V1 " to the canonical lead name."""
    label = text.strip()
    if label.lower().startswith("lead "):
        label = label[5:].strip()
    first = label.split(" (")[0].split(",")[0].strip() if label else ""
    return _BY_UPPER.get(first.upper(), first or text.strip())


def ordered(leads: Mapping[str, NDArray[np.int32]]) -> dict[str, NDArray[np.int32]]:
    """The leads in the usual 12-lead order, then any others in their original order."""
    result = {name: leads[name] for name in STANDARD_12 if name in leads}
    result.update({name: data for name, data in leads.items() if name not in result})
    return result


def derive_limb_leads(
    leads: Mapping[str, NDArray[np.int32]],
) -> dict[str, NDArray[np.int32]]:
    """III, aVR, aVL and aVF computed from I and II for those the file does not carry.

    Einthoven and Goldberger: III = II - I, aVR = -(I + II)/2, aVL = I - II/2,
    aVF = II - I/2 (halves rounded to the nearest µV, ties to even).
    """
    one, two = leads.get("I"), leads.get("II")
    if one is None or two is None or one.shape != two.shape:
        return {}
    i64, ii64 = one.astype(np.float64), two.astype(np.float64)
    computed = {
        "III": ii64 - i64,
        "aVR": -(i64 + ii64) / 2.0,
        "aVL": i64 - ii64 / 2.0,
        "aVF": ii64 - i64 / 2.0,
    }
    return {
        name: np.rint(values).astype(np.int32)
        for name, values in computed.items()
        if name not in leads
    }
