"""PyInstaller entry script for the console tool (same as the `medirete-admin` entry point)."""

from app.admin.cli import main

raise SystemExit(main())
