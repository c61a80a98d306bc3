"""The council's freshness dashboard: are the listings still true, and is anyone on it?

For council admins and moderators (Freshness in the admin menu, ``/admin/freshness/``):

- the share of live (listed) listings checked in the last 6 and 12 months;
- every listing's review status (``directory.reviews``), and the overdue and stale
  listings by organisation, each as a chart and a table;
- broken links (``lifecycle.linkcheck``) and open problem reports, linking to their queues;
- the median time from a change's submission to its approval, from Wagtail's
  workflow records (a ``WorkflowState`` approved, to its last task's finish), over
  the last 12 months;
- a CSV of every listed listing's review state (``?export=csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from directory import charts
from directory.oruk.exports import safe_cell
from directory.reviews import ReviewStatus, add_months, local_today, review_policy
from lifecycle.linkcheck import broken_links_visible_to
from lifecycle.models import ProblemReport, ReportStatus
from lifecycle.review_state import ListingReview, listing_reviews

#: How many organisations the "overdue by organisation" chart draws (the table has all).
CHART_ORGANISATIONS = 12
APPROVAL_WINDOW_DAYS = 365


@dataclass
class OrganisationRow:
    title: str
    pk: int
    listings: int = 0
    due_soon: int = 0
    overdue: int = 0
    stale: int = 0

    @property
    def past_due(self) -> int:
        return self.overdue + self.stale


@dataclass
class Freshness:
    today: dt.date
    interval_months: int
    grace_days: int
    reviews: list[ListingReview]
    live: int = 0
    checked_6: int = 0
    checked_12: int = 0
    by_status: Counter[ReviewStatus] = field(default_factory=Counter)
    organisations: list[OrganisationRow] = field(default_factory=list)

    @staticmethod
    def share(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def share_6(self) -> int:
        return self.share(self.checked_6, self.live)

    @property
    def share_12(self) -> int:
        return self.share(self.checked_12, self.live)

    @property
    def stale(self) -> list[ListingReview]:
        return [r for r in self.reviews if r.status is ReviewStatus.STALE]


def freshness(today: dt.date | None = None) -> Freshness:
    today = today or local_today()
    policy = review_policy()
    reviews = listing_reviews(today, policy)
    result = Freshness(
        today=today,
        interval_months=policy.interval_months,
        grace_days=policy.grace_days,
        reviews=reviews,
        live=len(reviews),
    )
    since_6, since_12 = add_months(today, -6), add_months(today, -12)
    rows: dict[int, OrganisationRow] = {}
    for review in reviews:
        verified = review.service.last_verified_on
        result.checked_6 += bool(verified and verified >= since_6)
        result.checked_12 += bool(verified and verified >= since_12)
        result.by_status[review.status] += 1
        organisation = review.organisation
        row = rows.setdefault(organisation.pk, OrganisationRow(organisation.title, organisation.pk))
        row.listings += 1
        if review.status is ReviewStatus.DUE_SOON:
            row.due_soon += 1
        elif review.status is ReviewStatus.OVERDUE:
            row.overdue += 1
        elif review.status is ReviewStatus.STALE:
            row.stale += 1
    result.organisations = sorted(
        (row for row in rows.values() if row.past_due or row.due_soon),
        key=lambda row: (-row.stale, -row.past_due, -row.due_soon, row.title.casefold()),
    )
    return result


def approval_days(now: dt.datetime | None = None) -> list[float]:
    """Days from submission to approval of each change approved in the window."""
    now = now or timezone.now()
    states = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_APPROVED,
            created_at__gte=now - dt.timedelta(days=APPROVAL_WINDOW_DAYS),
        )
        .annotate(finished=Max("task_states__finished_at"))
        .values_list("created_at", "finished")
    )
    return [
        max(0.0, (finished - created).total_seconds() / 86400)
        for created, finished in states
        if finished is not None
    ]


def median_approval_days(now: dt.datetime | None = None) -> float | None:
    days = approval_days(now)
    return statistics.median(days) if days else None


def status_chart(data: Freshness) -> Any:
    order = (ReviewStatus.CURRENT, ReviewStatus.DUE_SOON, ReviewStatus.OVERDUE, ReviewStatus.STALE)
    return charts.bar_chart(
        chart_id="freshness-status",
        title="Listed listings by review status",
        description="; ".join(f"{s.label}: {data.by_status[s]}" for s in order),
        labels=[s.label for s in order],
        values=[data.by_status[s] for s in order],
        x_axis="Listings",
        y_axis="Status",
        empty_message="No listed listings yet.",
    )


def organisations_chart(data: Freshness) -> Any:
    rows = [row for row in data.organisations if row.past_due][:CHART_ORGANISATIONS]
    return charts.bar_chart(
        chart_id="freshness-organisations",
        title="Listings past their review date, by organisation",
        description="; ".join(f"{row.title}: {row.past_due}" for row in rows),
        labels=[row.title for row in rows],
        values=[row.past_due for row in rows],
        x_axis="Listings past their review date (overdue or stale)",
        y_axis="Organisation",
        empty_message="No listing is past its review date.",
    )


def queue_counts(user: Any) -> dict[str, Any]:
    return {
        "broken_links": len(broken_links_visible_to(user)),
        "broken_links_url": reverse("broken_links"),
        "open_reports": ProblemReport.objects.filter(status=ReportStatus.OPEN).count(),
        "reports_url": reverse("problem_reports"),
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "listing_id",
    "listing",
    "organisation",
    "last_checked",
    "review_due",
    "review_status",
    "broken_links",
    "open_problem_reports",
]


def csv_rows(data: Freshness, user: Any) -> Iterator[str]:
    """The CSV export, a line at a time (every text cell defused against formulas)."""
    writer = csv.writer(_Echo())
    broken = Counter(check.page_id for check in broken_links_visible_to(user))
    reports: defaultdict[int, int] = defaultdict(int)
    for service_id in ProblemReport.objects.filter(status=ReportStatus.OPEN).values_list(
        "service_id", flat=True
    ):
        reports[service_id] += 1
    yield writer.writerow(CSV_HEADER)
    for review in data.reviews:
        service = review.service
        yield writer.writerow(
            [
                service.pk,
                safe_cell(service.title),
                safe_cell(review.organisation.title),
                service.last_verified_on.isoformat() if service.last_verified_on else "",
                review.due_on.isoformat() if review.due_on else "",
                review.status.value,
                broken[service.pk],
                reports[service.pk],
            ]
        )
