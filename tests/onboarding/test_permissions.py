"""Permission matrix for every onboarding admin view, in the style of
tests/directory/test_permissions.py: each person × each action, checked against the
stored data (or the page served), never against which buttons render.

People: anonymous, an editor of A, an editor of B, the lead editor of A, a moderator,
an admin and a Local Area Coordinator. No one but council managers acts beyond their
own organisation, and a lead acts only on A.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.workflows.roles import Role
from directory.ids import MAX_ID
from directory.models import OrganisationPage
from onboarding.forms import ListingRequestForm
from onboarding.membership import add_editor, is_lead_of, remove_editor
from onboarding.models import Claim, Invitation, InvitationRole, ListingRequest, RequestStatus
from onboarding.requests import file_listing_request
from tests.factories import UserFactory
from tests.onboarding.test_listing_requests import REQUEST

PEOPLE = ("anonymous", "editor_a", "editor_b", "lead_a", "moderator", "admin", "coordinator")
MANAGERS = {"moderator", "admin"}
LEAD_OF_A = {*MANAGERS, "lead_a"}

#: action -> who may do it
EXPECTED: dict[str, set[str]] = {
    "menu": LEAD_OF_A,
    "home": LEAD_OF_A,
    "invite_a": LEAD_OF_A,
    "invite_lead_a": MANAGERS,
    "invite_b": MANAGERS,
    "editors_a": LEAD_OF_A,
    "editors_b": MANAGERS,
    "remove_a": LEAD_OF_A,
    "remove_b": MANAGERS,
    "claims": MANAGERS,
    "claim": MANAGERS,
    "decide_claim": MANAGERS,
    "listing_requests": MANAGERS,
    "listing_request": MANAGERS,
    "decide_listing": MANAGERS,
}


@pytest.fixture
def world(
    db: None, make_user: Any, organisation: OrganisationPage, other_organisation: OrganisationPage
) -> dict[str, Any]:
    lead = UserFactory(username="lead-a", email="lead-a@example.org")
    add_editor(lead, organisation, lead=True)
    victim_a = UserFactory(username="victim-a")
    add_editor(victim_a, organisation)
    victim_b = UserFactory(username="victim-b")
    add_editor(victim_b, other_organisation)
    return {
        "a": organisation,
        "b": other_organisation,
        "victim_a": victim_a,
        "victim_b": victim_b,
        "claim": Claim.objects.create(
            organisation=organisation, name="Rita", email="rita@example.net", reason="I run it"
        ),
        "listing": file_listing_request(_cleaned(REQUEST)),
        "people": {
            "anonymous": None,
            "editor_a": make_user(Role.ORGANISATION_EDITOR, organisation),
            "editor_b": make_user(Role.ORGANISATION_EDITOR, other_organisation),
            "lead_a": lead,
            "moderator": make_user(Role.COUNCIL_MODERATOR),
            "admin": make_user(Role.COUNCIL_ADMIN),
            "coordinator": make_user(Role.LOCAL_AREA_COORDINATOR),
        },
    }


def _cleaned(data: dict[str, str]) -> dict[str, Any]:
    form = ListingRequestForm(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _serves(client: Client, url: str) -> bool:
    return client.get(url).status_code == 200


def _in_group(user: Any, organisation: OrganisationPage) -> bool:
    return user.groups.filter(pk=organisation.editors_group_id).exists()


def attempt(client: Client, world: dict[str, Any], action: str) -> bool:
    """Try the action; True if it took effect (or the page was served)."""
    a, b = world["a"], world["b"]
    invite = reverse("onboarding_invite")
    if action == "menu":
        return reverse("onboarding_home") in client.get(reverse("wagtailadmin_home")).text
    if action == "home":
        return _serves(client, reverse("onboarding_home"))
    if action.startswith("invite_"):
        organisation = b if action == "invite_b" else a
        role = InvitationRole.LEAD if action == "invite_lead_a" else InvitationRole.EDITOR
        client.post(
            invite, {"organisation": organisation.pk, "email": "new@example.net", "role": role}
        )
        return Invitation.objects.filter(organisation=organisation, role=role).exists()
    if action in ("editors_a", "editors_b"):
        organisation = a if action == "editors_a" else b
        return _serves(client, reverse("onboarding_editors", args=[organisation.pk]))
    if action in ("remove_a", "remove_b"):
        organisation, victim = (
            (a, world["victim_a"]) if action == "remove_a" else (b, world["victim_b"])
        )
        client.post(reverse("onboarding_remove_editor", args=[organisation.pk, victim.pk]))
        return not _in_group(victim, organisation)
    if action == "claims":
        return _serves(client, reverse("onboarding_claims"))
    if action == "claim":
        return _serves(client, reverse("onboarding_claim", args=[world["claim"].pk]))
    if action == "decide_claim":
        client.post(reverse("onboarding_claim", args=[world["claim"].pk]), {"decision": "refuse"})
        return Claim.objects.get(pk=world["claim"].pk).status == RequestStatus.REFUSED
    if action == "listing_requests":
        return _serves(client, reverse("onboarding_listing_requests"))
    if action == "listing_request":
        return _serves(client, reverse("onboarding_listing_request", args=[world["listing"].pk]))
    assert action == "decide_listing"
    pk = world["listing"].pk
    client.post(reverse("onboarding_listing_request", args=[pk]), {"decision": "approve"})
    return ListingRequest.objects.get(pk=pk).status == RequestStatus.APPROVED


#: The order actions are tried in within one test: reads before the writes, and no
#: write changes what a later action checks.
ORDER = (
    "menu",
    "home",
    "editors_a",
    "editors_b",
    "claims",
    "claim",
    "listing_requests",
    "listing_request",
    "invite_a",
    "invite_lead_a",
    "invite_b",
    "remove_a",
    "remove_b",
    "decide_claim",
    "decide_listing",
)


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_onboarding_permission_matrix(world: dict[str, Any], who: str) -> None:
    """Every action for one person (one test per person: the world is costly to build)."""
    assert sorted(ORDER) == sorted(EXPECTED)
    client = Client()
    user = world["people"][who]
    if user is not None:
        client.force_login(user)
    done = {action: attempt(client, world, action) for action in ORDER}
    assert done == {action: who in EXPECTED[action] for action in ORDER}, who


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(world: dict[str, Any]) -> None:
    response = Client().get(reverse("onboarding_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.django_db
def test_a_lead_cannot_invite_to_another_organisation_or_name_a_lead(
    world: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(world["people"]["lead_a"])
    url = reverse("onboarding_invite")
    to_b = client.post(
        url, {"organisation": world["b"].pk, "email": "x@example.net", "role": "editor"}
    )
    assert "Choose one of the organisations you manage" in to_b.text
    as_lead = client.post(
        url, {"organisation": world["a"].pk, "email": "x@example.net", "role": "lead"}
    )
    assert as_lead.status_code == 200
    assert not Invitation.objects.exists()
    # The form offers only A.
    form = client.get(url).text
    assert world["a"].title in form and world["b"].title not in form


@pytest.mark.django_db
def test_a_lead_removed_from_the_group_is_no_longer_a_lead(world: dict[str, Any]) -> None:
    lead = world["people"]["lead_a"]
    remove_editor(lead, world["a"])
    assert not is_lead_of(lead, world["a"])
    assert not lead.groups.filter(name=Role.ORGANISATION_EDITOR.value).exists()
    client = Client()
    client.force_login(lead)
    # No organisation left: no admin access at all, so Wagtail asks them to sign in.
    assert client.get(reverse("onboarding_home")).status_code in (302, 403)
    assert not _serves(client, reverse("onboarding_editors", args=[world["a"].pk]))


@pytest.mark.django_db
def test_removing_keeps_the_role_while_another_organisation_remains(
    world: dict[str, Any],
) -> None:
    victim = world["victim_a"]
    add_editor(victim, world["b"])
    remove_editor(victim, world["a"])
    assert victim.groups.filter(name=Role.ORGANISATION_EDITOR.value).exists()
    assert _in_group(victim, world["b"]) and not _in_group(victim, world["a"])


@pytest.mark.django_db
def test_the_invite_action_shows_on_organisations_the_user_manages(world: dict[str, Any]) -> None:
    a, b = world["a"], world["b"]
    invite_a = f"{reverse('onboarding_invite')}?organisation={a.pk}"
    lead = Client()
    lead.force_login(world["people"]["lead_a"])
    assert invite_a in lead.get(reverse("wagtailadmin_explore", args=[a.pk])).text
    editor = Client()
    editor.force_login(world["people"]["editor_a"])
    assert invite_a not in editor.get(reverse("wagtailadmin_explore", args=[a.pk])).text
    moderator = Client()
    moderator.force_login(world["people"]["moderator"])
    explore_b = moderator.get(reverse("wagtailadmin_explore", args=[b.pk])).text
    assert f"{reverse('onboarding_invite')}?organisation={b.pk}" in explore_b


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["0", "999999999", str(MAX_ID + 1), "9" * 20])
def test_unknown_and_huge_ids_are_404(world: dict[str, Any], bad: str) -> None:
    client = Client()
    client.force_login(world["people"]["moderator"])
    for url in (
        f"/admin/onboarding/organisations/{bad}/editors/",
        f"/admin/onboarding/claims/{bad}/",
        f"/admin/onboarding/listing-requests/{bad}/",
    ):
        assert client.get(url).status_code == 404, url
    remove = f"/admin/onboarding/organisations/{world['a'].pk}/editors/{bad}/remove/"
    assert client.post(remove).status_code == 404
    assert client.get(f"/admin/onboarding/invite/?organisation={bad}").status_code == 200


@pytest.mark.django_db
def test_invitations_from_the_admin_are_emailed_and_capped_per_user(
    world: dict[str, Any], settings: Any
) -> None:
    settings.RATE_LIMITS = {"invite-user": "2/h"}
    client = Client()
    client.force_login(world["people"]["lead_a"])
    url = reverse("onboarding_invite")
    responses = [
        client.post(
            url, {"organisation": world["a"].pk, "email": f"x{i}@example.net", "role": "editor"}
        )
        for i in range(3)
    ]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert responses[0]["Location"] == reverse("onboarding_editors", args=[world["a"].pk])
    assert sorted(i.email for i in Invitation.objects.all()) == ["x0@example.net", "x1@example.net"]
    assert sorted(m.to[0] for m in mail.outbox) == ["x0@example.net", "x1@example.net"]
    assert all(world["a"].title in m.subject for m in mail.outbox)
