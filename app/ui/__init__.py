"""The desktop UI (PySide6): widgets reach the record only through operations (see ops.py)."""
