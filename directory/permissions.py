"""Who may do what to an organisation's listings.

Each organisation page gets its own editors group holding *add* and *change* page
permissions on that organisation's subtree, and nothing else: no publish, no bulk
delete. Every publish therefore goes through the "Council approval" workflow.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from cms.workflows.roles import Role

ORGANISATION_EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")


def editors_group_name(organisation_title: str, pk: int) -> str:
    # Group names must be unique and at most 150 characters; the pk keeps two
    # organisations with the same name apart.
    return f"Editors: {organisation_title[:120]} (#{pk})"


@transaction.atomic
def ensure_organisation_editors(organisation: object) -> Group:
    """Create (or repair) the editors group for an organisation page and return it."""
    from directory.models import OrganisationPage

    assert isinstance(organisation, OrganisationPage)
    group = organisation.editors_group
    if group is None:
        group, _ = Group.objects.get_or_create(
            name=editors_group_name(organisation.title, organisation.pk)
        )
        OrganisationPage.objects.filter(pk=organisation.pk).update(editors_group=group)
        organisation.editors_group = group
    for codename in ORGANISATION_EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page=organisation, permission=permission
        )
    return group


def add_user_to_organisation(user: object, organisation: object) -> None:
    """Make a user an editor of one organisation (and give them admin access)."""
    from django.contrib.auth.models import AbstractBaseUser

    assert isinstance(user, AbstractBaseUser)
    group = ensure_organisation_editors(organisation)
    user.groups.add(group, Group.objects.get(name=Role.ORGANISATION_EDITOR.value))  # type: ignore[attr-defined]
