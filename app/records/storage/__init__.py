"""Encrypted storage: the center folder, its keys and the SQLCipher engine."""
