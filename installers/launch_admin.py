"""PyInstaller entry script for the console tool (same as the `medirete-admin` entry point)."""

import multiprocessing

from app.admin.cli import main

# A frozen program started again as a helper process (app.sync.copy_check) runs the
# helper here and exits instead of starting the program a second time.
multiprocessing.freeze_support()
raise SystemExit(main())
