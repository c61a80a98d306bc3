"""Cache-backed rate limits for the public surfaces (django-ratelimit).

Every limit has a name (its group) and a default rate here; ``settings.RATE_LIMITS``
overrides any of them, e.g. ``{"lists-email-ip": "20/d"}``, and ``None`` lifts one.
Counters live in the default cache, so production needs a shared one (Redis through
``CACHE_URL``): with per-process memory each worker counts on its own.

Over a limit the view answers 429 with the site's "too many requests" page
(``429.html``); the ORUK API answers its own JSON 429 instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

#: Rates as "count/period" (s, m, h or d). The daily caps on anonymous email are what
#: stop the list email being used to send mail in the council's name.
DEFAULT_RATES: dict[str, str | None] = {
    # A resident emailing their own list: per network address and per browser session.
    "lists-email-ip": "10/d",
    "lists-email-session": "3/d",
    # Staff emailing lists to the people they support.
    "lists-email-staff": "60/h",
    "plans-save": "20/h",
    # The officer console's "send details", per officer.
    "console-send": "60/h",
    # The ORUK API per network address; a partner's API key lifts it.
    "oruk-api": "600/m",
    # A resident reporting a problem with a listing (each report emails its editors).
    "problem-report-ip": "10/h",
    # Following a review reminder's "Still correct" link (lifecycle.review_views).
    "review-link-ip": "30/h",
    # The public asking to manage a listing, or to be listed (each emails the moderators;
    # a listing request also creates draft pages).
    "claim-ip": "5/h",
    "listing-request-ip": "5/h",
    # Council staff and lead editors inviting people to edit (each sends an email).
    "invite-user": "30/h",
}

#: How long a client should wait before trying again, in seconds, by period letter.
_RETRY_AFTER = {"s": 1, "m": 60, "h": 3600, "d": 86400}

KeyFunc = Callable[[str, HttpRequest], str]


def rate_for(group: str, request: HttpRequest | None = None) -> str | None:
    """The configured rate for ``group`` (None: unlimited)."""
    overrides: dict[str, str | None] = getattr(settings, "RATE_LIMITS", {})
    if group in overrides:
        return overrides[group]
    return DEFAULT_RATES[group]


def session_key(group: str, request: HttpRequest) -> str:
    """Count per browser session (a visitor without one counts by network address)."""
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


def user_key(group: str, request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


def _usage(request: HttpRequest, group: str, key: str | KeyFunc, increment: bool) -> Any:
    return get_usage(request, group=group, key=key, rate=rate_for, increment=increment)


def used_up(request: HttpRequest, group: str, key: str | KeyFunc = "ip") -> bool:
    """True when the next use would go over the limit (nothing is counted)."""
    usage = _usage(request, group, key, increment=False)
    return bool(usage) and usage["count"] >= usage["limit"]


def count_use(request: HttpRequest, group: str, key: str | KeyFunc = "ip") -> bool:
    """Count one use; True when that use is over the limit."""
    usage = _usage(request, group, key, increment=True)
    return bool(usage) and bool(usage["should_limit"])


def retry_after(group: str) -> int:
    rate = rate_for(group) or "1/m"
    return _RETRY_AFTER.get(rate.rstrip()[-1:], 60)


def too_many_requests(request: HttpRequest, group: str | None = None) -> HttpResponse:
    """The site's 429 page, with a Retry-After header (a minute when the limit is unknown)."""
    wait = retry_after(group) if group else _RETRY_AFTER["m"]
    response = HttpResponse(
        render_to_string("429.html", {"retry_after": wait}, request), status=429
    )
    response["Retry-After"] = str(wait)
    return response


def ratelimited_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``RATELIMIT_VIEW`` for django-ratelimit's middleware: the same 429 page."""
    return too_many_requests(request)


def rate_limit(
    group: str, key: str | KeyFunc = "ip", methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: each request with one of ``methods`` counts; over the limit, 429."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and count_use(request, group, key):
                return too_many_requests(request, group)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
