"""Who may invite and remove an organisation's editors.

- Council admins and moderators: any organisation, as editor or lead editor.
- A lead editor: only the organisations they lead (and are still an editor of), and
  only as editor; the council names new leads.
- Everyone else: nobody.

Being an editor is being in the organisation's ``Editors: …`` group, nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet

from cms.workflows.roles import Role, is_council_manager
from directory.models import OrganisationPage
from directory.permissions import add_user_to_organisation
from onboarding.models import InvitationRole, OrganisationMembership


def editors_of(organisation: OrganisationPage) -> QuerySet[Any]:
    users = get_user_model().objects.order_by("email", "username")
    if organisation.editors_group_id is None:
        return users.none()
    return users.filter(groups=organisation.editors_group_id)


def lead_ids(organisation: OrganisationPage) -> set[int]:
    return set(
        OrganisationMembership.objects.filter(organisation=organisation, is_lead=True).values_list(
            "user_id", flat=True
        )
    )


def led_organisations(user: Any) -> QuerySet[OrganisationPage]:
    """The organisations the user leads while still in their editors group."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return OrganisationPage.objects.none()
    return OrganisationPage.objects.filter(
        memberships__user=user, memberships__is_lead=True, editors_group__user=user
    ).distinct()


def is_lead_of(user: Any, organisation: OrganisationPage) -> bool:
    return led_organisations(user).filter(pk=organisation.pk).exists()


def manageable_organisations(user: Any) -> QuerySet[OrganisationPage]:
    """Where the user may invite, see and remove editors."""
    if is_council_manager(user):
        return OrganisationPage.objects.all()
    return led_organisations(user)


def may_manage(user: Any, organisation: OrganisationPage) -> bool:
    return is_council_manager(user) or is_lead_of(user, organisation)


def may_use_onboarding(user: Any) -> bool:
    """Whether the admin menu item shows: council managers and lead editors."""
    return is_council_manager(user) or led_organisations(user).exists()


def invitable_roles(user: Any) -> list[tuple[str, str]]:
    if is_council_manager(user):
        return list(InvitationRole.choices)
    return [(InvitationRole.EDITOR.value, InvitationRole.EDITOR.label)]


@transaction.atomic
def add_editor(user: Any, organisation: OrganisationPage, lead: bool = False) -> None:
    """Make ``user`` an editor of ``organisation`` (a lead if ``lead``; never demotes)."""
    add_user_to_organisation(user, organisation)
    membership, _ = OrganisationMembership.objects.get_or_create(
        user=user, organisation=organisation
    )
    if lead and not membership.is_lead:
        membership.is_lead = True
        membership.save(update_fields=["is_lead"])


@transaction.atomic
def remove_editor(user: Any, organisation: OrganisationPage) -> None:
    """Take ``user`` out of the organisation's editors group. Without another
    organisation left, they lose the Organisation editors role (and admin access) too."""
    if organisation.editors_group_id is not None:
        user.groups.remove(organisation.editors_group_id)
    OrganisationMembership.objects.filter(user=user, organisation=organisation).delete()
    if not OrganisationPage.objects.filter(editors_group__user=user).exists():
        user.groups.remove(*Group.objects.filter(name=Role.ORGANISATION_EDITOR.value))
