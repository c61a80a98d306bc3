"""The council's freshness dashboard: figures, charts with tables, queues, approval
time and the CSV, for council admins and moderators only."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from cms.workflows.roles import Role
from directory.models import ServicePage
from lifecycle.freshness import freshness, median_approval_days
from lifecycle.models import LinkCheck, LinkKind, LinkStatus, ProblemKind, ProblemReport
from tests.admin_forms import service_edit_form
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def estate(organisation: Any, other_organisation: Any) -> dict[str, ServicePage]:
    """Four listed listings as of TODAY (6-month interval, 60-day grace), one unlisted."""
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False):
        pages = {
            "current": ServicePageFactory(
                parent=organisation, title="=Current Club", last_verified_on=dt.date(2027, 2, 1)
            ),
            "due_soon": ServicePageFactory(
                parent=organisation, title="Due Soon Club", last_verified_on=dt.date(2026, 9, 15)
            ),
            "overdue": ServicePageFactory(
                parent=other_organisation,
                title="Overdue Club",
                last_verified_on=dt.date(2026, 8, 1),
            ),
            "stale": ServicePageFactory(
                parent=other_organisation,
                title="Stale Club",
                last_verified_on=dt.date(2025, 12, 1),
            ),
            "closed": ServicePageFactory(
                parent=organisation, title="Closed Club", status="defunct"
            ),
        }
    return pages


def staff(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_figures(estate: dict[str, ServicePage]) -> None:
    data = freshness(TODAY)
    assert data.live == 4  # the defunct listing is not listed
    assert (data.checked_6, data.checked_12) == (2, 3)
    assert (data.share_6, data.share_12) == (50, 75)
    assert [(row.title, row.due_soon, row.overdue, row.stale) for row in data.organisations] == [
        ("Christchurch Friendship Circle", 0, 1, 1),
        ("Poole Good Neighbours", 1, 0, 0),
    ]
    assert [review.service.title for review in data.stale] == ["Stale Club"]


def test_the_page_and_its_csv(
    estate: dict[str, ServicePage], make_user: Any, organisation: Any
) -> None:
    moderator = make_user(Role.COUNCIL_MODERATOR)
    ProblemReport.objects.create(
        service=estate["stale"], kind=ProblemKind.OTHER, details="Gone quiet."
    )
    gone = "https://example.org/overdue-club"
    ServicePage.objects.filter(pk=estate["overdue"].pk).update(website=gone)
    LinkCheck.objects.create(
        page=estate["overdue"],
        kind=LinkKind.WEBSITE,
        target=gone,
        status=LinkStatus.BROKEN,
        reason="HTTP 404",
        checked_at=timezone.now(),
    )
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False):
        page = staff(moderator).get(reverse("freshness_dashboard"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "<strong>50%</strong> checked in the last 6 months (2 of 4)" in html
        assert "<strong>75%</strong> checked in the last 12 months (3 of 4)" in html
        assert html.count('<svg class="sp-chart"') == 2
        assert f'href="{reverse("problem_reports")}?status=open">Open problem reports: 1' in html
        assert f'href="{reverse("broken_links")}">Broken links: 1' in html
        stale_table = html.split('id="table-stale"')[1]
        assert "Stale Club" in stale_table and "Overdue Club" not in stale_table

        exported = staff(moderator).get(reverse("freshness_dashboard") + "?export=csv")
    assert exported["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    by_title = {row["listing"]: row for row in rows}
    assert set(by_title) == {"'=Current Club", "Due Soon Club", "Overdue Club", "Stale Club"}
    assert by_title["Stale Club"] == {
        "listing_id": str(estate["stale"].pk),
        "listing": "Stale Club",
        "organisation": "Christchurch Friendship Circle",
        "last_checked": "2025-12-01",
        "review_due": "2026-06-01",
        "review_status": "stale",
        "broken_links": "0",
        "open_problem_reports": "1",
    }
    assert by_title["Overdue Club"]["review_status"] == "overdue"
    assert by_title["Overdue Club"]["broken_links"] == "1"
    assert by_title["Due Soon Club"]["review_status"] == "due soon"


def test_the_median_time_from_submission_to_approval(
    service: ServicePage, make_user: Any, organisation: Any
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    moderator = make_user(Role.COUNCIL_MODERATOR)
    assert median_approval_days() is None
    submitted = timezone.now()
    for n, wait in enumerate((dt.timedelta(days=1), dt.timedelta(days=3), dt.timedelta(days=8))):
        with time_machine.travel(submitted + dt.timedelta(days=20 * n), tick=False):
            staff(editor).post(
                reverse("wagtailadmin_pages:edit", args=[service.pk]),
                service_edit_form(
                    ServicePage.objects.get(pk=service.pk), action="submit", title=f"Club {n}"
                ),
            )
            state = WorkflowState.objects.get(object_id=str(service.pk), status="in_progress")
        with time_machine.travel(submitted + dt.timedelta(days=20 * n) + wait, tick=False):
            staff(moderator).post(
                reverse(
                    "wagtailadmin_pages:workflow_action",
                    args=[service.pk, "approve", state.current_task_state.pk],
                ),
                {"comment": ""},
            )
    # Rejected or still open changes do not count; 1, 3 and 8 days: the median is 3.
    assert median_approval_days(submitted + dt.timedelta(days=60)) == pytest.approx(3.0)
    page = staff(moderator).get(reverse("freshness_dashboard")).content.decode()
    assert "<strong>3.0 days</strong> median time from submitting" in page


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.COUNCIL_ADMIN, True),
        (Role.COUNCIL_MODERATOR, True),
        (Role.ORGANISATION_EDITOR, False),
        (Role.LOCAL_AREA_COORDINATOR, False),
        (Role.CONTACT_OFFICER, False),
    ],
)
def test_who_sees_the_dashboard(
    role: Role, allowed: bool, make_user: Any, organisation: Any
) -> None:
    user = make_user(role, organisation if role == Role.ORGANISATION_EDITOR else None)
    client = staff(user)
    url = reverse("freshness_dashboard")
    assert (client.get(url).status_code == 200) is allowed
    assert (client.get(url + "?export=csv").status_code == 200) is allowed
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (url in menu) is allowed


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("freshness_dashboard"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_an_organisation_with_nothing_due_is_left_out(db: None) -> None:
    organisation = OrganisationPageFactory(title="All Fine")
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False):
        ServicePageFactory(parent=organisation, last_verified_on=dt.date(2027, 2, 1))
        assert freshness(TODAY).organisations == []
