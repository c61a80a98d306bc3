"""Invitations: the token is emailed once, stored only as a hash, works once, expires,
and makes the person an editor of that one organisation and no other."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import OrganisationPage
from onboarding.invitations import hash_token
from onboarding.join_views import SESSION_KEY
from onboarding.membership import is_lead_of
from onboarding.models import Invitation, InvitationRole
from tests.factories import UserFactory
from tests.onboarding.conftest import invited, signed_in

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"
NEW = "new.editor@example.net"


def follow(client: Client, token: str) -> Any:
    """Open the emailed link; the join view redirects to the token-less accept page."""
    response = client.get(reverse("onboarding:join", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:accept")
    return client.get(response["Location"])


def set_password(client: Client) -> Any:
    return client.post(reverse("onboarding:accept"), {"password1": PASSWORD, "password2": PASSWORD})


def edits(user: Any, organisation: OrganisationPage) -> bool:
    organisation = OrganisationPage.objects.get(pk=organisation.pk)
    return user.groups.filter(pk=organisation.editors_group_id).exists()


def test_the_email_goes_to_the_invitee_with_a_link_and_only_a_hash_is_stored(
    organisation: Any, moderator: Any
) -> None:
    invitation, token = invited(organisation, NEW, by=moderator)
    [message] = mail.outbox
    assert message.to == [NEW]
    assert message.subject == (
        "You are invited to edit Poole Good Neighbours's listings – "
        "Bournemouth, Christchurch and Poole Council"
    )
    assert f"/join/{token}/" in message.body
    assert "stops working after 14 days" in message.body
    html = message.alternatives[0][0]
    assert f"/join/{token}/" in html
    assert invitation.token_hash == hash_token(token) != token
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)


def test_a_new_person_sets_a_password_and_lands_on_their_listings(
    client: Client, organisation: Any, other_organisation: Any
) -> None:
    invitation, token = invited(organisation, NEW)
    page = follow(client, token)
    assert page.status_code == 200
    assert "Set up your account" in page.text
    assert token not in page.text
    response = set_password(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[organisation.pk])
    user = Invitation.objects.get(pk=invitation.pk).accepted_by
    assert user.username == NEW and user.email == NEW and user.check_password(PASSWORD)
    assert edits(user, organisation) and not edits(user, other_organisation)
    assert not is_lead_of(user, organisation)
    # Signed in, and the explorer shows their organisation.
    assert client.get(response["Location"]).status_code == 200
    assert SESSION_KEY not in client.session


def test_a_lead_invitation_makes_a_lead_editor(client: Client, organisation: Any) -> None:
    invitation, token = invited(organisation, NEW, InvitationRole.LEAD)
    follow(client, token)
    set_password(client)
    user = Invitation.objects.get(pk=invitation.pk).accepted_by
    assert is_lead_of(user, organisation)


def test_the_link_works_once(client: Client, organisation: Any) -> None:
    _, token = invited(organisation, NEW)
    follow(client, token)
    set_password(client)
    again = follow(Client(), token)
    assert again.status_code == 410
    assert "already been used" in again.text
    # Even a second POST from the first browser adds nothing.
    response = Client().post(
        reverse("onboarding:accept"), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 404


def test_the_link_expires(client: Client, organisation: Any) -> None:
    _, token = invited(organisation, NEW)
    with time_machine.travel(timezone.now() + dt.timedelta(days=14, seconds=1)):
        page = follow(client, token)
        assert page.status_code == 410
        assert "expired" in page.text
        assert set_password(client).status_code == 410
    assert not UserFactory._meta.model.objects.filter(username=NEW).exists()


def test_a_link_still_works_the_day_before_it_expires(client: Client, organisation: Any) -> None:
    _, token = invited(organisation, NEW)
    with time_machine.travel(timezone.now() + dt.timedelta(days=13, hours=23)):
        assert follow(client, token).status_code == 200
        assert set_password(client).status_code == 302


@pytest.mark.parametrize(
    "token", ["nonsense", "A" * 43, "9" * 30, "x" * 200, "%00", "é"], ids=str.__len__
)
def test_unknown_or_malformed_tokens_get_a_clear_page(client: Client, token: str) -> None:
    response = client.get(f"/join/{token}/", follow=True)
    assert response.status_code == 404
    if response.redirect_chain:
        assert "This invitation link does not work" in response.text


def test_the_accept_page_without_a_link_says_so(client: Client) -> None:
    response = client.get(reverse("onboarding:accept"))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.text
    assert client.post(reverse("onboarding:accept"), {"password1": "x"}).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_with_a_message(
    client: Client, organisation: Any
) -> None:
    _, token = invited(organisation, NEW)
    follow(client, token)
    weak = client.post(
        reverse("onboarding:accept"), {"password1": "password", "password2": "password"}
    )
    assert weak.status_code == 400
    assert "This password is too common" in weak.text
    # What was typed is never written back into the page.
    assert 'value="password"' not in weak.text
    mismatch = client.post(
        reverse("onboarding:accept"), {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert "The passwords do not match" in mismatch.text
    assert not UserFactory._meta.model.objects.filter(username=NEW).exists()


def test_an_existing_user_signs_in_then_accepts(
    organisation: Any, other_organisation: Any, other_editor: Any
) -> None:
    _, token = invited(organisation, other_editor.email)
    client = Client()
    page = follow(client, token)
    assert "Sign in to accept your invitation" in page.text
    assert "next=/join/accept/" in page.text.replace("%2F", "/")
    client.force_login(other_editor)
    confirm = client.get(reverse("onboarding:accept"))
    assert "Accept invitation" in confirm.text
    response = client.post(reverse("onboarding:accept"))
    assert response["Location"] == reverse("wagtailadmin_explore", args=[organisation.pk])
    assert edits(other_editor, organisation) and edits(other_editor, other_organisation)


def test_someone_else_signed_in_cannot_take_the_invitation(
    organisation: Any, other_editor: Any
) -> None:
    """An editor of B holding a link meant for another person gains nothing."""
    _, token = invited(organisation, NEW)
    client = signed_in(other_editor)
    page = follow(client, token)
    assert page.status_code == 403
    assert "signed in as someone else" in page.text
    assert client.post(reverse("onboarding:accept")).status_code == 403
    assert not edits(other_editor, organisation)


def test_a_token_for_one_organisation_never_grants_another(
    client: Client, organisation: Any, other_organisation: Any
) -> None:
    """The token names the invitation, which names its organisation: nothing a visitor
    sends can point it elsewhere."""
    invited(other_organisation, "someone@example.net")
    invitation, token = invited(organisation, NEW)
    follow(client, token)
    response = client.post(
        reverse("onboarding:accept") + f"?organisation={other_organisation.pk}",
        {"password1": PASSWORD, "password2": PASSWORD, "organisation": other_organisation.pk},
    )
    assert response["Location"] == reverse("wagtailadmin_explore", args=[organisation.pk])
    user = Invitation.objects.get(pk=invitation.pk).accepted_by
    assert edits(user, organisation) and not edits(user, other_organisation)


def test_no_token_or_address_is_logged(
    client: Client, organisation: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, token = invited(organisation, NEW)
    follow(client, token)
    set_password(client)
    assert caplog.records
    assert token not in caplog.text and NEW not in caplog.text
