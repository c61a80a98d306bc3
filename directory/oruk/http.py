"""JSON responses, errors and CORS for the ORUK API.

Every response, errors included, carries ``Access-Control-Allow-Origin: *``: the
feed is public open data, read by browser-based tools such as the ORUK validator.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from directory.ratelimits import count_use, retry_after

logger = logging.getLogger(__name__)

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
    "Access-Control-Allow-Headers": "Accept, Content-Type, X-Api-Key",
    "Access-Control-Max-Age": "86400",
}
REASONS = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """An error the client should see as JSON with this status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def with_cors(response: HttpResponseBase) -> HttpResponseBase:
    for header, value in CORS_HEADERS.items():
        response[header] = value
    return response


def json_response(data: Any, status: int = 200) -> HttpResponseBase:
    # ensure_ascii=False keeps names such as "Community cafés" readable in the feed.
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    return with_cors(response)


def error_response(status: int, message: str) -> HttpResponseBase:
    body = {"status": status, "error": REASONS.get(status, "Error"), "message": message}
    return json_response(body, status=status)


ViewFunc = Callable[..., HttpResponseBase]

API_KEY_HEADER = "X-Api-Key"
RATE_GROUP = "oruk-api"


def has_api_key(request: HttpRequest) -> bool:
    """A partner system's key (``settings.ORUK_API_KEYS``) lifts the per-address limit."""
    sent = request.headers.get(API_KEY_HEADER, "")
    keys: list[str] = getattr(settings, "ORUK_API_KEYS", [])
    # Compare against every key, in constant time, so timing reveals nothing.
    return bool(sent) and any(
        [hmac.compare_digest(sent.encode(), key.encode()) for key in keys if key]
    )


def _over_limit(request: HttpRequest) -> HttpResponseBase | None:
    if has_api_key(request) or not count_use(request, RATE_GROUP, "ip"):
        return None
    response = error_response(429, "Too many requests from this address. Try again later.")
    response["Retry-After"] = str(retry_after(RATE_GROUP))
    return response


def api_view(view: ViewFunc) -> ViewFunc:
    """Read-only JSON view: CORS on everything, JSON errors, never an HTML 500 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return with_cors(HttpResponse(status=204))
        if request.method not in ALLOWED_METHODS:
            response = error_response(405, "This API is read-only: use GET.")
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        if (limited := _over_limit(request)) is not None:
            return limited
        try:
            return with_cors(view(request, *args, **kwargs))
        except ApiError as error:
            return error_response(error.status, error.message)
        except Exception:
            # Log with the traceback, but answer in JSON (with CORS) like every other error.
            logger.exception("ORUK API error on %s", request.get_full_path())
            return error_response(500, "Something went wrong on our side. Please try later.")

    return wrapper
