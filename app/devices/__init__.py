"""Medirete devices layer (grows in later issues)."""
