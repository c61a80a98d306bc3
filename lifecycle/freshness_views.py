"""The freshness dashboard's page and CSV (``lifecycle.freshness``): council admins and
moderators only; anyone else is refused (Wagtail sends the signed-out to sign in)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from cms.workflows.roles import is_council_manager
from directory.reviews import ReviewStatus
from lifecycle import freshness as data


def may_see_freshness(user: object) -> bool:
    return is_council_manager(user)


def dashboard(request: HttpRequest) -> HttpResponseBase:
    if not may_see_freshness(request.user):
        raise PermissionDenied
    state = data.freshness()
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(
            data.csv_rows(state, request.user), content_type="text/csv"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="listing-freshness-{state.today.isoformat()}.csv"'
        )
        return response
    median = data.median_approval_days()
    return render(
        request,
        "lifecycle/admin/freshness.html",
        {
            "page_title": "Listing freshness",
            "header_title": "Listing freshness",
            "data": state,
            "status_chart": data.status_chart(state),
            "organisations_chart": data.organisations_chart(state),
            "statuses": [(status.label, state.by_status[status]) for status in ReviewStatus],
            "median_approval_days": median,
            "approval_window_days": data.APPROVAL_WINDOW_DAYS,
            **data.queue_counts(request.user),
        },
    )
