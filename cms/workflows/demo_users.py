"""One demo login per role, so a council can try every journey straight away."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cms.workflows.roles import Role
from directory.models import OrganisationPage
from directory.permissions import add_user_to_organisation


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    password: str | None  # None when the account already existed (not shown again)
    note: str = ""


DEMO_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("council-admin", Role.COUNCIL_ADMIN),
    ("council-moderator", Role.COUNCIL_MODERATOR),
    ("org-editor", Role.ORGANISATION_EDITOR),
    ("area-coordinator", Role.LOCAL_AREA_COORDINATOR),
    ("contact-officer", Role.CONTACT_OFFICER),
)


def demo_organisation() -> OrganisationPage | None:
    """The organisation the demo editor looks after: the one with most listings."""
    organisations = list(OrganisationPage.objects.all())
    return max(organisations, key=lambda org: org.numchild, default=None)


@transaction.atomic
def create_demo_users(reset_passwords: bool = False) -> list[DemoLogin]:
    user_model = get_user_model()
    logins = []
    for username, role in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": role.value.rstrip("s")},
        )
        password = None
        if created or reset_passwords:
            # Random per install: demo passwords must never be guessable on a shared server.
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        note = ""
        if role == Role.ORGANISATION_EDITOR:
            organisation = demo_organisation()
            if organisation is not None:
                add_user_to_organisation(user, organisation)
                note = f"edits “{organisation.title}”"
            else:
                note = "no organisation yet: import listings, then run this again"
        logins.append(DemoLogin(username, role, password, note))
    return logins
