"""Who counts as staff for resource lists and the signposting console."""

from __future__ import annotations

from typing import Any

from cms.workflows.roles import COUNCIL_STAFF_ROLES, SIGNPOSTING_ROLES, Role

# The role recorded in the anonymous log: the signposting roles first, because a
# coordinator who is also a moderator is signposting when they use these tools.
_ROLE_PRIORITY: tuple[Role, ...] = (*SIGNPOSTING_ROLES, Role.COUNCIL_MODERATOR, Role.COUNCIL_ADMIN)


def _group_names(user: Any) -> set[str]:
    cached = getattr(user, "_resource_list_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._resource_list_groups = cached
    return cached


def is_signposting_staff(user: Any) -> bool:
    """Coordinators, contact officers and council admins/moderators (or a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(_group_names(user) & {role.value for role in COUNCIL_STAFF_ROLES})


def is_council_manager(user: Any) -> bool:
    """Council admins and moderators: the people who see the demand dashboard."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(_group_names(user) & {Role.COUNCIL_ADMIN.value, Role.COUNCIL_MODERATOR.value})


def staff_role(user: Any) -> str:
    """The role name to record in the anonymous log ('' for a non-staff user)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    names = _group_names(user)
    for role in _ROLE_PRIORITY:
        if role.value in names:
            return role.value
    return "Superuser" if user.is_superuser else ""
