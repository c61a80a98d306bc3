"""The review rule (directory.reviews): due dates, statuses, the stale cut-off."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from wagtail.models import Site

from directory.models import ListingReviewSettings
from directory.reviews import (
    ReviewPolicy,
    ReviewStatus,
    add_months,
    reminder_dates,
    review_due_on,
    review_policy,
    review_status,
    stale_before,
)

D = dt.date


def listing(verified: dt.date | None = None, published: dt.datetime | None = None) -> object:
    return SimpleNamespace(last_verified_on=verified, first_published_at=published)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 10), -1, D(2025, 12, 10)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_the_clock_starts_at_the_last_check_else_first_publication() -> None:
    policy = ReviewPolicy(interval_months=6, grace_days=60)
    published = dt.datetime(2026, 2, 1, 23, 30, tzinfo=dt.UTC)
    assert review_due_on(listing(D(2026, 3, 10), published), policy) == D(2026, 9, 10)
    # 23:30 UTC is still 1 February in London in winter.
    assert review_due_on(listing(None, published), policy) == D(2026, 8, 1)
    assert review_due_on(listing(), policy) is None


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 8, 9), ReviewStatus.CURRENT),
        (D(2026, 8, 10), ReviewStatus.DUE_SOON),  # 30 days before 9 September
        (D(2026, 9, 8), ReviewStatus.DUE_SOON),
        (D(2026, 9, 9), ReviewStatus.OVERDUE),
        (D(2026, 11, 8), ReviewStatus.OVERDUE),  # due + 60 days: the last day of grace
        (D(2026, 11, 9), ReviewStatus.STALE),
        (D(2027, 6, 1), ReviewStatus.STALE),
    ],
)
def test_status_through_the_year(today: dt.date, status: ReviewStatus) -> None:
    policy = ReviewPolicy(interval_months=6, grace_days=60)
    assert review_status(listing(D(2026, 3, 9)), today, policy) is status


def test_stale_before_agrees_with_the_status() -> None:
    policy = ReviewPolicy(interval_months=6, grace_days=60)
    today = D(2026, 11, 9)
    cut = stale_before(today, policy)
    assert cut == D(2026, 3, 10)
    assert review_status(listing(cut), today, policy) is ReviewStatus.OVERDUE
    assert review_status(listing(cut - dt.timedelta(days=1)), today, policy) is ReviewStatus.STALE


def test_never_published_is_never_stale() -> None:
    assert review_status(listing(), D(2030, 1, 1)) is ReviewStatus.CURRENT


def test_reminders_fall_30_days_before_on_the_day_and_14_after() -> None:
    assert reminder_dates(D(2026, 9, 9)) == (D(2026, 8, 10), D(2026, 9, 9), D(2026, 9, 23))


@pytest.mark.django_db
def test_the_policy_comes_from_the_default_sites_setting() -> None:
    assert review_policy() == ReviewPolicy(6, 60)  # no setting saved: the defaults
    site = Site.objects.get(is_default_site=True)
    ListingReviewSettings.objects.create(site=site, review_interval_months=12, grace_days=7)
    # Saving the setting drops the cached policy at once.
    assert review_policy() == ReviewPolicy(12, 7)
    assert stale_before(D(2026, 11, 9)) == D(2025, 11, 2)
