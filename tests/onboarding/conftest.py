"""Fixtures for onboarding: editors and lead editors of two organisations, and the
token an invitation email carries (read from the sent mail, as the invitee would)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from cms.workflows.roles import Role
from onboarding.invitations import invite
from onboarding.membership import add_editor
from onboarding.models import Invitation, InvitationRole
from tests.factories import UserFactory

TOKEN_IN_LINK = re.compile(r"/join/([A-Za-z0-9_-]+)/")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def emailed_token(to: str) -> str:
    """The token in the last invitation emailed to ``to``."""
    message = [m for m in mail.outbox if m.to == [to]][-1]
    found = TOKEN_IN_LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def invited(
    organisation: Any, email: str, role: str = InvitationRole.EDITOR, by: Any = None
) -> tuple[Invitation, str]:
    invitation = invite(organisation, email, role, by)
    return invitation, emailed_token(email)


@pytest.fixture
def editor(make_user: Any, organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, organisation)


@pytest.fixture
def other_editor(make_user: Any, other_organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, other_organisation)


@pytest.fixture
def lead(organisation: Any) -> Any:
    user = UserFactory(username="lead-editor", email="lead@example.org")
    add_editor(user, organisation, lead=True)
    return user


@pytest.fixture
def admin_user(make_user: Any) -> Any:
    return make_user(Role.COUNCIL_ADMIN)
