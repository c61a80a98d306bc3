"""Every listed listing with its review date and status (``directory.reviews``), read in
two queries: for the daily reminders and the council's freshness dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from directory.models import OrganisationPage, ServicePage
from directory.models.listings import organisation_path
from directory.reviews import ReviewPolicy, ReviewStatus, clock_start, due_on_for, status_for


@dataclass(frozen=True)
class ListingReview:
    service: ServicePage
    organisation: OrganisationPage
    start: dt.date | None
    due_on: dt.date | None
    status: ReviewStatus


def listing_reviews(today: dt.date, policy: ReviewPolicy) -> list[ListingReview]:
    """The review state of every listed service (what residents can find)."""
    services = list(
        ServicePage.objects.listed()
        .only(
            "pk",
            "title",
            "path",
            "depth",
            "url_path",
            "last_verified_on",
            "first_published_at",
            "live",
            "status",
        )
        .order_by("path")
    )
    paths = {organisation_path(service) for service in services}
    organisations = {
        organisation.path: organisation
        for organisation in OrganisationPage.objects.filter(path__in=paths).only(
            "pk", "title", "path", "depth", "url_path", "editors_group"
        )
    }
    reviews = []
    for service in services:
        organisation = organisations.get(organisation_path(service))
        if organisation is None:
            continue
        start = clock_start(service)
        reviews.append(
            ListingReview(
                service=service,
                organisation=organisation,
                start=start,
                due_on=None if start is None else due_on_for(start, policy),
                status=status_for(start, today, policy),
            )
        )
    return reviews
