"""The roles the directory recognises, each a Django group created by migration, and
the one set of checks every app asks: "is this person council staff?" and the like.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    COUNCIL_ADMIN = "Council admins"
    COUNCIL_MODERATOR = "Council moderators"
    ORGANISATION_EDITOR = "Organisation editors"
    LOCAL_AREA_COORDINATOR = "Local Area Coordinators"
    CONTACT_OFFICER = "Contact officers"


#: Roles whose members are council staff who see all published content and build
#: resource lists, but never edit a listing.
SIGNPOSTING_ROLES = (Role.LOCAL_AREA_COORDINATOR, Role.CONTACT_OFFICER)
COUNCIL_MANAGER_ROLES = (Role.COUNCIL_ADMIN, Role.COUNCIL_MODERATOR)
COUNCIL_STAFF_ROLES = (*COUNCIL_MANAGER_ROLES, *SIGNPOSTING_ROLES)

#: The role recorded for anonymous signposting: the signposting roles first, because a
#: coordinator who is also a moderator is signposting when they use those tools.
SIGNPOSTING_FIRST = (*SIGNPOSTING_ROLES, Role.COUNCIL_MODERATOR, Role.COUNCIL_ADMIN)

APPROVAL_WORKFLOW_NAME = "Council approval"
APPROVAL_TASK_NAME = "Council moderator approval"


def role_names(user: Any) -> set[str]:
    """The user's group names, read once per user object (so once per request)."""
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_council_staff(user: Any) -> bool:
    """Council admins, moderators, coordinators and contact officers (or a superuser):
    the people who signpost, build resource lists and give feedback on suggestions."""
    if not _is_signed_in(user):
        return False
    return user.is_superuser or not role_names(user).isdisjoint(COUNCIL_STAFF_ROLES)


def is_council_manager(user: Any) -> bool:
    """Council admins and moderators (or a superuser): the people who see the demand
    dashboard and run imports."""
    if not _is_signed_in(user):
        return False
    return user.is_superuser or not role_names(user).isdisjoint(COUNCIL_MANAGER_ROLES)


def staff_role(
    user: Any,
    priority: Sequence[Role] = SIGNPOSTING_FIRST,
    superuser_label: str = "Superuser",
) -> str:
    """The one role name to record for this user ('' for someone who is not staff):
    the first of ``priority`` they hold, else ``superuser_label`` for a superuser."""
    if not getattr(user, "is_authenticated", False):
        return ""
    names = role_names(user)
    for role in priority:
        if role.value in names:
            return role.value
    return superuser_label if user.is_superuser else ""
