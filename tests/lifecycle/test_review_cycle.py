"""One listing walked through 13 months of the review cycle, a day at a time.

Reminders 30 days before, on and 14 days after the review date (each once, to the
organisation's editors only), confirmation through the email's link (the date moves,
no approval, page history), then a cycle with no confirmation: the stale warning,
a lower rank than an identical fresh listing on the real search backend, and the
moderators told once.
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
from django.core import mail
from django.test import Client
from wagtail.models import PageLogEntry, Revision, Site, WorkflowState

from cms.workflows.roles import Role
from directory.models import ListingReviewSettings, ServicePage
from lifecycle.models import NoticeKind, ReviewNotice
from lifecycle.tasks import send_review_notices
from search import ranking
from search.backends import SearchQuery, get_search_backend
from search.models import IndexedListing
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START = dt.date(2027, 1, 4)
LINK = re.compile(r"https?://\S+/listing-review/\d+/[A-Za-z0-9_-]{20,100}/")


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=LONDON)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def confirm_link(message: Any) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1
    html = message.alternatives[0][0]
    assert found[0] in html
    return urlsplit(found[0]).path


@pytest.fixture
def people(make_user: Callable[..., Any]) -> dict[str, Any]:
    organisation = OrganisationPageFactory(title="Poole Good Neighbours")
    other = OrganisationPageFactory(title="Christchurch Friendship Circle")
    return {
        "organisation": organisation,
        "other": other,
        "editor": make_user(Role.ORGANISATION_EDITOR, organisation),
        "other_editor": make_user(Role.ORGANISATION_EDITOR, other),
        "moderator": make_user(Role.COUNCIL_MODERATOR),
    }


def walk(traveller: Any, first: dt.date, last: dt.date) -> dict[dt.date, list[Any]]:
    """Run the daily task every morning from ``first`` to ``last``; the emails each day
    sent. A day that sent something is run again, as a retry would, and sends no more."""
    sent: dict[dt.date, list[Any]] = {}
    for day in days(first, last):
        traveller.move_to(morning(day))
        before = len(mail.outbox)
        send_review_notices()
        if len(mail.outbox) > before:
            sent[day] = mail.outbox[before:]
            send_review_notices()
            assert len(mail.outbox) == before + len(sent[day]), day
    return sent


def test_thirteen_months_of_one_listing(
    people: dict[str, Any], committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    editor, moderator = people["editor"], people["moderator"]
    site = Site.objects.get(is_default_site=True)
    ListingReviewSettings.objects.create(site=site, review_interval_months=6, grace_days=14)

    with time_machine.travel(morning(START), tick=False) as traveller:
        with committed():
            listing = ServicePageFactory(
                parent=people["organisation"],
                title="Tuesday Lunch Club",
                summary="A hot lunch and a chat.",
                last_verified_on=START,
            )
        revisions = Revision.objects.filter(object_id=str(listing.pk)).count()

        # --- Cycle 1: due 4 July 2027; reminders on 4 June, 4 July and 18 July.
        sent = walk(traveller, START, dt.date(2027, 7, 18))
        assert sorted(sent) == [dt.date(2027, 6, 4), dt.date(2027, 7, 4), dt.date(2027, 7, 18)]
        for day, messages in sent.items():
            assert [m.to for m in messages] == [[editor.email]], day
            assert "Tuesday Lunch Club" in messages[0].subject
            assert "Poole Good Neighbours" in messages[0].body
        assert "due for checking on 4 July 2027" in sent[dt.date(2027, 6, 4)][0].body
        assert "due for checking today" in sent[dt.date(2027, 7, 4)][0].body
        assert "was due for checking on 4 July 2027" in sent[dt.date(2027, 7, 18)][0].body
        assert "It was last checked on 4 January 2027" in sent[dt.date(2027, 7, 18)][0].body

        # Confirmed through the last reminder's link, in the afternoon.
        traveller.move_to(dt.datetime(2027, 7, 18, 15, tzinfo=LONDON))
        browser = Client()
        address = confirm_link(sent[dt.date(2027, 7, 18)][0])
        page = browser.get(address)
        assert page.status_code == 302
        assert page["Location"] == f"/listing-review/{listing.pk}/confirm/"
        form = browser.get(page["Location"])
        assert form.status_code == 200
        assert "Yes, it is still correct" in form.content.decode()
        with committed():
            done = browser.post(page["Location"])
        assert done.status_code == 302
        assert "Thank you" in browser.get(done["Location"]).content.decode()

        listing = ServicePage.objects.get(pk=listing.pk)
        assert listing.last_verified_on == dt.date(2027, 7, 18)
        assert listing.last_verified_by == editor
        assert listing.verification_note == "confirmed by Poole Good Neighbours"
        assert not WorkflowState.objects.filter(object_id=str(listing.pk)).exists()
        assert Revision.objects.filter(object_id=str(listing.pk)).count() == revisions
        assert listing.get_latest_revision().content["last_verified_on"] == "2027-07-18"
        entry = PageLogEntry.objects.get(page=listing, action="lifecycle.confirmed")
        assert entry.user == editor
        assert IndexedListing.objects.get(page_id=listing.pk).last_verified_on == dt.date(
            2027, 7, 18
        )
        assert "Last checked on 18 July 2027" in Client().get(listing.url).content.decode()

        # --- Cycle 2: due 18 January 2028; nobody confirms. Stale from 2 February
        # (the 14-day grace), moderators told once.
        sent = walk(traveller, dt.date(2027, 7, 19), dt.date(2028, 2, 4))
        assert sorted(sent) == [
            dt.date(2027, 12, 19),
            dt.date(2028, 1, 18),
            dt.date(2028, 2, 1),
            dt.date(2028, 2, 2),
        ]
        for day in (dt.date(2027, 12, 19), dt.date(2028, 1, 18), dt.date(2028, 2, 1)):
            assert [m.to for m in sent[day]] == [[editor.email]]
        (alert,) = sent[dt.date(2028, 2, 2)]
        assert alert.to == [moderator.email]
        assert "may be out of date" in alert.subject
        assert "Tuesday Lunch Club (Poole Good Neighbours)" in alert.body
        assert "last checked 18 July 2027" in alert.body
        assert ReviewNotice.objects.filter(service=listing, kind=NoticeKind.STALE).count() == 1
        assert PageLogEntry.objects.filter(page=listing, action="lifecycle.stale").count() == 1

        # The public page warns, and the listing is still there.
        public = Client().get(listing.url)
        assert public.status_code == 200
        assert "This listing may be out of date" in public.content.decode()

        # An otherwise identical listing, checked today, ranks above it.
        with committed():
            fresh = ServicePageFactory(
                parent=people["other"],
                title="Tuesday Lunch Club",
                summary="A hot lunch and a chat.",
                last_verified_on=dt.date(2028, 2, 4),
            )
        hits = get_search_backend().search(SearchQuery(text="lunch club")).hits
        assert [hit.page_id for hit in hits] == [fresh.pk, listing.pk]
        assert hits[1].score == pytest.approx(hits[0].score - ranking.W_FRESH)

        # The dashboard lists it as possibly out of date.
        staff = Client()
        staff.force_login(moderator)
        dashboard = staff.get("/admin/freshness/").content.decode()
        assert 'id="table-stale"' in dashboard
        assert "Tuesday Lunch Club" in dashboard.split('id="table-stale"')[1]


def test_a_missed_day_still_sends_and_a_catch_up_sends_only_the_latest(
    people: dict[str, Any],
) -> None:
    with time_machine.travel(morning(START), tick=False) as traveller:
        one = ServicePageFactory(parent=people["organisation"], last_verified_on=START)
        # The run on 4 June (30 days before 4 July) never happened: 5 June sends it.
        traveller.move_to(morning(dt.date(2027, 6, 5)))
        send_review_notices()
        assert len(mail.outbox) == 1
        assert "due for checking on 4 July 2027" in mail.outbox[0].body
        # Down from 6 June to 20 July: one reminder (the latest), not two.
        traveller.move_to(morning(dt.date(2027, 7, 21)))
        send_review_notices()
        send_review_notices()
        assert len(mail.outbox) == 2
        assert "was due for checking on 4 July 2027" in mail.outbox[1].body
        kinds = set(ReviewNotice.objects.filter(service=one).values_list("kind", "recipients"))
        assert kinds == {
            (NoticeKind.DUE_SOON.value, 1),
            (NoticeKind.DUE.value, 0),  # skipped, never sent late
            (NoticeKind.OVERDUE.value, 1),
        }


def test_a_failed_send_is_tried_again_the_next_day(people: dict[str, Any], settings: Any) -> None:
    with time_machine.travel(morning(dt.date(2027, 6, 4)), tick=False) as traveller:
        ServicePageFactory(parent=people["organisation"], last_verified_on=START)
        settings.EMAIL_BACKEND = "tests.lifecycle.test_review_cycle.BrokenBackend"
        send_review_notices()
        assert not ReviewNotice.objects.exists()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        traveller.move_to(morning(dt.date(2027, 6, 5)))
        send_review_notices()
        assert len(mail.outbox) == 1


class BrokenBackend:
    """A mail service that is down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError
