"""``medirete-admin``: create centers, manage users, verify, back up and restore."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.admin import device_verbs, verbs
from app.admin.simulate import add_parser as add_simulate_parser
from app.admin.sync_verbs import add_parsers as add_sync_parsers
from app.core.errors import DiskFull, MedireteError
from app.core.files import restrict_umask
from app.core.i18n import _
from app.core.logs import log_safe_traceback, setup_logging
from app.devices.cli_verbs import add_devsim_parser
from app.devices.results import DeviceError
from app.records.codes.imports import IMPORT_KINDS
from app.records.storage.sqlerrors import classify, describe_for_log

log = logging.getLogger("medirete.admin")

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The command line, with --help on every verb."""
    parser = argparse.ArgumentParser(
        prog="medirete-admin",
        description=_(
            "Medirete administration: passwords are read from a prompt, "
            "or one line each on standard input; never from the command line."
        ),
    )
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    center = sub.add_parser("center", help=_("create a center"))
    center_sub = center.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = _add(
        center_sub, "init", _("create a new center with its first administrator"), verbs.center_init
    )
    init.add_argument("dir", type=Path)
    init.add_argument("--name", required=True)
    init.add_argument("--admin", required=True, metavar="USER")
    init.add_argument("--workstation", metavar="NAME",
                      help=_("this workstation's name (default: host name)"))

    _user_verbs(sub)
    _center_verbs(sub)
    device_verbs.add_parsers(sub, _add)
    add_devsim_parser(sub)
    add_simulate_parser(sub, _add)
    add_sync_parsers(sub, _add)
    return parser


def _user_verbs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help=_("manage users"))
    user_sub = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = _add(
        user_sub, "add", _("add a user (the admin's password, then the new user's)"), verbs.user_add
    )
    add.add_argument("dir", type=Path)
    add.add_argument("--as", dest="as_user", required=True, metavar="ADMIN")
    add.add_argument("--user", required=True)
    add.add_argument("--role", required=True, choices=["gp", "nurse", "secretary", "admin"])
    add.add_argument("--full-name", default="")
    passwd = _add(
        user_sub,
        "passwd",
        _("change a password (own: old then new; with --as ADMIN: the admin's, then the new one)"),
        verbs.user_passwd,
    )
    passwd.add_argument("dir", type=Path)
    passwd.add_argument("--user", required=True)
    passwd.add_argument("--as", dest="as_user", metavar="ADMIN")
    listing = _add(user_sub, "list", _("list the users"), verbs.user_list)
    listing.add_argument("dir", type=Path)
    listing.add_argument("--user", required=True)
    grant = _add(
        user_sub,
        "grant",
        _("give a clinical colleague the clinical key (run by a GP or nurse who holds it)"),
        verbs.user_grant,
    )
    grant.add_argument("dir", type=Path)
    grant.add_argument("username")
    grant.add_argument("--user", required=True)


def _center_verbs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:

    demo = _add(sub, "demo", _("create a demo center with synthetic patients"), verbs.demo)
    demo.add_argument("dir", type=Path)
    demo.add_argument("--patients", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)

    verify = _add(
        sub,
        "verify",
        _("check integrity, schema and audit chain; print the content digest"),
        verbs.verify,
    )
    verify.add_argument("dir", type=Path)
    verify.add_argument("--user", required=True)

    backup = _add(sub, "backup", _("write a verified encrypted backup"), verbs.backup)
    backup.add_argument("dir", type=Path)
    backup.add_argument("file", type=Path)
    backup.add_argument("--user", required=True)

    restore = _add(sub, "restore", _("restore a backup into an empty folder"), verbs.restore)
    restore.add_argument("file", type=Path)
    restore.add_argument("dir", type=Path)
    restore.add_argument("--user", required=True)

    rekey = _add(sub, "rekey", _("re-encrypt the record with a new key"), verbs.rekey)
    rekey.add_argument("dir", type=Path)
    rekey.add_argument("--user", required=True)

    station = _add(
        sub,
        "enroll-workstation",
        _("let this workstation unlock the record through the system keyring"),
        verbs.enroll_workstation,
    )
    station.add_argument("dir", type=Path)
    station.add_argument("--user", required=True)

    codes = _add(
        sub,
        "import-codes",
        _(
            "load a newer official code list: ICD-9-CM or ATC (CSV), the Ministry's ICD-10-IM "
            "systematic list (icd10im) or ICD-9-CM to ICD-10-IM transcoding table "
            "(icd9-icd10im) as published (xlsx), the AIFA list of medicines (aifa, CSV)"
        ),
        verbs.import_codes,
    )
    codes.add_argument("dir", type=Path)
    codes.add_argument("file", type=Path)
    codes.add_argument("--kind", required=True, choices=list(IMPORT_KINDS))
    codes.add_argument("--user", required=True)


def _known(exc: BaseException) -> MedireteError | None:
    if isinstance(exc, MedireteError):
        return exc
    # Database errors by SQLite result code (app.records.storage.sqlerrors), never by text.
    known = classify(exc)
    if known is not None:
        return known
    if isinstance(exc, DeviceError):  # a damaged file, a dead line: one line, never a bug
        return MedireteError("Device or file error: {detail}", detail=str(exc)[:300])
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DiskFull()
        where = f": {exc.filename}" if exc.filename else ""
        return MedireteError("File error: {detail}", detail=f"{exc.strerror}{where}")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; 0 ok, 1 user error (one line), 2 bad usage, 3 a bug."""
    restrict_umask()  # keys, record, backups, logs: owner-only, whatever creates them
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with usage on bad arguments
    # Only the file gets the details; the terminal gets one line per failure.
    log_path = setup_logging("medirete-admin", console_level=logging.CRITICAL + 1)
    try:
        code: int = args.handler(args)
        return code
    except KeyboardInterrupt:
        print(_("Interrupted"), file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        known = _known(exc)
        if known is not None:
            # Class, msgid and SQLite code only: a DBAPIError's text holds SQL parameters.
            log.warning("expected failure: %s", describe_for_log(exc))
            print(f"medirete-admin: {known.user_message()}", file=sys.stderr)
            return EXIT_USER_ERROR
        log.error("internal error:\n%s", log_safe_traceback(exc))
        print(
            "medirete-admin: "
            + _("internal error ({kind}); please report it with {log}").format(
                kind=type(exc).__name__, log=log_path or "-"
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
