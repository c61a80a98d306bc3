"""The directory's one rule for which listings are public, and its organisation titles."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from wagtail.models import PageViewRestriction

from directory.models import ServicePage, ServiceSchedule, ServiceStatus
from directory.schedules import openings, schedule_is_open_at
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


def titles(queryset: Any) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_published_listed_and_active() -> None:
    org = OrganisationPageFactory(title="Poole Good Neighbours")
    for status in ServiceStatus:
        ServicePageFactory(parent=org, title=status.label, status=status)
    private = ServicePageFactory(parent=org, title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    ServicePageFactory(parent=org, title="Unpublished").unpublish()
    withdrawn = OrganisationPageFactory(title="Withdrawn")
    ServicePageFactory(parent=withdrawn, title="Under a withdrawn organisation")
    withdrawn.unpublish()

    every_status = {status.label for status in ServiceStatus}
    assert titles(ServicePage.objects.published()) == every_status
    assert titles(ServicePage.objects.listed()) == {"Active", "Temporarily closed"}
    assert titles(ServicePage.objects.active()) == {"Active"}


def test_organisation_title_is_annotated_in_the_same_query(
    django_assert_num_queries: Any,
) -> None:
    for name in ("Poole Good Neighbours", "Christchurch Friendship Circle"):
        ServicePageFactory(parent=OrganisationPageFactory(title=name), title=f"{name} lunch")
    with django_assert_num_queries(1):
        rows = list(ServicePage.objects.with_organisation_title())
    assert {(page.title, page.organisation_title) for page in rows} == {
        ("Poole Good Neighbours lunch", "Poole Good Neighbours"),
        ("Christchurch Friendship Circle lunch", "Christchurch Friendship Circle"),
    }


@pytest.mark.parametrize(
    ("byday", "moment", "expected"),
    [
        ("TU", dt.datetime(2025, 11, 4, 10, 30), True),  # a Tuesday
        ("TU", dt.datetime(2025, 11, 4, 12, 0), False),  # closing time is closed
        ("TU", dt.datetime(2025, 11, 5, 10, 30), False),
        ("1TU", dt.datetime(2025, 11, 11, 10, 30), False),  # the second Tuesday
        ("-1TU", dt.datetime(2025, 11, 25, 10, 30), True),  # the last Tuesday
        ("XX", dt.datetime(2025, 11, 4, 10, 30), False),
    ],
)
def test_open_at_is_one_rule_for_pages_and_search(
    byday: str, moment: dt.datetime, expected: bool
) -> None:
    from search.documents import slots_for

    schedule = ServiceSchedule(
        freq="MONTHLY" if byday[0] in "-1" else "WEEKLY",
        byday=byday,
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )
    assert schedule_is_open_at(schedule, moment) is expected
    assert any(slot.open_at(moment) for slot in slots_for([schedule])) is expected
    assert [slot.day for slot in slots_for([schedule])] == [o.day for o in openings(schedule)]
