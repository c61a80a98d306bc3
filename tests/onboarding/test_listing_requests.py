"""'Ask to be listed': a draft organisation and service nobody sees until a moderator
publishes them (through their revisions, so search hears of it), or deletes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.signals import page_published

from directory.models import OrganisationPage, ServicePage
from onboarding.models import InvitationRole, ListingRequest, RequestStatus
from tests.onboarding.conftest import signed_in

pytestmark = pytest.mark.django_db

URL = "/ask-to-be-listed/"
REQUEST = {
    "organisation_name": "Hamworthy Knit and Natter",
    "description": "A friendly knitting group.\nAll welcome.",
    "organisation_email": "knit@example.net",
    "organisation_phone": "01202 555 123",
    "organisation_website": "knit.example.net",
    "service_name": "Thursday Knit and Natter",
    "service_summary": "Bring your needles, we bring the tea.",
    "town": "Hamworthy",
    "postcode": "bh15 4aa",
    "requester_name": "Kath Knitter",
    "requester_email": "kath@example.net",
    "website": "",
}


def send(client: Client, **changes: str) -> Any:
    return client.post(URL, {**REQUEST, **changes})


def test_a_request_creates_draft_pages_and_tells_the_moderators(
    client: Client, moderator: Any
) -> None:
    assert client.get(URL).status_code == 200
    response = send(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:listing_request_sent")
    request = ListingRequest.objects.get()
    organisation = OrganisationPage.objects.get(pk=request.organisation_id)
    service = ServicePage.objects.child_of(organisation).get()
    assert (organisation.title, organisation.live, organisation.website) == (
        "Hamworthy Knit and Natter",
        False,
        "https://knit.example.net",
    )
    assert organisation.description == "A friendly knitting group.\nAll welcome."
    assert organisation.editors_group_id is not None
    assert (service.title, service.live, service.summary) == (
        "Thursday Knit and Natter",
        False,
        "Bring your needles, we bring the tea.",
    )
    [location] = service.locations.all()
    assert (location.city, location.postcode) == ("Hamworthy", "BH15 4AA")
    # Nobody sees a draft: not the public page, the search or the API.
    assert not OrganisationPage.objects.published().filter(pk=organisation.pk).exists()
    assert not ServicePage.objects.published().filter(pk=service.pk).exists()
    assert client.get(f"/{organisation.slug}/").status_code == 404
    [message] = mail.outbox
    assert message.to == [moderator.email]
    assert reverse("onboarding_listing_request", args=[request.pk]) in message.body
    for typed in REQUEST.values():
        if typed:
            assert typed not in message.body


def test_bad_input_gets_messages_and_creates_nothing(client: Client) -> None:
    response = send(
        client,
        organisation_name="",
        postcode="ZZ ZZZ",
        organisation_phone="12",
        organisation_website="not a site",
        requester_email="kath",
        service_summary="x" * 301,
    )
    assert response.status_code == 400
    for message in (
        "Enter the name of your group",
        "Enter a real postcode, like BH1 1AA",
        "Enter a phone number",
        "Enter a website address",
        "Enter an email address in the correct format",
        "must be 300 characters or fewer",
    ):
        assert message in response.text
    assert not ListingRequest.objects.exists()
    assert not OrganisationPage.objects.filter(title="").exists()


def test_honeypot_and_rate_limit(client: Client, settings: Any) -> None:
    settings.RATE_LIMITS = {"listing-request-ip": "2/h"}
    assert send(client, website="http://spam.example").status_code == 302
    assert not ListingRequest.objects.exists()
    assert not OrganisationPage.objects.filter(title=REQUEST["organisation_name"]).exists()
    assert send(client).status_code == 302
    assert send(client).status_code == 429
    assert ListingRequest.objects.count() == 1


def test_two_requests_with_the_same_name_get_their_own_pages(client: Client) -> None:
    send(client)
    send(client)
    slugs = {r.organisation.slug for r in ListingRequest.objects.all()}
    assert len(slugs) == 2


def test_approval_publishes_both_through_revisions_and_invites_the_requester(
    client: Client, moderator: Any
) -> None:
    send(client)
    request = ListingRequest.objects.get()
    published: list[int] = []

    def heard(sender: Any, instance: Any, **kwargs: Any) -> None:
        published.append(instance.pk)

    page_published.connect(heard)
    mail.outbox.clear()
    try:
        response = signed_in(moderator).post(
            reverse("onboarding_listing_request", args=[request.pk]), {"decision": "approve"}
        )
    finally:
        page_published.disconnect(heard)
    assert response.status_code == 302
    request.refresh_from_db()
    organisation = OrganisationPage.objects.get(pk=request.organisation_id)
    service = ServicePage.objects.child_of(organisation).get()
    assert published == [organisation.pk, service.pk]
    assert ServicePage.objects.published().filter(pk=service.pk).exists()
    assert client.get(service.get_url()).status_code == 200
    assert request.status == RequestStatus.APPROVED
    assert (request.requester_name, request.requester_email) == ("", "")
    assert request.invitation.role == InvitationRole.LEAD
    assert request.invitation.organisation_id == organisation.pk
    [message] = mail.outbox
    assert message.to == ["kath@example.net"]
    assert "/join/" in message.body


def test_refusal_deletes_the_drafts(client: Client, moderator: Any) -> None:
    send(client)
    request = ListingRequest.objects.get()
    organisation_id = request.organisation_id
    mail.outbox.clear()
    signed_in(moderator).post(
        reverse("onboarding_listing_request", args=[request.pk]), {"decision": "refuse"}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.organisation is None
    assert request.organisation_name == "Hamworthy Knit and Natter"
    assert (request.requester_name, request.requester_email) == ("", "")
    assert not OrganisationPage.objects.filter(pk=organisation_id).exists()
    assert not ServicePage.objects.filter(title="Thursday Knit and Natter").exists()
    assert not mail.outbox


def test_refusal_never_deletes_a_page_someone_published(client: Client, moderator: Any) -> None:
    send(client)
    request = ListingRequest.objects.get()
    organisation = OrganisationPage.objects.get(pk=request.organisation_id)
    organisation.save_revision().publish()
    signed_in(moderator).post(
        reverse("onboarding_listing_request", args=[request.pk]), {"decision": "refuse"}
    )
    assert OrganisationPage.objects.filter(pk=organisation.pk, live=True).exists()


def test_the_draft_service_is_categorised_like_an_editors_save(client: Client) -> None:
    send(client, service_name="Tuesday Lunch Club", service_summary="A hot two-course lunch.")
    service = ServicePage.objects.get(title="Tuesday Lunch Club")
    codes = set(
        service.get_latest_revision_as_object().taxonomy_terms.values_list("code", flat=True)
    )
    assert "lunch-clubs" in codes


def test_every_public_page_offers_to_list_a_group(client: Client) -> None:
    # A group that is not listed has to find the form from wherever it lands.
    response = client.get("/search/")
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()
