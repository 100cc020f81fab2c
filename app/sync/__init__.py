"""Medirete sync layer (grows in later issues)."""
