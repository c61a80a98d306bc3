"""The demand dashboard (Wagtail admin): what people ask for, where, and the gaps."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from cms.workflows.roles import is_council_manager
from directory import charts
from directory.models import ServicePage
from geography.gazetteer import GazetteerUnavailable, district_centroid
from signposting.models import (
    Channel,
    EventKind,
    SignpostedListing,
    SignpostingEvent,
    SignpostingNeed,
)

PERIODS = {"30": "Last 30 days", "90": "Last 90 days", "365": "Last 12 months", "all": "All time"}
TOP_NEEDS = 15
TOP_AREAS = 8
#: Periods up to this long are counted by week; longer ones by month.
WEEKLY_UP_TO_DAYS = 120
SEE_TABLE = "(see the table)."


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
    ranked = sorted(totals_area, key=lambda a: (-totals_area[a], a))
    areas = ranked[:TOP_AREAS]
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
    return {
        "areas": areas,
        "rows": rows,
        # Every need counted, not only the rows shown: the map draws these.
        "area_totals": [totals_area[a] for a in areas],
        "other_total": sum(totals_area[a] for a in ranked[TOP_AREAS:]),
        "total": sum(totals_area.values()),
        "by_district": [(a, totals_area[a]) for a in ranked],
    }


def _time_buckets(start: dt.date, end: dt.date, weekly: bool) -> list[dt.date]:
    """The first day of each week (Monday) or month from ``start`` to ``end``."""
    if weekly:
        day = start - dt.timedelta(days=start.weekday())
        return [day + dt.timedelta(weeks=i) for i in range((end - day).days // 7 + 1)]
    months = (end.year - start.year) * 12 + end.month - start.month
    return [
        dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(months + 1)
    ]


def need_over_time(since: dt.date | None) -> dict[str, Any]:
    """Signposting per need per week (periods up to ~4 months) or month, gaps as zeros."""
    needs = SignpostingNeed.objects.filter(event__kind=EventKind.SIGNPOST)
    if since:
        needs = needs.filter(event__occurred_on__gte=since)
    cells = list(needs.values("need", "event__occurred_on").annotate(n=Count("event_id")))
    today = timezone.localdate()
    weekly = since is not None and (today - since).days <= WEEKLY_UP_TO_DAYS
    if not cells:
        return {"weekly": weekly, "labels": [], "rows": []}
    first = since or min(row["event__occurred_on"] for row in cells)
    buckets = _time_buckets(first, today, weekly)

    def bucket(day: dt.date) -> int:
        if weekly:
            return (day - buckets[0]).days // 7
        return (day.year - buckets[0].year) * 12 + day.month - buckets[0].month

    grid: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for row in cells:
        grid[row["need"]][bucket(row["event__occurred_on"])] += row["n"]
    ranked = sorted(grid, key=lambda n: (-sum(grid[n]), n))[:TOP_NEEDS]
    return {
        "weekly": weekly,
        "labels": [f"w/c {d.day} {d:%b}" if weekly else f"{d:%b %Y}" for d in buckets],
        "rows": [{"need": n, "counts": grid[n], "total": sum(grid[n])} for n in ranked],
    }


def over_time_chart(table: dict[str, Any], period_label: str) -> SafeString:
    shown = table["rows"][: charts.MAX_SERIES]
    unit = "week" if table["weekly"] else "month"
    return charts.line_chart(
        chart_id="chart-over-time",
        title=f"Signposting by need per {unit}, {period_label.lower()}",
        description=(
            f"A line for each of the {len(shown)} most common needs, showing how many times "
            f"listings were given out for it each {unit}. The figures are in the table below."
        ),
        x_labels=table["labels"],
        series=[charts.Series(row["need"], row["counts"]) for row in shown],
        x_axis="Week starting" if table["weekly"] else "Month",
        y_axis="Times signposted",
        empty_message="No signposting recorded in this period, so there is no chart.",
    )


def district_map(
    table: dict[str, Any], *, chart_id: str, title: str, value_label: str, empty: str
) -> dict[str, Any]:
    """A dot map of ``need_by_area``'s totals per district (all of them, not just the top),
    and the rows of the table beside it, saying which districts could not be placed."""
    dots = []
    for district, total in table["by_district"]:
        try:
            point = district_centroid(district) if district != "Unknown" else None
        except GazetteerUnavailable:  # the map degrades to its table, never a 500
            point = None
        lat, lon = point if point else (None, None)
        dots.append(charts.DistrictValue(district, total, lat, lon))
    placed = sum(1 for d in dots if d.lat is not None)
    svg = charts.district_dot_map(
        chart_id=chart_id,
        title=title,
        description=(
            f"{placed} postcode districts or towns drawn as circles at their centre points, "
            f"sized and shaded by {value_label}. The same figures are in the table beside it."
        ),
        districts=dots,
        value_label=value_label,
        empty_message=empty,
    )
    rows = [{"district": d.district, "n": d.value, "placed": d.lat is not None} for d in dots]
    return {"svg": svg, "rows": rows, "value_label": value_label}


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
    channel_names = dict(Channel.choices)
    by_channel = [
        {"label": channel_names.get(row["channel"], row["channel"])} | row
        for row in events.filter(kind=EventKind.SIGNPOST)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n", "channel")
    ]
    need_area = need_by_area(since)
    need_time = need_over_time(since)
    gaps = need_by_area(since, EventKind.GAP)
    context = {
        "period": period,
        "periods": PERIODS,
        "header_title": "Signposting and demand",
        "page_title": "Signposting and demand",
        "header_icon": "table",
        "total_signposts": events.filter(kind=EventKind.SIGNPOST).count(),
        "total_gaps": events.filter(kind=EventKind.GAP).count(),
        "by_channel": by_channel,
        "channel_chart": charts.bar_chart(
            chart_id="chart-channel",
            title=f"How listings were given, {PERIODS[period].lower()}",
            description="One bar per channel: how many times listings were given out that way.",
            labels=[row["label"] for row in by_channel],
            values=[row["n"] for row in by_channel],
            x_axis="Times listings were given",
            y_axis="Channel",
            empty_message="No listings given out in this period, so there is no chart.",
        ),
        "by_role": events.filter(kind=EventKind.SIGNPOST)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("-n"),
        "need_area": need_area,
        "need_time": need_time,
        "chart_series": charts.MAX_SERIES,
        "top_needs": TOP_NEEDS,
        "over_time_chart": over_time_chart(need_time, PERIODS[period]),
        "area_map": district_map(
            need_area,
            chart_id="map-needs",
            title=f"Needs by postcode district, {PERIODS[period].lower()}",
            value_label="needs recorded",
            empty=f"No signposting in this period has an area we can place on a map {SEE_TABLE}",
        ),
        "gaps": gaps,
        "gap_map": district_map(
            gaps,
            chart_id="map-gaps",
            title=f"Gaps by postcode district, {PERIODS[period].lower()}",
            value_label="needs searched with nothing nearby",
            empty=f"No unmet search in this period has an area we can place on a map {SEE_TABLE}",
        ),
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
