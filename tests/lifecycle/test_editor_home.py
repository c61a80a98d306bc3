"""An organisation editor's home in the admin: "Your listings" with each listing's
status and next action (their own organisation's only), an admin named after the
council, and no menus or panels they cannot use."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu
from wagtail.models import Site, WorkflowState

from cms.home.models import SiteBranding
from cms.workflows.roles import Role
from directory.models import ServicePage
from lifecycle.editor_home import listings_for
from lifecycle.models import LinkCheck, LinkKind, LinkStatus, ProblemKind, ProblemReport
from tests.admin_forms import service_edit_form
from tests.factories import ServicePageFactory

pytestmark = pytest.mark.django_db

#: A day on which a listing checked on the factory's date (28 Oct 2025) is up to date.
TODAY = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)
COUNCIL = "Bournemouth, Christchurch and Poole Council"


@pytest.fixture(autouse=True)
def on_a_fixed_day() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(make_user: Any, organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, organisation)


def submit(editor: Any, service: ServicePage, **changes: Any) -> WorkflowState:
    body = service_edit_form(service, action="submit", **changes)
    signed_in(editor).post(reverse("wagtailadmin_pages:edit", args=[service.pk]), body)
    return WorkflowState.objects.get(object_id=str(service.pk), status="in_progress")


def row(html: str, page: Any) -> str:
    match = re.search(rf'<tr data-listing="{page.pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {page.title}"
    return match.group(1)


def statuses(row_html: str) -> set[str]:
    return set(re.findall(r'data-status="([a-z_]+)"', row_html))


# --- Your listings ------------------------------------------------------------------------


def test_your_listings_shows_each_status_and_the_action_that_fits(
    editor: Any,
    moderator: Any,
    organisation: Any,
    service: ServicePage,
    other_service: ServicePage,
) -> None:
    waiting = ServicePageFactory(parent=organisation, title="Wednesday Walk")
    sent_back = ServicePageFactory(parent=organisation, title="Thursday Knit")
    reported = ServicePageFactory(parent=organisation, title="Friday Film")
    broken = ServicePageFactory(
        parent=organisation, title="Saturday Sing", website="https://gone.example.org/"
    )
    overdue = ServicePageFactory(
        parent=organisation, title="Sunday Stroll", last_verified_on=dt.date(2025, 6, 1)
    )
    submit(editor, waiting, title="Wednesday Walk and Talk")
    state = submit(editor, sent_back, title="Thursday Knit and Natter")
    signed_in(moderator).post(
        reverse("moderation_review", args=[sent_back.pk]),
        {"action": "reject", "comment": "Say which hall it meets in."},
    )
    report = ProblemReport.objects.create(
        service=reported, kind=ProblemKind.WRONG_TIMES, details="It starts at 2pm now."
    )
    LinkCheck.objects.create(
        page=broken,
        kind=LinkKind.WEBSITE,
        target="https://gone.example.org/",
        status=LinkStatus.BROKEN,
        reason="HTTP 404",
        checked_at=timezone.now(),
        broken_since=timezone.now(),
    )

    response = signed_in(editor).get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Your listings" in html

    assert statuses(row(html, service)) == {"live"}
    assert reverse("wagtailadmin_pages:edit", args=[service.pk]) in row(html, service)
    assert statuses(row(html, organisation)) == {"live"}

    assert statuses(row(html, waiting)) == {"awaiting_approval"}
    waiting_state = WorkflowState.objects.get(object_id=str(waiting.pk))
    assert "View the moderation" in row(html, waiting)
    assert reverse(
        "wagtailadmin_pages:workflow_history_detail", args=[waiting.pk, waiting_state.pk]
    ) in row(html, waiting)

    assert statuses(row(html, sent_back)) == {"changes_requested"}
    assert "Say which hall it meets in." in row(html, sent_back)
    assert WorkflowState.objects.get(pk=state.pk).status == "needs_changes"

    assert statuses(row(html, reported)) == {"live", "problem_reported"}
    assert reverse("problem_report", args=[report.pk]) in row(html, reported)

    assert statuses(row(html, broken)) == {"live", "broken_link"}
    assert "Fix the link" in row(html, broken)

    assert statuses(row(html, overdue)) == {"live", "review_overdue"}
    assert "Confirm it is still correct" in row(html, overdue)

    # Nothing of another organisation's.
    assert other_service.title not in html
    assert f'data-listing="{other_service.pk}"' not in html


def test_an_unsubmitted_draft_says_so(editor: Any, service: ServicePage) -> None:
    body = service_edit_form(service, title="Saved, not sent")
    signed_in(editor).post(reverse("wagtailadmin_pages:edit", args=[service.pk]), body)
    html = signed_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert statuses(row(html, service)) == {"live", "not_submitted"}
    assert "Send for approval" in row(html, service)


def test_the_panel_queries_do_not_grow_with_the_listings(
    editor: Any, organisation: Any, service: ServicePage
) -> None:
    ServicePageFactory(parent=organisation)
    with CaptureQueriesContext(connection) as few:
        assert len(listings_for(editor)) == 3
    for _ in range(8):
        ServicePageFactory(parent=organisation)
    ProblemReport.objects.create(service=service, kind=ProblemKind.OTHER, details="x")
    with CaptureQueriesContext(connection) as many:
        assert len(listings_for(editor)) == 11
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_council_staff_get_no_listings_panel(moderator: Any, service: ServicePage) -> None:
    response = signed_in(moderator).get(reverse("wagtailadmin_home"))
    names = {getattr(panel, "name", "") for panel in response.context["panels"]}
    assert "your_listings" not in names
    assert "workflow_objects_to_moderate" in names


def test_editors_see_only_the_panels_they_can_use(editor: Any, service: ServicePage) -> None:
    response = signed_in(editor).get(reverse("wagtailadmin_home"))
    names = {getattr(panel, "name", "") for panel in response.context["panels"]}
    assert "your_listings" in names
    assert not names & {"locked_pages", "workflow_objects_to_moderate"}
    summary = response.context["site_summary"].summary_items
    assert [type(item).__name__ for item in summary] == ["PagesSummaryItem"]


# --- the admin's name ----------------------------------------------------------------------


def test_the_admin_is_named_after_the_council(editor: Any) -> None:
    html = signed_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    heading = re.search(r'<h1 class="w-h1 w-mt-0">(.*?)</h1>', html, re.S)
    assert title and heading
    assert COUNCIL in title.group(1) and "Wagtail" not in title.group(1)
    assert heading.group(1).strip() == COUNCIL
    assert "localhost" not in html  # Wagtail names a fresh Site after its hostname

    branding = SiteBranding.objects.get(site=Site.objects.get(is_default_site=True))
    branding.council_name = "Dorset Council"
    branding.save()
    html = signed_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    heading = re.search(r'<h1 class="w-h1 w-mt-0">(.*?)</h1>', html, re.S)
    assert heading and heading.group(1).strip() == "Dorset Council"
    login = Client().get(reverse("wagtailadmin_login")).content.decode()
    assert "Sign in to Dorset Council" in login
    assert re.search(r"<title>[^<]*Dorset Council\s*</title>", login)


# --- menus -----------------------------------------------------------------------------------


def menu_names(user: Any) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in admin_menu.menu_items_for_request(request)}


def test_editors_menu_holds_only_what_they_can_use(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    names = menu_names(editor)
    assert "explorer" in names and "problem-reports" in names
    assert not names & {"reports", "help", "images", "documents", "snippets", "settings"}
    # Council staff keep Wagtail's menus.
    assert {"explorer", "help"} <= menu_names(moderator)


# --- confirm it is still correct ------------------------------------------------------------


def test_confirming_from_the_panel_uses_the_review_confirmation(
    editor: Any, organisation: Any, other_service: ServicePage
) -> None:
    overdue = ServicePageFactory(
        parent=organisation, title="Sunday Stroll", last_verified_on=dt.date(2025, 6, 1)
    )
    client = signed_in(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    start = reverse("editor_confirm_listing", args=[overdue.pk])
    assert f'action="{start}"' in row(html, overdue)

    assert client.get(start)["Location"] == reverse("wagtailadmin_home")  # GET changes nothing
    response = client.post(start, follow=True)
    assert response.status_code == 200
    confirm = reverse("review_confirm", args=[overdue.pk])
    assert response.redirect_chain[-1][0] == confirm
    client.post(confirm)
    overdue.refresh_from_db()
    assert overdue.last_verified_on == TODAY.date()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert statuses(row(html, overdue)) == {"live"}

    # Another organisation's listing cannot be confirmed from here.
    refused = client.post(reverse("editor_confirm_listing", args=[other_service.pk]))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    other_service.refresh_from_db()
    assert other_service.last_verified_on != TODAY.date()
