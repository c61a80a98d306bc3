"""The "Still correct" link: single use, expiring, bound to one listing, its
organisation and an editor of it; nothing changes on GET; the token leaves the address."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from cms.workflows.roles import Role
from directory.models import ServicePage
from directory.permissions import add_user_to_organisation
from lifecycle.models import ReviewToken
from lifecycle.review_links import TOKEN_VALID_DAYS, issue_token
from tests.factories import ServicePageFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD = dt.date(2025, 10, 28)


@pytest.fixture
def editor(make_user: Any, organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, organisation)


def link(service: ServicePage, token: str) -> str:
    return reverse("review_link", args=[service.pk, token])


def follow(client: Client, service: ServicePage, token: str) -> Any:
    """Open the link, then press the button; the final response."""
    opened = client.get(link(service, token))
    if opened.status_code != 302:
        return opened
    return client.post(opened["Location"])


def verified(service: ServicePage) -> dt.date | None:
    return ServicePage.objects.get(pk=service.pk).last_verified_on


def test_only_the_hash_is_stored(service: ServicePage, organisation: Any, editor: Any) -> None:
    token = issue_token(service, organisation, editor)
    stored = ReviewToken.objects.get()
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_get_changes_nothing_and_the_token_leaves_the_address(
    client: Client, service: ServicePage, organisation: Any, editor: Any
) -> None:
    token = issue_token(service, organisation, editor)
    opened = client.get(link(service, token))
    assert opened.status_code == 302
    assert token not in opened["Location"]
    page = client.get(opened["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    # A mail scanner fetching both addresses confirmed nothing.
    assert verified(service) == OLD
    assert not ReviewToken.objects.filter(used_at__isnull=False).exists()
    assert client.post(opened["Location"]).status_code == 302
    assert verified(service) == timezone.localdate()


def test_a_link_works_once(
    client: Client, service: ServicePage, organisation: Any, editor: Any
) -> None:
    token = issue_token(service, organisation, editor)
    assert follow(client, service, token).status_code == 302
    again = follow(Client(), service, token)
    assert again.status_code == 410
    assert "This link cannot be used" in again.content.decode()
    assert PageLogEntry.objects.filter(page=service, action="lifecycle.confirmed").count() == 1


def test_confirming_uses_up_the_other_editors_links(
    service: ServicePage, organisation: Any, editor: Any
) -> None:
    second = UserFactory(username="second-editor")
    add_user_to_organisation(second, organisation)
    first_token = issue_token(service, organisation, editor)
    second_token = issue_token(service, organisation, second)
    assert follow(Client(), service, first_token).status_code == 302
    assert follow(Client(), service, second_token).status_code == 410


def test_a_link_expires(service: ServicePage, organisation: Any, editor: Any) -> None:
    token = issue_token(service, organisation, editor)
    later = timezone.now() + dt.timedelta(days=TOKEN_VALID_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert follow(Client(), service, token).status_code == 410
    assert verified(service) == OLD


def test_an_expired_link_held_in_the_session_is_refused(
    service: ServicePage, organisation: Any, editor: Any
) -> None:
    client = Client()
    token = issue_token(service, organisation, editor)
    opened = client.get(link(service, token))
    later = timezone.now() + dt.timedelta(days=TOKEN_VALID_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.post(opened["Location"]).status_code == 410
    assert verified(service) == OLD


def test_a_link_for_one_listing_cannot_confirm_another(
    service: ServicePage, organisation: Any, editor: Any
) -> None:
    sibling = ServicePageFactory(parent=organisation, title="Friday Coffee Morning")
    token = issue_token(service, organisation, editor)
    assert follow(Client(), sibling, token).status_code == 410
    # Nor by swapping the listing in the address after the session holds the token.
    client = Client()
    client.get(link(service, token))
    swapped = reverse("review_confirm", args=[sibling.pk])
    assert client.post(swapped).status_code == 410
    assert verified(sibling) == OLD
    assert verified(service) == OLD


def test_a_link_is_bound_to_the_organisation(
    service: ServicePage, organisation: Any, other_organisation: Any, editor: Any
) -> None:
    token = issue_token(service, organisation, editor)
    # The listing moved to another organisation: the old organisation's link is void.
    ServicePage.objects.get(pk=service.pk).move(other_organisation, pos="last-child")
    assert follow(Client(), service, token).status_code == 410
    assert verified(service) == OLD


def test_a_link_dies_with_the_editors_membership(
    service: ServicePage, organisation: Any, editor: Any
) -> None:
    token = issue_token(service, organisation, editor)
    editor.groups.remove(organisation.editors_group)
    assert follow(Client(), service, token).status_code == 410
    assert verified(service) == OLD


def test_a_made_up_token_is_refused(client: Client, service: ServicePage) -> None:
    assert client.get(link(service, "x" * 43)).status_code == 410
    assert client.get(reverse("review_confirm", args=[service.pk])).status_code == 410
    assert client.get(f"/listing-review/{'9' * 20}/{'x' * 43}/").status_code == 410


def test_a_later_publish_keeps_the_confirmed_date(
    service: ServicePage, organisation: Any, editor: Any
) -> None:
    draft = ServicePage.objects.get(pk=service.pk)
    draft.summary = "Now with a pudding."
    revision = draft.save_revision()
    token = issue_token(service, organisation, editor)
    assert follow(Client(), service, token).status_code == 302
    live = ServicePage.objects.get(pk=service.pk)
    assert live.summary != "Now with a pudding."  # the draft is still only a draft
    revision.refresh_from_db()
    revision.publish()
    published = ServicePage.objects.get(pk=service.pk)
    assert published.summary == "Now with a pudding."
    assert published.last_verified_on == timezone.localdate()
    assert published.last_verified_by == editor


def test_no_token_in_the_logs(
    client: Client,
    service: ServicePage,
    organisation: Any,
    editor: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = issue_token(service, organisation, editor)
    follow(client, service, token)
    assert token not in caplog.text
    assert editor.email not in caplog.text


def test_following_links_is_rate_limited(
    client: Client, service: ServicePage, settings: Any
) -> None:
    settings.RATE_LIMITS = {"review-link-ip": "2/h"}
    for _ in range(2):
        assert client.get(link(service, "y" * 43)).status_code == 410
    assert client.get(link(service, "y" * 43)).status_code == 429
