"""Following the "Still correct" link from a review reminder (``review_links``).

Like Django's password reset: the link's token is moved into the session at once and
the browser redirected to an address without it, so the token does not linger in
history, logs or Referer headers. The confirmation page changes nothing on GET (mail
scanners fetch links); only its button (a POST, with CSRF) confirms. The network
address is rate limited (``review-link-ip``), and a bad, used or expired link gets
one clear page (410) naming no listing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from directory.ids import parse_id
from directory.models import ServicePage
from directory.ratelimits import count_use, too_many_requests, used_up
from lifecycle.review_links import confirm_still_correct, valid_token

RATE_GROUP = "review-link-ip"
SESSION_KEY = "review_link"


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "lifecycle/review_link_invalid.html", status=410)


@never_cache
@require_GET
def review_link(request: HttpRequest, listing_id: str, token: str) -> HttpResponse:
    pk = parse_id(listing_id)
    if used_up(request, RATE_GROUP):
        return too_many_requests(request, RATE_GROUP)
    count_use(request, RATE_GROUP)
    if pk is None or valid_token(token, pk) is None:
        return _invalid(request)
    request.session[SESSION_KEY] = {"listing": pk, "token": token}
    return redirect("review_confirm", listing_id=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def review_confirm(request: HttpRequest, listing_id: str) -> HttpResponse:
    pk = parse_id(listing_id)
    held = request.session.get(SESSION_KEY) or {}
    if pk is None or held.get("listing") != pk:
        return _invalid(request)
    token = valid_token(str(held.get("token", "")), pk)
    if token is None:
        request.session.pop(SESSION_KEY, None)
        return _invalid(request)
    if request.method == "POST":
        if used_up(request, RATE_GROUP):
            return too_many_requests(request, RATE_GROUP)
        count_use(request, RATE_GROUP)
        request.session.pop(SESSION_KEY, None)
        if not confirm_still_correct(token):
            return _invalid(request)
        request.session["review_confirmed"] = pk
        return redirect("review_confirmed", listing_id=pk)
    return render(
        request,
        "lifecycle/review_confirm.html",
        {"service": token.service, "organisation": token.organisation},
    )


@never_cache
@require_GET
def review_confirmed(request: HttpRequest, listing_id: str) -> HttpResponse:
    pk = parse_id(listing_id)
    if pk is None or request.session.get("review_confirmed") != pk:
        return _invalid(request)
    service = ServicePage.objects.filter(pk=pk).first()
    if service is None:
        return _invalid(request)
    return render(request, "lifecycle/review_confirmed.html", {"service": service})
