"""One function per ``medirete-admin`` verb; each returns the exit code."""

from __future__ import annotations

import argparse

from app.admin.secrets import read_password
from app.admin.sync_verbs import center_authority
from app.core.errors import MedireteError
from app.core.formats import role_label
from app.core.i18n import _
from app.records.codes import AIFA, ICD9_ICD10IM, ICD10IM
from app.records.services import Records
from app.records.storage.backup import restore_backup
from app.records.storage.center import create_center


def _open(args: argparse.Namespace, username: str | None = None) -> Records:
    user = username or args.user
    password = read_password(_("Password for {user}").format(user=user))
    return Records.open(args.dir, user, password)


def center_init(args: argparse.Namespace) -> int:
    """Create a center."""
    password = read_password(_("New password for {user}").format(user=args.admin), confirm=True)
    create_center(args.dir, args.name, args.admin, password)
    print(_("Center created in {path}").format(path=args.dir))
    records = Records.open(args.dir, args.admin, password)
    try:  # the center's CA, its key under this admin's password (ADR 0024)
        center_authority(records, password, args.workstation)
    finally:
        records.close()
    return 0


def user_add(args: argparse.Namespace) -> int:
    """Add a user."""
    records = _open(args, args.as_user)
    try:
        password = read_password(_("New password for {user}").format(user=args.user), confirm=True)
        records.users.add(args.user, args.full_name, args.role, password)
    finally:
        records.close()
    print(_("User {user} added ({role})").format(user=args.user, role=role_label(args.role)))
    return 0


def user_passwd(args: argparse.Namespace) -> int:
    """Change one's own password, or reset someone's as admin."""
    if args.as_user:
        records = _open(args, args.as_user)
        try:
            new = read_password(_("New password for {user}").format(user=args.user), confirm=True)
            records.users.reset_password(args.user, new)
        finally:
            records.close()
    else:
        old = read_password(_("Current password for {user}").format(user=args.user))
        records = Records.open(args.dir, args.user, old)
        try:
            new = read_password(_("New password for {user}").format(user=args.user), confirm=True)
            records.users.change_own_password(old, new)
        finally:
            records.close()
    print(_("Password changed for {user}").format(user=args.user))
    return 0


def user_list(args: argparse.Namespace) -> int:
    """List users (a clinician also sees who awaits the clinical key)."""
    records = _open(args)
    try:
        pending = set()
        if records.users.clinical_access():
            pending = {user.username for user in records.users.pending_clinical()}
        for user in records.users.list():
            state = "" if user.active else " " + _("(disabled)")
            if user.username in pending:
                state += " " + _("(clinical access to grant)")
            print(f"{user.username}\t{role_label(user.role)}\t{user.full_name}{state}")
    finally:
        records.close()
    return 0


def user_grant(args: argparse.Namespace) -> int:
    """Seal the clinical key to a colleague."""
    records = _open(args)
    try:
        records.users.grant_clinical(args.username)
    finally:
        records.close()
    print(_("Clinical access granted to {user}").format(user=args.username))
    return 0


def demo(args: argparse.Namespace) -> int:
    """Create a demo center."""
    from app.records.demo import create_demo_center

    if args.patients < 0:
        raise MedireteError(_("Invalid input: {detail}"), detail="--patients < 0")
    password = read_password(_("Password for the demo users"), confirm=True)
    summary = create_demo_center(args.dir, password, patients=args.patients, seed=args.seed)
    print(
        _("Demo center created in {path}: {patients} patients; users: {users}").format(
            path=args.dir, patients=args.patients, users=", ".join(summary)
        )
    )
    return 0


def verify(args: argparse.Namespace) -> int:
    """Check the record."""
    records = _open(args)
    try:
        report = records.audit.verify()
    finally:
        records.close()
    print(_("schema: {revision}").format(revision=report.schema_revision))
    print(_("audit events: {count}").format(count=report.audit_rows))
    print(_("content digest: {digest}").format(digest=report.digest))
    if report.clinical_digest is not None:
        print(_("clinical content digest: {digest}").format(digest=report.clinical_digest))
    if not report.ok:
        for problem in report.problems:
            print(_("PROBLEM: {problem}").format(problem=problem))
        raise MedireteError(_("Verification failed: {detail}"), detail=report.problems[0])
    print(_("verify: OK"))
    return 0


def backup(args: argparse.Namespace) -> int:
    """Write a backup."""
    records = _open(args)
    try:
        result = records.maintenance.backup(args.file)
    finally:
        records.close()
    print(
        _("Backup written and verified: {path} ({size} bytes)").format(
            path=result.path, size=result.size
        )
    )
    print(_("content digest: {digest}").format(digest=result.digest))
    return 0


def restore(args: argparse.Namespace) -> int:
    """Restore a backup."""
    password = read_password(_("Password for {user}").format(user=args.user))
    digest = restore_backup(args.file, args.dir, args.user, password)
    print(_("Backup restored into {path}").format(path=args.dir))
    print(_("content digest: {digest}").format(digest=digest))
    return 0


def rekey(args: argparse.Namespace) -> int:
    """Re-encrypt with a new key."""
    records = _open(args)
    try:
        records.maintenance.rekey()
    finally:
        records.close()
    print(_("The record is now encrypted with a new key"))
    return 0


def _import_count_line(kind: str, count: int, unrepaired: int) -> str:
    if kind == ICD10IM:
        return _("{count} ICD-10-IM codes loaded").format(count=count)
    if kind == ICD9_ICD10IM:
        return _("{count} ICD-9-CM to ICD-10-IM correspondences loaded").format(count=count)
    if kind == AIFA:
        return _("{count} medicines of the AIFA list loaded").format(count=count)
    return _(
        "{count} {kind} codes loaded ({unrepaired} descriptions could not be fully repaired)"
    ).format(count=count, kind=kind, unrepaired=unrepaired)


def import_codes(args: argparse.Namespace) -> int:
    """Load an official code file."""
    records = _open(args)
    try:
        result = records.codes.import_file(args.kind, args.file)
    finally:
        records.close()
    print(_import_count_line(args.kind, result.count, len(result.unrepaired)))
    for note in result.notes:
        print(f"  {note}")
    return 0


def enroll_workstation(args: argparse.Namespace) -> int:
    """Enroll this workstation in the OS keyring."""
    from app.records.storage.center import workstation_name

    records = _open(args)
    try:
        records.maintenance.enroll_workstation(workstation_name())
    finally:
        records.close()
    print(_("Workstation {name} enrolled").format(name=workstation_name()))
    return 0
