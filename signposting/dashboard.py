"""The demand dashboard (Wagtail admin): what people ask for, where, and the gaps."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cms.workflows.roles import is_council_manager
from directory.models import ServicePage
from signposting.models import EventKind, SignpostedListing, SignpostingEvent, SignpostingNeed

PERIODS = {"30": "Last 30 days", "90": "Last 90 days", "365": "Last 12 months", "all": "All time"}
TOP_NEEDS = 15
TOP_AREAS = 8


def _since(period: str) -> dt.date | None:
    if period == "all":
        return None
    return timezone.localdate() - dt.timedelta(days=int(period))


def _events(since: dt.date | None) -> QuerySet[SignpostingEvent]:
    events = SignpostingEvent.objects.all()
    return events.filter(occurred_on__gte=since) if since else events


def need_by_area(since: dt.date | None, kind: str = EventKind.SIGNPOST) -> dict[str, Any]:
    """Counts of events per need (rows) and district (columns), busiest first."""
    needs = SignpostingNeed.objects.filter(event__kind=kind)
    if since:
        needs = needs.filter(event__occurred_on__gte=since)
    cells = needs.values("need", "event__district").annotate(n=Count("event_id"))
    totals_need: dict[str, int] = defaultdict(int)
    totals_area: dict[str, int] = defaultdict(int)
    grid: dict[tuple[str, str], int] = defaultdict(int)
    for row in cells:
        area = row["event__district"] or "Unknown"
        grid[(row["need"], area)] += row["n"]
        totals_need[row["need"]] += row["n"]
        totals_area[area] += row["n"]
    areas = sorted(totals_area, key=lambda a: -totals_area[a])[:TOP_AREAS]
    rows = []
    for need in sorted(totals_need, key=lambda n: -totals_need[n])[:TOP_NEEDS]:
        counts = [grid[(need, area)] for area in areas]
        rows.append(
            {
                "need": need,
                "counts": counts,
                "other": totals_need[need] - sum(counts),
                "total": totals_need[need],
            }
        )
    return {"areas": areas, "rows": rows}


def need_by_month(since: dt.date | None) -> dict[str, Any]:
    needs = SignpostingNeed.objects.filter(event__kind=EventKind.SIGNPOST)
    if since:
        needs = needs.filter(event__occurred_on__gte=since)
    cells = (
        needs.annotate(month=TruncMonth("event__occurred_on"))
        .values("need", "month")
        .annotate(n=Count("event_id"))
    )
    months = sorted({row["month"] for row in cells})[-12:]
    grid: dict[tuple[str, Any], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for row in cells:
        grid[(row["need"], row["month"])] += row["n"]
        totals[row["need"]] += row["n"]
    rows = [
        {"need": need, "counts": [grid[(need, m)] for m in months]}
        for need in sorted(totals, key=lambda n: -totals[n])[:TOP_NEEDS]
    ]
    return {"months": months, "rows": rows}


def most_signposted(since: dt.date | None, limit: int = 20) -> list[dict[str, Any]]:
    listings = SignpostedListing.objects.all()
    if since:
        listings = listings.filter(event__occurred_on__gte=since)
    top = list(listings.values("page_id").annotate(n=Count("id")).order_by("-n", "page_id")[:limit])
    titles = dict(
        ServicePage.objects.filter(pk__in=[r["page_id"] for r in top]).values_list("pk", "title")
    )
    return [
        {
            "page_id": r["page_id"],
            "title": titles.get(r["page_id"], "(deleted listing)"),
            "n": r["n"],
        }
        for r in top
    ]


def never_signposted(limit: int = 50) -> tuple[int, list[ServicePage]]:
    """Published listings no one has ever been given (all time)."""
    given = SignpostedListing.objects.values("page_id")
    pages = ServicePage.objects.published().exclude(pk__in=given).order_by("title")
    return pages.count(), list(pages[:limit])


def dashboard(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    if not is_council_manager(request.user):
        raise PermissionDenied
    period = request.GET.get("period", "90")
    if period not in PERIODS:
        period = "90"
    since = _since(period)
    if request.GET.get("export") == "csv":
        return export_csv(since)
    events = _events(since)
    never_count, never = never_signposted()
    context = {
        "period": period,
        "periods": PERIODS,
        "header_title": "Signposting and demand",
        "page_title": "Signposting and demand",
        "header_icon": "table",
        "total_signposts": events.filter(kind=EventKind.SIGNPOST).count(),
        "total_gaps": events.filter(kind=EventKind.GAP).count(),
        "by_channel": events.filter(kind=EventKind.SIGNPOST)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n"),
        "by_role": events.filter(kind=EventKind.SIGNPOST)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("-n"),
        "need_area": need_by_area(since),
        "need_month": need_by_month(since),
        "gaps": need_by_area(since, EventKind.GAP),
        "most": most_signposted(since),
        "never_count": never_count,
        "never": never,
    }
    return render(request, "signposting/dashboard.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(since: dt.date | None) -> StreamingHttpResponse:
    """Every event in the period, one row each; safe to share (it is all anonymous)."""
    writer = csv.writer(_Echo())
    events = _events(since).prefetch_related("needs", "listings").order_by("occurred_on", "pk")

    def rows() -> Any:
        yield writer.writerow(
            ["date", "kind", "district", "channel", "role", "needs", "listing_ids", "radius_miles"]
        )
        for event in events.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    event.occurred_on.isoformat(),
                    event.kind,
                    event.district,
                    event.channel,
                    event.role,
                    ";".join(n.need for n in event.needs.all()),
                    ";".join(str(item.page_id) for item in event.listings.all()),
                    "" if event.radius_miles is None else f"{event.radius_miles:g}",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="signposting.csv"'
    return response
