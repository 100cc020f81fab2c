"""Medirete reports layer (grows in later issues)."""
