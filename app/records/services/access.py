"""The ``requires`` guard every service method carries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from app.records.permissions import CLINICAL, ROLE_PERMISSIONS, Permission

# The access table lives in app.records.permissions (the registry of kinds uses it too).
__all__ = ["CLINICAL", "ROLE_PERMISSIONS", "Permission", "permission_of", "requires"]

PERMISSION_ATTR = "__medirete_permission__"


class Guarded(Protocol):
    """What ``requires`` needs from the service it guards."""

    def _authorize(self, permission: Permission, action: str) -> None: ...


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=Guarded)


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Guard a service method: the role must hold ``permission`` or AccessDenied is raised."""

    # The guarded method keeps its exact signature, so mypy checks every call to a service.
    def decorate(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            self._authorize(permission, method.__qualname__)
            return method(self, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTR, permission)
        return guarded

    return decorate


def permission_of(method: Callable[..., Any]) -> Permission | None:
    """The permission a service method requires (None if unguarded: a bug)."""
    value = getattr(method, PERMISSION_ATTR, None)
    return value if isinstance(value, Permission) else None
