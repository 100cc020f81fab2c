"""Deterministic synthetic data (never real people) for demo centers, tests and benchmarks."""

from app.records.synthetic.center import CenterGenerator, CenterSpec, PatientChart
from app.records.synthetic.ids import IdClock, seeded_uuid7
from app.records.synthetic.loader import SyntheticSummary, write_center_data
from app.records.synthetic.people import Person, PersonFactory, compute_codice_fiscale

__all__ = [
    "CenterGenerator",
    "CenterSpec",
    "IdClock",
    "PatientChart",
    "Person",
    "PersonFactory",
    "SyntheticSummary",
    "compute_codice_fiscale",
    "seeded_uuid7",
    "write_center_data",
]
