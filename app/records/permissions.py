"""Roles and the permissions they hold: the access table every guard and registry uses."""

from __future__ import annotations

import enum


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
    VERIFY = "verify"  # check integrity (a clinician's verify covers the clinical file)


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
    "gp": frozenset(_FRONT_DESK | CLINICAL | {Permission.READ_CODES, Permission.VERIFY}),
    "nurse": frozenset(
        _FRONT_DESK
        | {
            Permission.READ_CHART,
            Permission.WRITE_OBSERVATION,
            Permission.WRITE_VACCINATION,
            Permission.READ_CODES,
            Permission.VERIFY,
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
            Permission.VERIFY,
        }
    ),
}

CLINICAL_ROLES = frozenset(role for role, held in ROLE_PERMISSIONS.items() if held & CLINICAL)
