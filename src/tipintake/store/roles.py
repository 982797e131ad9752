"""Roles and the one permission table that decides who may do what."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    READ_IDENTITY = "read_identity"
    CREATE = "create"
    EDIT = "edit"
    EXPORT = "export"
    SHARE = "share"
    MANAGE_USERS = "manage_users"


ROLES = ("admin", "case_manager", "interviewer", "viewer")

# Need to know: viewers see case context and figures, never who the person is.
PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "case_manager": frozenset(
        {Permission.READ_IDENTITY, Permission.CREATE, Permission.EDIT, Permission.EXPORT,
         Permission.SHARE}
    ),
    "interviewer": frozenset({Permission.READ_IDENTITY, Permission.CREATE, Permission.EDIT}),
    "viewer": frozenset(),
}


def allows(role: str, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return permission in PERMISSIONS.get(role, frozenset())
