"""``medirete``: the desktop entry point."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from app.core.files import restrict_umask
from app.core.heap import settle_after_startup
from app.core.i18n import SUPPORTED
from app.core.logs import log_safe_traceback, setup_logging
from app.ui.collector import MainThreadCollector
from app.ui.errors import show_error
from app.ui.language import startup_language
from app.ui.ops import Executor
from app.ui.qt import QApplication, QSettings
from app.ui.shell import Shell
from app.ui.watchdog import StallWatchdog

log = logging.getLogger("app.ui")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (options for people and for support, so kept in English)."""
    parser = argparse.ArgumentParser(prog="medirete", description="Medirete clinical record")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--demo",
        action="store_true",
        help="open the demo center with synthetic patients (created if missing)",
    )
    where.add_argument("--center", type=Path, metavar="DIR", help="open the center in DIR")
    parser.add_argument("--lang", choices=SUPPORTED, help="user interface language")
    return parser.parse_args(argv)


def _excepthook(
    _kind: type[BaseException], exc: BaseException, _tb: TracebackType | None
) -> None:
    # An exception escaping a slot: show_error logs it (without user data) and shows a
    # message or the report, never just stderr.
    if QApplication.instance() is not None:
        show_error(exc)
    else:
        log.error("uncaught exception:\n%s", log_safe_traceback(exc))


def open_settings() -> QSettings:
    """This workstation's settings; beside the data when MEDIRETE_DATA_DIR moves it
    (tests, demos), so a run there never touches the user's own settings."""
    override = os.environ.get("MEDIRETE_DATA_DIR")
    if override:
        return QSettings(str(Path(override) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings()


def main(argv: list[str] | None = None) -> int:
    """Start the application; returns the exit code."""
    restrict_umask()  # keys, record, backups, logs: owner-only, whatever creates them
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging("medirete", console_level=logging.INFO)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Medirete")
    app.setApplicationName("Medirete")
    settings = open_settings()
    sys.excepthook = _excepthook
    settle_after_startup()
    collector = MainThreadCollector(app)  # before any thread of ours starts
    watchdog = StallWatchdog()
    watchdog.start()
    executor = Executor(on_error=show_error)
    shell = Shell(executor, settings)
    shell.translations.apply(startup_language(settings, args.lang))
    demo_root = None
    if args.demo:
        from app.core.paths import demo_center_dir

        demo_root = demo_center_dir()
    shell.start(args.center, demo_root)
    try:
        return app.exec()
    finally:
        watchdog.stop()
        shell.stop_simulators()
        executor.shutdown()
        collector.stop()


if __name__ == "__main__":
    sys.exit(main())
