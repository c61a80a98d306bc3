"""The one home of the review rule: when a listing is due for checking, and when stale.

A listing's review clock starts when someone last confirmed it (``last_verified_on``),
else on the day it was first published. It is due ``review_interval_months`` after
that (``ListingReviewSettings``, Settings › Listing reviews; 6 by default)::

    due_on      = clock_start + interval months          (review_due_on)
    DUE_SOON    from due_on − DUE_SOON_DAYS               (the first reminder)
    OVERDUE     from due_on                               (the second reminder)
    STALE       when clock_start < stale_before(today),
                stale_before(today) = (today − grace_days) − interval months

so a stale listing is always overdue (``due_on ≤ today − grace_days``). Editors are
reminded ``REMINDER_OFFSETS`` days from ``due_on`` (30 before, on the day, 14 after).
A stale listing says "This listing may be out of date" on its page, ranks lower in search
(``search.ranking.freshness``), and its moderators are told once; it is never hidden.

A page never published has no clock (``review_due_on`` is None): nothing public to
check. The search index holds only ``last_verified_on``, so ranking counts a listing
never confirmed as not fresh at all, whatever its publication date.

The policy is read from the default site's setting at most once a minute per process
(``POLICY_TTL_SECONDS``), and at once after it is saved in this process.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

#: Days from the review date on which the organisation's editors are reminded.
REMINDER_OFFSETS: tuple[int, ...] = (-30, 0, 14)
#: A listing is "due soon" this many days before its review date (the first reminder).
DUE_SOON_DAYS = 30
DEFAULT_INTERVAL_MONTHS = 6
DEFAULT_GRACE_DAYS = 60
POLICY_TTL_SECONDS = 60.0


class ReviewStatus(enum.StrEnum):
    CURRENT = "current"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    STALE = "stale"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ReviewStatus.CURRENT: "Up to date",
    ReviewStatus.DUE_SOON: "Review due soon",
    ReviewStatus.OVERDUE: "Review overdue",
    ReviewStatus.STALE: "May be out of date",
}


@dataclass(frozen=True)
class ReviewPolicy:
    interval_months: int = DEFAULT_INTERVAL_MONTHS
    grace_days: int = DEFAULT_GRACE_DAYS


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (negative goes back), clamped to the
    month's last day (31 Aug + 6 months = 28 or 29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_lock = threading.Lock()
_cached: tuple[float, ReviewPolicy] | None = None


def forget_policy() -> None:
    """Drop the cached policy (its setting was saved, or a test rolled it back)."""
    global _cached
    with _lock:
        _cached = None


def _read_policy() -> ReviewPolicy:
    from directory.models import ListingReviewSettings

    try:
        row = (
            ListingReviewSettings.objects.filter(site__is_default_site=True)
            .values_list("review_interval_months", "grace_days")
            .first()
        )
    except DatabaseError:  # before migrations have run: the defaults stand
        return ReviewPolicy()
    if row is None:
        return ReviewPolicy()
    return ReviewPolicy(interval_months=max(1, row[0]), grace_days=max(0, row[1]))


def review_policy() -> ReviewPolicy:
    """The default site's review interval and grace period (cached, see module doc)."""
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < POLICY_TTL_SECONDS:
        return cached[1]
    policy = _read_policy()
    with _lock:
        _cached = (now, policy)
    return policy


def local_today() -> dt.date:
    """Today in the site's time zone (every review date is a local date)."""
    return timezone.localdate()


def clock_start(service: Any) -> dt.date | None:
    """When the review clock started: the last confirmation, else first publication."""
    verified: dt.date | None = getattr(service, "last_verified_on", None)
    if verified is not None:
        return verified
    published: dt.datetime | None = getattr(service, "first_published_at", None)
    if published is None:
        return None
    return timezone.localdate(published) if timezone.is_aware(published) else published.date()


def due_on_for(start: dt.date, policy: ReviewPolicy | None = None) -> dt.date:
    return add_months(start, (policy or review_policy()).interval_months)


def review_due_on(service: Any, policy: ReviewPolicy | None = None) -> dt.date | None:
    """The listing's next review date; None for a page never published."""
    start = clock_start(service)
    return None if start is None else due_on_for(start, policy)


def stale_before(today: dt.date, policy: ReviewPolicy | None = None) -> dt.date:
    """A listing whose clock started before this day is stale on ``today``."""
    policy = policy or review_policy()
    return add_months(today - dt.timedelta(days=policy.grace_days), -policy.interval_months)


def status_for(
    start: dt.date | None, today: dt.date, policy: ReviewPolicy | None = None
) -> ReviewStatus:
    """The status of a listing whose clock started on ``start`` (see module doc)."""
    if start is None:
        return ReviewStatus.CURRENT
    policy = policy or review_policy()
    if start < stale_before(today, policy):
        return ReviewStatus.STALE
    due = due_on_for(start, policy)
    if today >= due:
        return ReviewStatus.OVERDUE
    if today >= due - dt.timedelta(days=DUE_SOON_DAYS):
        return ReviewStatus.DUE_SOON
    return ReviewStatus.CURRENT


def review_status(
    service: Any, today: dt.date | None = None, policy: ReviewPolicy | None = None
) -> ReviewStatus:
    """CURRENT, DUE_SOON (within ``DUE_SOON_DAYS``), OVERDUE or STALE (past the grace)."""
    return status_for(clock_start(service), today or local_today(), policy)


def is_stale(service: Any, today: dt.date | None = None) -> bool:
    return review_status(service, today) is ReviewStatus.STALE


def reminder_dates(due: dt.date) -> tuple[dt.date, ...]:
    """The days the organisation's editors are reminded about a review due on ``due``."""
    return tuple(due + dt.timedelta(days=offset) for offset in REMINDER_OFFSETS)
