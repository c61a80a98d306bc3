"""Issue 13's acceptance, walked as a new user would through the real views.

A council admin invites an address to an organisation; the invitee follows the
emailed link, sets a password and sees only that organisation's listings; they change
a listing's summary and submit it; a moderator sees the field-by-field difference and
approves; the editor is emailed and the public page changes. With the clock moved to
the listing's review, the invitee gets the reminder and its "Still correct" link
updates "Last checked" with no approval. A resident's "this group has closed" report
reaches the organisation's editors and the moderators' queue.

The rest of the clock's story (every reminder at -30, 0 and +14 days, a cycle with no
confirmation, "may be out of date" and the lower rank on the real search backend) is
walked day by day in tests/lifecycle/test_review_cycle.py and not repeated here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Site, WorkflowState

from cms.workflows.roles import Role
from directory.models import ListingReviewSettings, ServicePage
from lifecycle.models import ProblemKind, ProblemReport, ReportStatus
from lifecycle.tasks import send_review_notices
from lifecycle.templatetags.lifecycle_admin import admin_site_name_for
from onboarding.models import Invitation
from tests.admin_forms import service_edit_form
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START = dt.date(2027, 1, 4)
INVITEE = "sam.organiser@example.net"
PASSWORD = "a long and unusual passphrase 42"
OLD_SUMMARY = "A hot lunch and a chat every Tuesday."
NEW_SUMMARY = "Soup, sandwiches and bingo on Tuesday afternoons."
JOIN_LINK = re.compile(r"https?://\S+?(/join/[A-Za-z0-9_-]+/)")
REVIEW_LINK = re.compile(r"https?://\S+/listing-review/\d+/[A-Za-z0-9_-]{20,100}/")


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=LONDON)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mail_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def world(
    make_user: Callable[..., Any], committed: Callable[[], AbstractContextManager[Any]]
) -> dict[str, Any]:
    """Two organisations with a live listing each, a council admin and a moderator."""
    a = OrganisationPageFactory(title="Poole Good Neighbours")
    b = OrganisationPageFactory(title="Christchurch Friendship Circle")
    with committed():
        lunch = ServicePageFactory(
            parent=a, title="Tuesday Lunch Club", summary=OLD_SUMMARY, last_verified_on=START
        )
        coffee = ServicePageFactory(
            parent=b, title="Friendship Coffee Morning", last_verified_on=START
        )
    return {
        "a": a,
        "b": b,
        "lunch": lunch,
        "coffee": coffee,
        "admin": make_user(Role.COUNCIL_ADMIN),
        "moderator": make_user(Role.COUNCIL_MODERATOR),
    }


def test_issue_13_acceptance(
    world: dict[str, Any], committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    a, b, lunch, coffee = world["a"], world["b"], world["lunch"], world["coffee"]
    moderator = world["moderator"]
    site = Site.objects.get(is_default_site=True)
    ListingReviewSettings.objects.create(site=site, review_interval_months=6, grace_days=14)

    with time_machine.travel(morning(START), tick=False) as traveller:
        # --- 1. A council admin invites an address to organisation A, in the admin.
        admin = signed_in(world["admin"])
        form = admin.get(f"{reverse('onboarding_invite')}?organisation={a.pk}")
        assert form.status_code == 200
        sent = admin.post(
            reverse("onboarding_invite"),
            {"organisation": a.pk, "email": INVITEE, "role": "editor"},
        )
        assert sent.status_code == 302
        assert sent["Location"] == reverse("onboarding_editors", args=[a.pk])
        [invitation_email] = mail_to(INVITEE)
        assert "Poole Good Neighbours" in invitation_email.subject
        found = JOIN_LINK.search(invitation_email.body)
        assert found, invitation_email.body
        join_path = found.group(1)
        assert join_path in invitation_email.alternatives[0][0]

        # --- 2. The link lets them set a password; they see only A's listings.
        browser = Client()
        landing = browser.get(join_path)
        assert landing.status_code == 302
        assert landing["Location"] == reverse("onboarding:accept")
        assert "Set up your account" in browser.get(landing["Location"]).content.decode()
        joined = browser.post(
            reverse("onboarding:accept"), {"password1": PASSWORD, "password2": PASSWORD}
        )
        assert joined.status_code == 302
        assert joined["Location"] == reverse("wagtailadmin_explore", args=[a.pk])
        editor = get_user_model().objects.get(email=INVITEE)
        assert editor.check_password(PASSWORD)
        assert Invitation.objects.get(email=INVITEE).accepted_by == editor
        # Signed in by accepting: the link's landing page is their organisation.
        explorer = browser.get(joined["Location"])
        assert explorer.status_code == 200
        assert "Tuesday Lunch Club" in explorer.content.decode()
        # The password works on the admin's own sign-in form too.
        signin = Client().post(
            reverse("wagtailadmin_login"),
            {"username": editor.get_username(), "password": PASSWORD},
        )
        assert signin.status_code == 302, signin.content[:2000]

        home = browser.get(reverse("wagtailadmin_home")).content.decode()
        assert "Your listings" in home
        assert f'data-listing="{lunch.pk}"' in home
        assert f'data-listing="{coffee.pk}"' not in home
        assert "Friendship Coffee Morning" not in home
        # Asking the page explorer for B sends them back to their own pages.
        elsewhere = browser.get(reverse("wagtailadmin_explore", args=[b.pk]), follow=True)
        assert elsewhere.redirect_chain, "the explorer opened B's pages"
        assert "Friendship Coffee Morning" not in elsewhere.content.decode()
        assert "Tuesday Lunch Club" in elsewhere.content.decode()
        # B's listing cannot be opened for editing, nor changed by a forged post.
        assert browser.get(reverse("wagtailadmin_pages:edit", args=[coffee.pk])).status_code in (
            302,
            403,
        )
        forged = browser.post(
            reverse("wagtailadmin_pages:edit", args=[coffee.pk]),
            service_edit_form(coffee, action="submit", summary="Hijacked"),
        )
        assert forged.status_code in (302, 403)
        coffee_now = ServicePage.objects.get(pk=coffee.pk)
        assert "Hijacked" not in coffee_now.get_latest_revision_as_object().summary
        assert not WorkflowState.objects.filter(object_id=str(coffee.pk)).exists()

        # --- 3. They change the summary of their listing and submit it.
        mail.outbox.clear()
        submitted = browser.post(
            reverse("wagtailadmin_pages:edit", args=[lunch.pk]),
            service_edit_form(lunch, action="submit", summary=NEW_SUMMARY),
        )
        assert submitted.status_code == 302, submitted.content[:2000]
        state = WorkflowState.objects.get(object_id=str(lunch.pk), status="in_progress")
        assert state.requested_by == editor
        # Nothing public has changed yet.
        assert OLD_SUMMARY in Client().get(lunch.url).content.decode()
        # The moderators are told, with a link to the review screen.
        review = reverse("moderation_review", args=[lunch.pk])
        told = [message for message in mail_to(moderator.email) if review in message.body]
        assert told
        # In the council's name, in plain text and HTML (Wagtail's own notice, rebranded).
        council = admin_site_name_for()
        assert council in told[0].body
        assert any(council in html for html, _type in told[0].alternatives)

        # --- 4. A moderator finds it in the queue, sees the difference, approves.
        staff = signed_in(moderator)
        queue = staff.get(reverse("moderation_queue")).content.decode()
        assert review in queue and "Tuesday Lunch Club" in queue
        screen = staff.get(review)
        assert screen.status_code == 200
        html = screen.content.decode()
        assert "Summary" in html
        assert 'class="deletion"' in html and 'class="addition"' in html
        # The old words struck out, the new ones added (a word-level comparison).
        deleted = " ".join(re.findall(r'<span class="deletion">(.*?)</span>', html, re.S))
        added = " ".join(re.findall(r'<span class="addition">(.*?)</span>', html, re.S))
        assert "chat" in deleted and "bingo" in added
        mail.outbox.clear()
        with committed():
            approved = staff.post(review, {"action": "approve"})
        assert approved.status_code == 302
        assert WorkflowState.objects.get(pk=state.pk).status == "approved"

        # --- 5. The editor is emailed, and the public page shows the new summary.
        [approval] = mail_to(INVITEE)
        assert approval.subject.startswith("Approved: Tuesday Lunch Club")
        assert "Bournemouth, Christchurch and Poole Council" in approval.subject
        assert approval.alternatives and approval.alternatives[0][1] == "text/html"
        public = Client().get(ServicePage.objects.get(pk=lunch.pk).url)
        assert public.status_code == 200
        assert NEW_SUMMARY in public.content.decode()
        assert OLD_SUMMARY not in public.content.decode()

        # --- 6. The clock reaches 30 days before the review date (4 July 2027): the
        # invitee, now one of A's editors, gets the reminder; B's editors none.
        traveller.move_to(morning(dt.date(2027, 6, 4)))
        mail.outbox.clear()
        send_review_notices()
        [reminder] = mail_to(INVITEE)
        assert "Tuesday Lunch Club" in reminder.subject
        assert "due for checking on 4 July 2027" in reminder.body
        assert all("Friendship Coffee Morning" not in m.subject for m in mail.outbox)
        found_link = REVIEW_LINK.findall(reminder.body)
        assert len(found_link) == 1
        states_before = WorkflowState.objects.count()

        # "Still correct", from the email, in the afternoon: no sign-in, no approval.
        traveller.move_to(dt.datetime(2027, 6, 4, 15, tzinfo=LONDON))
        link = Client()
        opened = link.get(urlsplit(found_link[0]).path)
        assert opened.status_code == 302
        with committed():
            done = link.post(opened["Location"])
        assert done.status_code == 302
        listing = ServicePage.objects.get(pk=lunch.pk)
        assert listing.last_verified_on == dt.date(2027, 6, 4)
        assert listing.last_verified_by == editor
        assert WorkflowState.objects.count() == states_before
        assert not WorkflowState.objects.filter(
            object_id=str(lunch.pk), status="in_progress"
        ).exists()
        page = Client().get(listing.url).content.decode()
        assert "Last checked on 4 June 2027" in page
        assert NEW_SUMMARY in page
        # (Reminders on the day and after, staleness and the lower search rank:
        # tests/lifecycle/test_review_cycle.py.)

        # --- 7. A resident reports that the group has closed.
        mail.outbox.clear()
        resident = Client()
        form_page = resident.get(listing.url).content.decode()
        report_url = reverse("report_problem", args=[lunch.pk])
        assert f'href="{report_url}"' in form_page
        reported = resident.post(
            report_url,
            {
                "kind": ProblemKind.CLOSED.value,
                "details": "The hall has been boarded up since May.",
                "name": "",
                "email": "",
                "phone": "",
                "website": "",
            },
        )
        assert reported.status_code == 302
        report = ProblemReport.objects.get(service_id=lunch.pk)
        assert report.status == ReportStatus.OPEN
        # The organisation's editors are told, and the moderators alerted at once.
        [to_editor] = mail_to(INVITEE)
        assert "Tuesday Lunch Club" in to_editor.subject
        assert "The hall has been boarded up since May." in to_editor.body
        assert reverse("problem_report", args=[report.pk]) in to_editor.body
        [alert] = mail_to(moderator.email)
        assert alert.subject.startswith("Reported closed: Tuesday Lunch Club")
        assert {m.to[0] for m in mail.outbox} == {INVITEE, moderator.email}
        # It waits in the moderators' queue (signed in afresh: months have passed).
        reports = signed_in(moderator).get(reverse("problem_reports"))
        assert reports.status_code == 200
        assert "Tuesday Lunch Club" in reports.content.decode()
        assert reverse("problem_report", args=[report.pk]) in reports.content.decode()
