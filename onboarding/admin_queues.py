"""The moderators' queues of claims and listing requests, in the Wagtail admin.

Only council admins and moderators see them, approve and refuse. Deciding erases the
requester's contact details (``onboarding.requests``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cms.workflows.roles import is_council_manager
from directory.ids import parse_id
from onboarding.forms import DecisionForm
from onboarding.models import Claim, ListingRequest
from onboarding.requests import decide_claim, decide_listing_request, draft_pages

STATUS_FILTERS = {"open": "Open", "approved": "Approved", "refused": "Refused", "all": "All"}


def _require_manager(request: HttpRequest) -> None:
    if not is_council_manager(request.user):
        raise PermissionDenied


def _filtered(request: HttpRequest, queryset: QuerySet) -> tuple[QuerySet, str]:
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    return (queryset if status == "all" else queryset.filter(status=status)), status


def _one(queryset: QuerySet, pk: str) -> Model:
    found_id = parse_id(pk)
    found = queryset.filter(pk=found_id).first() if found_id else None
    if found is None:
        raise Http404("No such request")
    return found


def _queue(request: HttpRequest, title: str, template: str, queryset: QuerySet) -> HttpResponse:
    _require_manager(request)
    items, status = _filtered(request, queryset)
    return render(
        request,
        template,
        {
            "page_title": title,
            "header_title": title,
            "items": items,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "now": timezone.now(),
        },
    )


def claims(request: HttpRequest) -> HttpResponse:
    return _queue(
        request,
        "Requests to manage a listing",
        "onboarding/admin/claims.html",
        Claim.objects.select_related("organisation"),
    )


def listing_requests(request: HttpRequest) -> HttpResponse:
    return _queue(
        request,
        "Requests to be listed",
        "onboarding/admin/listing_requests.html",
        ListingRequest.objects.select_related("organisation"),
    )


def _decide(
    request: HttpRequest,
    item: Claim | ListingRequest,
    decide: Callable[..., object],
    said: tuple[str, str],
    queue: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The one decision screen: approve or refuse an open request, then back to the
    queue with ``said`` (approved, refused); otherwise the request and the form."""
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and item.is_open and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide(item, approve, request.user, request)
        messages.success(request, said[0] if approve else said[1])
        return redirect(queue)
    return render(request, template, {**context, "item": item, "form": form})


def claim(request: HttpRequest, pk: str) -> HttpResponse:
    _require_manager(request)
    item = _one(Claim.objects.select_related("organisation"), pk)
    assert isinstance(item, Claim)
    title = f"Request to manage #{item.pk}"
    return _decide(
        request,
        item,
        decide_claim,
        (
            "Approved: the claimant is invited as lead editor.",
            "Refused. The claimant's details are deleted.",
        ),
        "onboarding_claims",
        "onboarding/admin/claim.html",
        {"page_title": title, "header_title": title},
    )


def listing_request(request: HttpRequest, pk: str) -> HttpResponse:
    _require_manager(request)
    item = _one(ListingRequest.objects.select_related("organisation"), pk)
    assert isinstance(item, ListingRequest)
    title = f"Request to be listed #{item.pk}"
    return _decide(
        request,
        item,
        decide_listing_request,
        (
            "Approved: the listing is published and the requester invited as lead editor.",
            "Refused: the draft listing is deleted.",
        ),
        "onboarding_listing_requests",
        "onboarding/admin/listing_request.html",
        {
            "page_title": title,
            "header_title": title,
            "pages": [page.specific for page in draft_pages(item)],
        },
    )
