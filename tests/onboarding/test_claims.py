"""'Is this your group? Ask to manage this listing': the public form, its abuse limits,
the moderators' email (no requester text), and the decision (invite or refuse), after
which the claimant's details are gone."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from directory.ids import MAX_ID
from directory.models import OrganisationPage, ServicePage
from onboarding.membership import is_lead_of
from onboarding.models import Claim, Invitation, InvitationRole, RequestStatus
from tests.factories import OrganisationPageFactory, ServicePageFactory
from tests.onboarding.conftest import emailed_token, signed_in

pytestmark = pytest.mark.django_db

CLAIM = {
    "name": "Rita Organiser",
    "email": "rita@example.net",
    "role": "Chair of the committee",
    "reason": "I run the Tuesday lunches and keep the bank account.",
    "website": "",
}


def claim_url(page: Any) -> str:
    return reverse("onboarding:claim", args=[page.pk])


def send(client: Client, page: Any, **changes: str) -> Any:
    return client.post(claim_url(page), {**CLAIM, **changes})


def test_every_organisation_and_service_page_links_to_the_form(
    client: Client, organisation: OrganisationPage, service: ServicePage
) -> None:
    for page in (organisation, service):
        html = client.get(page.get_url()).content.decode()
        assert f'href="{claim_url(page)}"' in html
        assert "Ask to manage this listing" in html


def test_a_claim_from_a_service_page_goes_to_the_queue_and_the_moderators(
    client: Client, service: ServicePage, organisation: OrganisationPage, moderator: Any
) -> None:
    form = client.get(claim_url(service))
    assert form.status_code == 200
    assert "Ask to manage this listing" in form.text and organisation.title in form.text
    response = send(client, service)
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:claim_sent", args=[service.pk])
    [claim] = Claim.objects.all()
    assert (claim.organisation_id, claim.name, claim.email, claim.status) == (
        organisation.pk,
        "Rita Organiser",
        "rita@example.net",
        RequestStatus.OPEN,
    )
    # One email, to the moderator, with the queue link and none of the claimant's words.
    [message] = mail.outbox
    assert message.to == [moderator.email]
    assert reverse("onboarding_claim", args=[claim.pk]) in message.body
    for typed in CLAIM.values():
        if typed:
            assert typed not in message.body and typed not in message.alternatives[0][0]
    sent = client.get(response["Location"])
    assert "Your request has been sent" in sent.text and "Rita" not in sent.text


def test_missing_and_bad_fields_get_govuk_errors(client: Client, organisation: Any) -> None:
    response = send(client, organisation, name="", email="not-an-email", reason="x" * 2001)
    assert response.status_code == 400
    html = response.text
    assert "There is a problem" in html
    assert 'href="#id_name">Enter your name' in html
    assert "Enter an email address in the correct format" in html
    assert "must be 2000 characters or fewer" in html
    assert not Claim.objects.exists() and not mail.outbox


def test_the_honeypot_drops_the_claim_silently(
    client: Client, organisation: Any, moderator: Any
) -> None:
    response = send(client, organisation, website="http://spam.example")
    assert response.status_code == 302
    assert not Claim.objects.exists() and not mail.outbox


def test_claims_are_rate_limited_per_address(
    client: Client, organisation: Any, settings: Any
) -> None:
    settings.RATE_LIMITS = {"claim-ip": "2/h"}
    assert send(client, organisation).status_code == 302
    assert send(client, organisation, website="robot").status_code == 302  # counted too
    refused = send(client, organisation)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert Claim.objects.count() == 1


@pytest.mark.parametrize("page_id", ["0", "99999999", str(MAX_ID + 1), "9" * 20])
def test_unknown_or_huge_ids_are_404(client: Client, page_id: str) -> None:
    assert client.get(f"/manage-this-listing/{page_id}/").status_code == 404
    assert client.post(f"/manage-this-listing/{page_id}/", CLAIM).status_code == 404
    assert client.get(f"/manage-this-listing/{page_id}/sent/").status_code == 404


def test_draft_and_withdrawn_listings_cannot_be_claimed(client: Client) -> None:
    withdrawn = OrganisationPageFactory(title="Withdrawn Group")
    service = ServicePageFactory(parent=withdrawn, title="Withdrawn Lunch")
    OrganisationPage.objects.get(pk=withdrawn.pk).unpublish()
    draft = ServicePage(title="Draft Walk", live=False)
    OrganisationPageFactory(title="Live Group").add_child(instance=draft)
    for page in (withdrawn, service, draft):
        assert client.get(claim_url(page)).status_code == 404
        assert send(client, page).status_code == 404
    assert not Claim.objects.exists()


def test_a_signed_in_editors_claim_is_only_a_claim(organisation: Any, other_editor: Any) -> None:
    """An editor of B claiming A waits in the queue like anyone; they gain nothing."""
    client = signed_in(other_editor)
    assert send(client, organisation, email=other_editor.email).status_code == 302
    assert Claim.objects.get().status == RequestStatus.OPEN
    perms = organisation.permissions_for_user(other_editor)
    assert not perms.can_edit()
    assert not Invitation.objects.exists()


def test_approving_invites_the_claimant_as_lead_and_erases_their_details(
    client: Client, organisation: Any, moderator: Any
) -> None:
    send(client, organisation)
    claim = Claim.objects.get()
    mail.outbox.clear()
    response = signed_in(moderator).post(
        reverse("onboarding_claim", args=[claim.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == RequestStatus.APPROVED and claim.decided_by == moderator
    assert (claim.name, claim.email, claim.role, claim.reason) == ("", "", "", "")
    invitation = claim.invitation
    assert (invitation.organisation_id, invitation.email, invitation.role) == (
        organisation.pk,
        "rita@example.net",
        InvitationRole.LEAD,
    )
    # The claimant's one email: the invitation, which works for this organisation.
    [message] = mail.outbox
    assert message.to == ["rita@example.net"]
    token = emailed_token("rita@example.net")
    joining = Client()
    joining.get(reverse("onboarding:join", args=[token]))
    joining.post(
        reverse("onboarding:accept"),
        {
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )
    invitation.refresh_from_db()
    assert is_lead_of(invitation.accepted_by, organisation)


def test_refusing_records_it_and_erases_the_details(
    client: Client, organisation: Any, moderator: Any
) -> None:
    send(client, organisation)
    claim = Claim.objects.get()
    mail.outbox.clear()
    signed_in(moderator).post(reverse("onboarding_claim", args=[claim.pk]), {"decision": "refuse"})
    claim.refresh_from_db()
    assert claim.status == RequestStatus.REFUSED and claim.invitation is None
    assert (claim.name, claim.email, claim.role, claim.reason) == ("", "", "", "")
    assert not mail.outbox and not Invitation.objects.exists()
    # A decided claim is not decided again.
    signed_in(moderator).post(reverse("onboarding_claim", args=[claim.pk]), {"decision": "approve"})
    assert Claim.objects.get().status == RequestStatus.REFUSED


def test_a_bad_decision_value_changes_nothing(
    client: Client, organisation: Any, moderator: Any
) -> None:
    send(client, organisation)
    claim = Claim.objects.get()
    response = signed_in(moderator).post(
        reverse("onboarding_claim", args=[claim.pk]), {"decision": "sudo"}
    )
    assert response.status_code == 200
    assert Claim.objects.get().status == RequestStatus.OPEN


def test_nothing_the_claimant_typed_is_logged(
    client: Client, organisation: Any, moderator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    send(client, organisation)
    signed_in(moderator).post(
        reverse("onboarding_claim", args=[Claim.objects.get().pk]), {"decision": "approve"}
    )
    assert caplog.records
    for typed in CLAIM.values():
        if typed:
            assert typed not in caplog.text
