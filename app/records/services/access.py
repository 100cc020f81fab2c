"""Roles, permissions and the ``requires`` guard every service method carries."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar


class Permission(enum.Enum):
    """What a service method needs; roles are sets of these."""

    READ_DEMOGRAPHICS = "read-demographics"
    WRITE_DEMOGRAPHICS = "write-demographics"
    READ_AGENDA = "read-agenda"
    WRITE_AGENDA = "write-agenda"
    READ_CHART = "read-chart"
    WRITE_CLINICAL = "write-clinical"
    WRITE_OBSERVATION = "write-observation"
    WRITE_VACCINATION = "write-vaccination"
    READ_CODES = "read-codes"
    MANAGE_CODES = "manage-codes"
    MANAGE_USERS = "manage-users"
    READ_AUDIT = "read-audit"
    OWN_ACCOUNT = "own-account"
    MAINTAIN = "maintain"


# Permissions that reveal or change clinical content: the secretary and the admin
# have none of them, and the records layer (not only the UI) refuses them.
CLINICAL = frozenset(
    {
        Permission.READ_CHART,
        Permission.WRITE_CLINICAL,
        Permission.WRITE_OBSERVATION,
        Permission.WRITE_VACCINATION,
    }
)

_FRONT_DESK = {
    Permission.READ_DEMOGRAPHICS,
    Permission.WRITE_DEMOGRAPHICS,
    Permission.READ_AGENDA,
    Permission.WRITE_AGENDA,
    Permission.OWN_ACCOUNT,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "gp": frozenset(_FRONT_DESK | CLINICAL | {Permission.READ_CODES}),
    "nurse": frozenset(
        _FRONT_DESK
        | {
            Permission.READ_CHART,
            Permission.WRITE_OBSERVATION,
            Permission.WRITE_VACCINATION,
            Permission.READ_CODES,
        }
    ),
    "secretary": frozenset(_FRONT_DESK),
    "admin": frozenset(
        {
            Permission.READ_DEMOGRAPHICS,
            Permission.READ_AGENDA,
            Permission.MANAGE_USERS,
            Permission.MANAGE_CODES,
            Permission.READ_CODES,
            Permission.READ_AUDIT,
            Permission.OWN_ACCOUNT,
            Permission.MAINTAIN,
        }
    ),
}

PERMISSION_ATTR = "__medirete_permission__"


class Guarded(Protocol):
    """What ``requires`` needs from the service it guards."""

    def _authorize(self, permission: Permission, action: str) -> None: ...


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=Guarded)


def requires(
    permission: Permission,
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Guard a service method: the role must hold ``permission`` or AccessDenied is raised."""

    def decorate(method: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(method)
        def guarded(self: Guarded, *args: Any, **kwargs: Any) -> R:
            self._authorize(permission, method.__qualname__)
            return method(self, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTR, permission)
        return guarded

    return decorate


def permission_of(method: Callable[..., Any]) -> Permission | None:
    """The permission a service method requires (None if unguarded: a bug)."""
    value = getattr(method, PERMISSION_ATTR, None)
    return value if isinstance(value, Permission) else None
