"""Documents filed in the chart: import, classify, full-text search."""

from __future__ import annotations

from app.records.services.base import Service


class DocumentService(Service):
    """PDFs and images filed in a patient's chart, stored inside the encrypted record."""
