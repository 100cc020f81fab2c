"""Staff accounts: the admin adds users and resets passwords; everyone changes their own."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound, WrongPassword
from app.records.model import AuditEvent, User
from app.records.permissions import CLINICAL_ROLES, ROLE_PERMISSIONS
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote, Service, WriteBatch
from app.records.services.views import AccountNotice, UserView
from app.records.storage.center import load_keys
from app.records.storage.keys import KeyFile


def key_entry(keys: KeyFile, username: str) -> str | None:
    """The user's entry of the key file as the ``user.key_entry`` column holds it."""
    entry = keys.users.get(username)
    return None if entry is None else json.dumps(entry, sort_keys=True)


def _active_admins(conn: Connection) -> int:
    return int(conn.execute(
        select(func.count()).select_from(User).where(User.role == "admin", User.active)
    ).scalar_one())


def _notices_since_last_login(conn: Connection, user_id: str | None) -> list[AccountNotice]:
    logins = conn.execute(
        select(AuditEvent.seq).where(AuditEvent.user_id == user_id,
                                     AuditEvent.action == "session.login")
        .order_by(AuditEvent.seq.desc()).limit(2)
    ).scalars().all()
    since = logins[1] if len(logins) > 1 else 0  # the login before this session's
    roles = {str(name): str(role) for name, role in conn.execute(select(User.username, User.role))}
    events = conn.execute(
        select(AuditEvent.at, AuditEvent.username, AuditEvent.action, AuditEvent.detail,
               AuditEvent.entity_id)
        .where(AuditEvent.seq > since,
               AuditEvent.action.in_(("user.add", "user.reset_password")))
        .order_by(AuditEvent.seq)
    ).all()
    notices = []
    for event in events:
        target = str(event.detail or "").split(" (")[0]
        if roles.get(target) in CLINICAL_ROLES:
            notices.append(AccountNotice(event.at, event.username, event.action, target))
    return notices


def _log_key_entry(batch: WriteBatch, user_id: str, entry: str | None, action: str,
                   detail: str) -> None:
    """A user's new key entry, in the row and in the change log (it travels to the
    other workstations, which write it into their key files)."""
    batch.conn.execute(update(User).where(User.id == user_id).values(key_entry=entry))
    batch.record("user", user_id, "update", {"key_entry": entry}, patient_id=None,
                 action=action, detail=detail)


class UserService(Service):
    """Users and their wrapped keys.

    ``keys.json`` is read and written inside the database write transaction, so the
    record's write lock also serialises key-file edits between processes.
    """

    @requires(Permission.MANAGE_USERS)
    def add(self, username: str, full_name: str, role: str, password: str) -> str:
        """Create a user who can unlock the record with ``password``."""
        if role not in ROLE_PERMISSIONS:
            raise InvalidInput(detail=f"role must be one of {', '.join(ROLE_PERMISSIONS)}")
        username = username.strip()
        if not username or not username.replace(".", "").replace("-", "").isalnum():
            raise InvalidInput(detail="user name: letters, digits, dots and dashes only")
        user_id = new_id()
        with self._writing() as batch:
            conn = batch.conn
            keys = load_keys(self._db.paths)
            if conn.execute(select(User.id).where(User.username == username)).first():
                raise InvalidInput(detail=f"user {username} already exists")
            keys.add_user(username, password, self._db.db_key)
            row = {
                "id": user_id,
                "username": username,
                "full_name": full_name or username,
                "role": role,
                "active": True,
                "created_at": utc_now(),
                "key_entry": key_entry(keys, username),
            }
            conn.execute(insert(User).values(**row))
            batch.record("user", user_id, "create", row, patient_id=None, action="user.add",
                         detail=f"{username} ({role})")
            # The key file is written inside the transaction: if it fails, no user row.
            keys.save(self._db.paths.keys)
        return user_id

    @requires(Permission.MANAGE_USERS)
    def reset_password(self, username: str, new_password: str) -> None:
        """Give a user a new password (new key pair sealed with the current key)."""
        with self._writing() as batch:
            keys = load_keys(self._db.paths)
            row = batch.conn.execute(select(User.id).where(User.username == username)).first()
            if row is None:
                raise NotFound(what=f"user {username}")
            keys.reset_password(username, new_password, self._db.db_key)
            _log_key_entry(batch, row.id, key_entry(keys, username), "user.reset_password",
                           username)
            keys.save(self._db.paths.keys)

    @requires(Permission.OWN_ACCOUNT)
    def change_own_password(self, old_password: str, new_password: str) -> None:
        """Change one's own password (a new key pair, sealed the current key)."""
        with self._writing() as batch:
            keys = load_keys(self._db.paths)
            keys.change_password(self._actor.username, old_password, new_password)
            assert self._actor.user_id is not None  # OWN_ACCOUNT: a signed-in user
            _log_key_entry(batch, self._actor.user_id, key_entry(keys, self._actor.username),
                           "user.change_password", "")
            keys.save(self._db.paths.keys)

    @requires(Permission.MANAGE_USERS)
    def seal_center_ca(self, passphrase: bytes, *, fresh: bool = False) -> list[str]:
        """Seal the center CA's passphrase to every active admin who lacks it (an admin
        added, a password reset), or to every one (``fresh``: a passphrase just made);
        the admins sealed to now. Their key entries travel, so the CA opens for them on
        every workstation that holds it (ADR 0027)."""
        sealed: list[str] = []
        with self._writing() as batch:
            keys = load_keys(self._db.paths)
            for user_id, username in batch.conn.execute(select(User.id, User.username).where(
                    User.role == "admin", User.active)).all():
                if username in keys.users and (fresh or not keys.has_center_ca(username)):
                    keys.seal_center_ca(username, passphrase)
                    _log_key_entry(batch, user_id, key_entry(keys, username),
                                   "user.seal_center_ca", username)
                    sealed.append(username)
            if sealed:
                keys.save(self._db.paths.keys)
        return sealed

    @requires(Permission.MANAGE_USERS)
    def deactivate(self, username: str) -> None:
        """Stop a user from logging in (the row and their signatures stay)."""
        with self._writing() as batch:
            conn = batch.conn
            keys = load_keys(self._db.paths)
            found = conn.execute(
                select(User.id, User.role, User.active).where(User.username == username)
            ).first()
            if found is None:
                raise NotFound(what=f"user {username}")
            user_id = found.id
            if found.role == "admin" and found.active and _active_admins(conn) <= 1:
                # Nobody could then back up, re-key or manage users any more.
                raise InvalidInput(detail="the last active administrator cannot be deactivated")
            conn.execute(update(User).where(User.id == user_id)
                         .values(active=False, key_entry=None))
            batch.record("user", user_id, "update", {"active": False, "key_entry": None},
                         patient_id=None, action="user.deactivate", detail=username)
            keys.remove_user(username)
            keys.save(self._db.paths.keys)

    @requires(Permission.READ_CHART)
    def grant_clinical(self, username: str) -> None:
        """Seal the clinical key, which this clinician holds, to a clinical colleague."""
        with self._writing() as batch:
            found = batch.conn.execute(
                select(User.id, User.role, User.active).where(User.username == username)
            ).first()
            if found is None or not found.active:
                raise NotFound(what=f"user {username}")
            if found.role not in CLINICAL_ROLES:
                raise InvalidInput(detail=f"{username} is not a clinical user")
            keys = load_keys(self._db.paths)
            if username not in keys.users:
                raise NotFound(what=f"user {username}")
            assert self._db.clinical_key is not None  # _authorize checked it
            keys.seal_clinical(username, self._db.clinical_key)
            _log_key_entry(batch, found.id, key_entry(keys, username), "clinical.grant",
                           username)
            keys.save(self._db.paths.keys)

    @requires(Permission.READ_CHART)
    def pending_clinical(self) -> list[UserView]:
        """Active clinical colleagues who do not hold the clinical key (to be granted)."""
        keys = load_keys(self._db.paths)
        with self._read() as conn:
            rows = conn.execute(
                select(User).where(User.active, User.role.in_(sorted(CLINICAL_ROLES)))
                .order_by(User.username)
            ).all()
        return [UserView(u.id, u.username, u.full_name, u.role, u.active) for u in rows
                if u.username in keys.users and not keys.has_clinical(u.username)]

    @requires(Permission.OWN_ACCOUNT)
    def check_own_password(self, password: str) -> None:
        """Unlocking a locked session: WrongPassword unless it is this user's password.

        Both outcomes are audited (a run of failures on a locked workstation is worth
        seeing in the trail); the record stays open throughout.
        """
        try:
            load_keys(self._db.paths).private_key(self._actor.username, password)
        except WrongPassword:
            self._audit(AuditNote("session.unlock_failed", "user", self._actor.user_id))
            raise
        self._audit(AuditNote("session.unlock", "user", self._actor.user_id))

    @requires(Permission.OWN_ACCOUNT)
    def clinical_access(self) -> bool:
        """True when this session holds the clinical key (False: a grant is awaited)."""
        return self._db.clinical

    @requires(Permission.OWN_ACCOUNT)
    def account_notices(self) -> list[AccountNotice]:
        """For a clinician: clinical accounts an admin created or reset since their last login.

        Besides the audit, every GP and nurse sees these at login (hardening item 10):
        an admin who makes himself a clinical account, or resets a GP's password to log
        in as them, is noticed by the people whose record it is.
        """
        if self._actor.role not in CLINICAL_ROLES:
            return []
        with self._read() as conn:
            return _notices_since_last_login(conn, self._actor.user_id)

    @requires(Permission.READ_AGENDA)
    def list(self) -> list[UserView]:
        """Every user (the agenda needs the clinicians)."""
        with self._read() as conn:
            rows = conn.execute(select(User).order_by(User.username)).all()
        return [UserView(u.id, u.username, u.full_name, u.role, u.active) for u in rows]
