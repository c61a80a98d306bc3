"""The public forms: "Is this your group? Ask to manage this listing" and "Ask to be
listed".

Both work without JavaScript, with CSRF on, a honeypot field and a per-address rate
limit, like the report-a-problem form (lifecycle.views). After a request the browser is
redirected (POST/redirect/GET) to a thank-you page that carries nothing typed. A signed-in
editor's claim is just a claim: it waits for a moderator like anyone else's.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from directory.ids import parse_id
from directory.models import OrganisationPage, ServicePage
from directory.ratelimits import count_use, too_many_requests, used_up
from lifecycle.forms import error_links
from onboarding.forms import ClaimForm, ListingRequestForm
from onboarding.requests import file_claim, file_listing_request

CLAIM_RATE_GROUP = "claim-ip"
LISTING_RATE_GROUP = "listing-request-ip"


def public_organisation(page_id: str) -> tuple[OrganisationPage, ServicePage | None]:
    """The published organisation a public organisation or service page id names
    (with the service, if it was one), else a 404."""
    pk = parse_id(page_id)
    if pk is None:
        raise Http404("No such listing")
    organisation = OrganisationPage.objects.published().filter(pk=pk).first()
    if organisation is not None:
        return organisation, None
    service = ServicePage.objects.published().filter(pk=pk).first()
    if service is None:
        raise Http404("No such listing")
    parent = OrganisationPage.objects.published().filter(pk=service.get_parent().pk).first()
    if parent is None:
        raise Http404("No such listing")
    return parent, service


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, page_id: str) -> HttpResponse:
    organisation, service = public_organisation(page_id)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if used_up(request, CLAIM_RATE_GROUP):
            return too_many_requests(request, CLAIM_RATE_GROUP)
        if form.is_robot():
            count_use(request, CLAIM_RATE_GROUP)
            # Counted, dropped, and thanked like anyone else, so it learns nothing.
            return redirect("onboarding:claim_sent", page_id=page_id)
        if form.is_valid():
            count_use(request, CLAIM_RATE_GROUP)
            data = form.cleaned_data
            file_claim(
                organisation,
                name=data["name"],
                email=data["email"],
                role=data["role"],
                reason=data["reason"],
            )
            return redirect("onboarding:claim_sent", page_id=page_id)
    return render(
        request,
        "onboarding/claim.html",
        {
            "organisation": organisation,
            "back": service or organisation,
            "form": form,
            "errors": error_links(form, {}) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


def claim_sent(request: HttpRequest, page_id: str) -> HttpResponse:
    organisation, service = public_organisation(page_id)
    return render(
        request,
        "onboarding/claim_sent.html",
        {"organisation": organisation, "back": service or organisation},
    )


@require_http_methods(["GET", "POST"])
def ask_to_be_listed(request: HttpRequest) -> HttpResponse:
    form = ListingRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if used_up(request, LISTING_RATE_GROUP):
            return too_many_requests(request, LISTING_RATE_GROUP)
        if form.is_robot():
            count_use(request, LISTING_RATE_GROUP)
            return redirect("onboarding:listing_request_sent")
        if form.is_valid():
            count_use(request, LISTING_RATE_GROUP)
            file_listing_request(form.cleaned_data)
            return redirect("onboarding:listing_request_sent")
    return render(
        request,
        "onboarding/ask_to_be_listed.html",
        {"form": form, "errors": error_links(form, {}) if form.is_bound else []},
        status=400 if form.is_bound else 200,
    )


def listing_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/listing_request_sent.html")
