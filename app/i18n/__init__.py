"""Translations: Qt Linguist .ts sources, one folder per language (see app.core.ts_catalog)."""
