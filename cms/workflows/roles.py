"""The roles the directory recognises, each a Django group created by migration."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COUNCIL_ADMIN = "Council admins"
    COUNCIL_MODERATOR = "Council moderators"
    ORGANISATION_EDITOR = "Organisation editors"
    LOCAL_AREA_COORDINATOR = "Local Area Coordinators"
    CONTACT_OFFICER = "Contact officers"


#: Roles whose members are council staff who see all published content and build
#: resource lists, but never edit a listing.
SIGNPOSTING_ROLES = (Role.LOCAL_AREA_COORDINATOR, Role.CONTACT_OFFICER)
COUNCIL_STAFF_ROLES = (Role.COUNCIL_ADMIN, Role.COUNCIL_MODERATOR, *SIGNPOSTING_ROLES)

APPROVAL_WORKFLOW_NAME = "Council approval"
APPROVAL_TASK_NAME = "Council moderator approval"
