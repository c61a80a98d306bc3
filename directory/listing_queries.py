"""Simple published-listing queries used before the full search backend is wired in."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from geopy.distance import great_circle

from directory.models import ServicePage

MAX_SIMPLE_RESULTS = 50


def published_services() -> Any:
    return ServicePage.objects.live().public()


def simple_listing_search(query: str, postcode: str) -> dict[str, Any]:
    """Keyword filter plus nearest-first ordering when a postcode resolves."""
    from search.gazetteer import GazetteerUnavailable, ResolvedLocation, resolve_location

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
        except GazetteerUnavailable as error:
            found = None
            context["location_error"] = str(error)
        if isinstance(found, ResolvedLocation):
            origin = (found.lat, found.lon)
            context["location"] = found
        elif found is not None:
            context["location_error"] = getattr(found, "message", "We could not find that place.")
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
