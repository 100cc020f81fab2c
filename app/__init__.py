"""Medirete: a shared, encrypted clinical record for Italian GP group centers."""

__version__ = "0.1.0"
