"""Names and codes of the HL7 v3 annotated ECG (FDA aECG) that reader and writer share."""

from __future__ import annotations

NS = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI}}}type"
LEAD_PREFIX = "MDC_ECG_LEAD_"
STATEMENT = "MDC_ECG_INTERPRETATION_STATEMENT"
MDC_SYSTEM = "2.16.840.1.113883.6.24"  # ISO/IEEE 11073-10101 (MDC)
ACT_CODE_SYSTEM = "2.16.840.1.113883.5.4"  # HL7 ActCode: RHYTHM, TIME_ABSOLUTE, ...
CPT_SYSTEM = "2.16.840.1.113883.6.12"
GENDER_SYSTEM = "2.16.840.1.113883.5.1"

# Model measurement -> MDC annotation code (written) and codes accepted when reading.
MEASUREMENT_CODES: dict[str, tuple[str, ...]] = {
    "heart_rate_bpm": ("MDC_ECG_HEART_RATE",),
    "pr_ms": ("MDC_ECG_TIME_PD_PR", "MDC_ECG_TIME_PD_PQ"),
    "qrs_ms": ("MDC_ECG_TIME_PD_QRS",),
    "qt_ms": ("MDC_ECG_TIME_PD_QT",),
    "qtc_ms": ("MDC_ECG_TIME_PD_QTc", "MDC_ECG_TIME_PD_QTcB", "MDC_ECG_TIME_PD_QTcF"),
    "p_axis_deg": ("MDC_ECG_ANGLE_P_FRONT",),
    "qrs_axis_deg": ("MDC_ECG_ANGLE_QRS_FRONT",),
    "t_axis_deg": ("MDC_ECG_ANGLE_T_FRONT",),
}
MEASUREMENT_UNITS = {"heart_rate_bpm": "bpm", "p_axis_deg": "deg", "qrs_axis_deg": "deg",
                     "t_axis_deg": "deg"}  # fmt: skip  # the rest are durations in ms

# Units of potential and time, as factors to µV and to seconds.
TO_MICROVOLTS = {"uV": 1.0, "mV": 1000.0, "V": 1e6, "nV": 1e-3}
TO_SECONDS = {"s": 1.0, "ms": 1e-3, "us": 1e-6}


def q(tag: str) -> str:
    """A tag name in the HL7 v3 namespace, as ElementTree spells it."""
    return f"{{{NS}}}{tag}"
