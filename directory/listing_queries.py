"""Simple published-listing queries used before the full search backend is wired in."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from geopy.distance import great_circle

from directory.models import ServicePage

MAX_SIMPLE_RESULTS = 50
GAZETTEER_MISSING_MESSAGE = (
    "Searching by postcode is not available at the moment. Try again later, or search by keyword."
)
logger = logging.getLogger(__name__)


def published_services() -> Any:
    return ServicePage.objects.live().public()


def simple_listing_search(query: str, postcode: str) -> dict[str, Any]:
    """Keyword filter plus nearest-first ordering when a postcode resolves."""
    from search.gazetteer import (
        AmbiguousLocation,
        GazetteerUnavailable,
        ResolvedLocation,
        resolve_location,
    )

    services = published_services().prefetch_related("locations")
    for word in query.split()[:8]:
        services = services.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    context: dict[str, Any] = {"query": query, "postcode": postcode, "location_error": ""}
    origin = None
    if postcode.strip():
        try:
            found = resolve_location(postcode)
        except GazetteerUnavailable:
            # The detail names server paths; log it for staff, never show it to residents.
            logger.exception("Postcode search is unavailable")
            found = None
            context["location_error"] = GAZETTEER_MISSING_MESSAGE
        if isinstance(found, ResolvedLocation):
            origin = (found.lat, found.lon)
            context["location"] = found
        elif isinstance(found, AmbiguousLocation):
            context["location_choices"] = found.choices
            context["location_error"] = (
                f"There is more than one place called {found.query.strip()}. Choose one."
            )
        elif found is not None:
            context["location_error"] = found.message
    results = []
    for service in services[: MAX_SIMPLE_RESULTS * 10 if origin else MAX_SIMPLE_RESULTS]:
        points = [(loc.latitude, loc.longitude) for loc in service.locations.all() if loc.has_point]
        miles = (
            min((great_circle(origin, p).miles for p in points), default=None) if origin else None
        )
        results.append({"service": service, "miles": miles})
    if origin:
        results.sort(key=lambda r: (r["miles"] is None, r["miles"] or 0))
    context["results"] = results[:MAX_SIMPLE_RESULTS]
    context["searched"] = bool(query.strip() or postcode.strip())
    return context
