"""The client's address, the one rule login lockouts and rate limits both count by."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our trusted proxies saw, if there are any.

    Each trusted proxy appends the address it received from, so with N proxies the Nth
    entry from the right of X-Forwarded-For is the client; anything further left was
    written by the client and can be forged.
    """
    # Without an address (a WSGI caller that sets none) everyone unknown shares one
    # counter, rather than the rate limiter failing on an empty address.
    remote = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a key, not a bind
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
