"""Headless administration for the center's IT person (``medirete-admin``)."""
