"""Permission matrix: every role × (own listing, another's listing, taxonomy) × action.

Each cell is checked twice: Wagtail's permission policy must say yes or no, and an
actual HTTP request through the admin must do (or refuse to do) the write. A refused
write is checked against the database, so "zero cross-organisation writes" is a fact
about stored data, not about which buttons render.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from cms.workflows.roles import Role
from directory.models import ServicePage, TaxonomyTerm
from tests.admin_forms import service_edit_form

ACTIONS = ("view_draft", "edit", "submit", "publish", "delete")

# role -> (own organisation's listing, another organisation's listing)
EXPECTED_LISTING = {
    Role.COUNCIL_ADMIN: ({"view_draft", "edit", "submit", "publish", "delete"},) * 2,
    Role.COUNCIL_MODERATOR: ({"view_draft", "edit", "submit", "publish", "delete"},) * 2,
    # Editors change and submit their own listings but never publish or delete live ones.
    Role.ORGANISATION_EDITOR: ({"view_draft", "edit", "submit"}, set()),
    Role.LOCAL_AREA_COORDINATOR: (set(), set()),
    Role.CONTACT_OFFICER: (set(), set()),
}
EXPECTED_TAXONOMY = {
    Role.COUNCIL_ADMIN: {"view", "add", "change", "delete"},
    Role.COUNCIL_MODERATOR: {"view", "add", "change"},
    Role.ORGANISATION_EDITOR: set(),
    Role.LOCAL_AREA_COORDINATOR: set(),
    Role.CONTACT_OFFICER: set(),
}


def policy_allows(user: Any, page: ServicePage, action: str) -> bool:
    perms = page.permissions_for_user(user)
    return {
        "view_draft": perms.can_edit(),
        "edit": perms.can_edit(),
        "submit": perms.can_edit() and perms.can_submit_for_moderation(),
        "publish": perms.can_publish(),
        "delete": perms.can_delete(),
    }[action]


def attempt(client: Any, page: ServicePage, action: str) -> bool:
    """Try the action through the admin; return True if it took effect in the database."""
    before = ServicePage.objects.get(pk=page.pk)
    if action == "view_draft":
        response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        return response.status_code == 200
    if action == "delete":
        client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        return not ServicePage.objects.filter(pk=page.pk).exists()
    new_title = f"{before.title} (changed)"
    form = service_edit_form(
        page,
        action={"edit": None, "submit": "submit", "publish": "publish"}[action],
        title=new_title,
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    after = ServicePage.objects.get(pk=page.pk)
    if action == "edit":
        return after.get_latest_revision_as_object().title == new_title
    if action == "submit":
        return WorkflowState.objects.filter(
            base_content_type_id__isnull=False, object_id=str(page.pk), status="in_progress"
        ).exists()
    return after.title == new_title and after.live  # publish changes the live row


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", ACTIONS)
def test_listing_permission_matrix(
    client: Any,
    make_user: Any,
    organisation: Any,
    service: ServicePage,
    other_service: ServicePage,
    role: Role,
    action: str,
) -> None:
    user = make_user(role, organisation if role == Role.ORGANISATION_EDITOR else None)
    client.force_login(user)
    own_expected, other_expected = EXPECTED_LISTING[role]

    for page, expected in ((service, own_expected), (other_service, other_expected)):
        allowed = action in expected
        assert policy_allows(user, page, action) is allowed, (role, action, page.title)
        assert attempt(client, page, action) is allowed, (role, action, page.title)


@pytest.mark.django_db
def test_refused_edit_writes_nothing_to_another_organisation(
    client: Any, make_user: Any, organisation: Any, other_service: ServicePage
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    client.force_login(editor)
    revisions_before = other_service.revisions.count()
    for action in ("edit", "submit", "publish"):
        form = service_edit_form(
            other_service, action=action if action != "edit" else None, title="Hijacked"
        )
        response = client.post(reverse("wagtailadmin_pages:edit", args=[other_service.pk]), form)
        assert response.status_code in (302, 403)
    other_service.refresh_from_db()
    assert other_service.title != "Hijacked"
    assert other_service.revisions.count() == revisions_before
    assert not ServicePage.objects.filter(title="Hijacked").exists()


@pytest.mark.django_db
def test_editor_cannot_add_a_listing_to_another_organisation(
    client: Any, make_user: Any, organisation: Any, other_organisation: Any
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    client.force_login(editor)
    other_add = reverse(
        "wagtailadmin_pages:add", args=["directory", "servicepage", other_organisation.pk]
    )
    own_add = reverse("wagtailadmin_pages:add", args=["directory", "servicepage", organisation.pk])
    assert client.get(other_add).status_code in (302, 403)
    assert client.get(own_add).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_taxonomy_permission_matrix(
    client: Any, make_user: Any, role: Role, organisation: Any
) -> None:
    user = make_user(role, organisation if role == Role.ORGANISATION_EDITOR else None)
    term = TaxonomyTerm.objects.get(code="lunch-clubs")
    for action in ("view", "add", "change", "delete"):
        expected = action in EXPECTED_TAXONOMY[role]
        assert user.has_perm(f"directory.{action}_taxonomyterm") is expected, (role, action)

    client.force_login(user)
    edit_url = reverse("wagtailsnippets_directory_taxonomyterm:edit", args=[term.pk])
    response = client.post(
        edit_url,
        {
            "taxonomy": term.taxonomy_id,
            "name": "Renamed",
            "code": term.code,
            "parent": term.parent_id or "",
            "description": "",
            "lga_service_id": term.lga_service_id,
            "synonyms": term.synonyms,
        },
    )
    term.refresh_from_db()
    changed = term.name == "Renamed"
    assert changed is ("change" in EXPECTED_TAXONOMY[role]), (role, response.status_code)


EXPECTED_CONCEPT = {
    Role.COUNCIL_ADMIN: {"view", "add", "change", "delete"},
    Role.COUNCIL_MODERATOR: {"view", "add", "change"},
    Role.ORGANISATION_EDITOR: set(),
    Role.LOCAL_AREA_COORDINATOR: set(),
    Role.CONTACT_OFFICER: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_concept_lexicon_permission_matrix(
    client: Any, make_user: Any, role: Role, organisation: Any
) -> None:
    """Only council admins and moderators edit the search words (vocabulary.Concept)."""
    from tests.vocabulary.admin import concept_edit_form
    from vocabulary.models import Concept

    user = make_user(role, organisation if role == Role.ORGANISATION_EDITOR else None)
    for action in ("view", "add", "change", "delete"):
        expected = action in EXPECTED_CONCEPT[role]
        assert user.has_perm(f"vocabulary.{action}_concept") is expected, (role, action)

    client.force_login(user)
    listing = client.get(reverse("wagtailsnippets_vocabulary_concept:list"))
    assert (listing.status_code == 200) is ("view" in EXPECTED_CONCEPT[role]), role
    concept = Concept.objects.get(slug="food-bank")
    form = concept_edit_form(concept)
    form["name"] = "Renamed"
    response = client.post(
        reverse("wagtailsnippets_vocabulary_concept:edit", args=[concept.pk]), form
    )
    concept.refresh_from_db()
    changed = concept.name == "Renamed"
    assert changed is ("change" in EXPECTED_CONCEPT[role]), (role, response.status_code)


# role -> (sees the moderation queue, opens the review of its own organisation's change,
#          approves or requests changes there, confirms its own listing from the panel,
#          confirms another organisation's listing from the panel)
EXPECTED_MODERATION = {
    Role.COUNCIL_ADMIN: (True, True, False, False, False),
    Role.COUNCIL_MODERATOR: (True, True, True, False, False),
    Role.ORGANISATION_EDITOR: (False, False, False, True, False),
    Role.LOCAL_AREA_COORDINATOR: (False, False, False, False, False),
    Role.CONTACT_OFFICER: (False, False, False, False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_moderation_and_editor_home_permission_matrix(
    client: Any,
    make_user: Any,
    organisation: Any,
    service: ServicePage,
    other_service: ServicePage,
    role: Role,
) -> None:
    """The moderation queue and review screen (lifecycle.moderation_views) and the
    editor's "Confirm it is still correct" (lifecycle.editor_home), checked by request
    and against the stored data."""
    submitter = make_user(Role.ORGANISATION_EDITOR, organisation)
    client.force_login(submitter)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[service.pk]),
        service_edit_form(service, action="submit", title="Awaiting a decision"),
    )
    user = submitter if role == Role.ORGANISATION_EDITOR else make_user(role, None)
    client.force_login(user)
    queue, review, decide, confirm_own, confirm_other = EXPECTED_MODERATION[role]

    assert (client.get(reverse("moderation_queue")).status_code == 200) is queue, role
    review_url = reverse("moderation_review", args=[service.pk])
    assert (client.get(review_url).status_code == 200) is review, role
    client.post(review_url, {"action": "reject", "comment": "Please add the times."})
    state = WorkflowState.objects.get(object_id=str(service.pk))
    assert (state.status == "needs_changes") is decide, role

    for page, expected in ((service, confirm_own), (other_service, confirm_other)):
        before = ServicePage.objects.get(pk=page.pk).last_verified_on
        response = client.post(reverse("editor_confirm_listing", args=[page.pk]), follow=True)
        reached = response.redirect_chain and "/listing-review/" in response.redirect_chain[-1][0]
        assert bool(reached) is expected, (role, page.title)
        # Starting never writes the date: only the confirmation page's own button does.
        assert ServicePage.objects.get(pk=page.pk).last_verified_on == before


# role -> (freshness dashboard and its CSV, listing review settings)
EXPECTED_FRESHNESS = {
    Role.COUNCIL_ADMIN: (True, True),
    Role.COUNCIL_MODERATOR: (True, False),
    Role.ORGANISATION_EDITOR: (False, False),
    Role.LOCAL_AREA_COORDINATOR: (False, False),
    Role.CONTACT_OFFICER: (False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_freshness_dashboard_and_review_settings_permission_matrix(
    client: Any, make_user: Any, organisation: Any, role: Role
) -> None:
    """The council's freshness dashboard (lifecycle.freshness_views) and the review
    interval (Settings › Listing reviews), by request and against the stored data."""
    from wagtail.models import Site

    from directory.models import ListingReviewSettings

    user = make_user(role, organisation if role == Role.ORGANISATION_EDITOR else None)
    client.force_login(user)
    dashboard, settings_edit = EXPECTED_FRESHNESS[role]
    url = reverse("freshness_dashboard")
    assert (client.get(url).status_code == 200) is dashboard, role
    assert (client.get(f"{url}?export=csv").status_code == 200) is dashboard, role

    site = Site.objects.get(is_default_site=True)
    edit = reverse("wagtailsettings:edit", args=["directory", "listingreviewsettings", site.pk])
    client.post(edit, {"review_interval_months": 3, "grace_days": 10})
    stored = ListingReviewSettings.objects.filter(site=site).first()
    changed = stored is not None and stored.review_interval_months == 3
    assert changed is settings_edit, role
