"""PyInstaller entry script for the windowed app (same as the `medirete` entry point)."""

import multiprocessing

from app.ui.main import main

# A frozen program started again as a helper process (app.sync.copy_check) runs the
# helper here and exits instead of starting the program a second time.
multiprocessing.freeze_support()
raise SystemExit(main())
