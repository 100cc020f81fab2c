"""PyInstaller entry script for the windowed app (same as the `medirete` entry point)."""

from app.ui.main import main

raise SystemExit(main())
