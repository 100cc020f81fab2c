"""Foundations shared by every layer: errors, i18n, paths, clock and ids."""
