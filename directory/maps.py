"""What a map shows, as data for the page's map script (``static/directory/maps.js``).

A map is never the only way to get anything: every point it shows is also in the
page's text, and each map carries a text alternative built here. Tiles come from
settings (``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``); with no tile URL the markers and
the search radius draw on a plain background.

The searcher's point reaches a listing's page through the session (never the URL,
which ends up in access logs): the search page remembers it, the listing reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest

from directory.presentation import miles
from geography.distance import METRES_PER_MILE, haversine_miles

SEARCH_POINT_SESSION_KEY = "directory:search-point"


class HasPoint(Protocol):
    """A ServiceLocation, or anything else with a type, a name and a point."""

    location_type: str
    name: str
    latitude: float | None
    longitude: float | None

    @property
    def one_line_address(self) -> str: ...


@dataclass(frozen=True)
class SearchPoint:
    """Where the person searched from, and the words it is shown with."""

    lat: float
    lon: float
    label: str


@dataclass(frozen=True)
class Marker:
    """One pin: numbered to match a list when ``number`` is set, a link when ``url`` is."""

    lat: float
    lon: float
    label: str
    number: int | None = None
    url: str = ""


@dataclass(frozen=True)
class MapData:
    """A map ready for a template: ``data`` goes in the container's ``data-map``
    attribute, ``description`` is its text alternative."""

    data: str
    description: str


def remember_search_point(request: HttpRequest, point: SearchPoint) -> None:
    """Keep the searcher's point for the listings they open (only when it changes,
    so paging through results does not rewrite the session)."""
    value = {"lat": round(point.lat, 6), "lon": round(point.lon, 6), "label": point.label}
    if request.session.get(SEARCH_POINT_SESSION_KEY) != value:
        request.session[SEARCH_POINT_SESSION_KEY] = value


def recall_search_point(request: HttpRequest) -> SearchPoint | None:
    """The point the person last searched from, if any (and if it is a real point)."""
    session = getattr(request, "session", None)
    raw = session.get(SEARCH_POINT_SESSION_KEY) if session is not None else None
    if not isinstance(raw, dict):
        return None
    try:
        lat, lon, label = float(raw["lat"]), float(raw["lon"]), str(raw["label"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return SearchPoint(lat, lon, label)


def map_payload(
    markers: Iterable[Marker],
    origin: SearchPoint | None = None,
    radius_miles: float | None = None,
) -> str:
    """The JSON the map script draws: tiles, markers, the searcher's point and radius."""
    payload: dict[str, Any] = {
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "markers": [_rounded(asdict(marker)) for marker in markers],
        "origin": _rounded(asdict(origin)) if origin else None,
        "radius_metres": (
            round(radius_miles * METRES_PER_MILE, 1) if origin and radius_miles else None
        ),
    }
    return json.dumps(payload, separators=(",", ":"))


def _rounded(point: dict[str, Any]) -> dict[str, Any]:
    # Six places is about 10 cm: plenty for a pin, and no float noise in the page.
    return {**point, "lat": round(point["lat"], 6), "lon": round(point["lon"], 6)}


def venue_points(locations: Iterable[HasPoint]) -> list[HasPoint]:
    """The places people visit that have a point; online and postal-only ones have none."""
    return [
        loc
        for loc in locations
        if loc.location_type == "physical"
        and loc.latitude is not None
        and loc.longitude is not None
    ]


@dataclass(frozen=True)
class VenueMap(MapData):
    """A listing's venues, and how far the nearest is from the searcher."""

    distance: str = ""
    origin_label: str = ""


def venue_map(
    title: str, locations: Iterable[HasPoint], origin: SearchPoint | None = None
) -> VenueMap | None:
    """The map of one listing's venues, with the searcher's point when known; None when
    the listing has no venue with a point (online only, or not yet placed)."""
    venues = venue_points(locations)
    if not venues:
        return None
    numbered = len(venues) > 1
    markers = [
        Marker(
            lat=float(loc.latitude or 0.0),
            lon=float(loc.longitude or 0.0),
            label=loc.name or loc.one_line_address or title,
            number=index if numbered else None,
        )
        for index, loc in enumerate(venues, start=1)
    ]
    where = "where it is" if len(markers) == 1 else f"its {len(markers)} venues"
    description = f"Map showing {title}: {where}"
    distance = ""
    if origin is not None:
        nearest = min(haversine_miles(origin.lat, origin.lon, m.lat, m.lon) for m in markers)
        distance = miles(nearest)
        description += f", {distance} from {origin.label}"
    return VenueMap(
        data=map_payload(markers, origin),
        description=description,
        distance=distance,
        origin_label=origin.label if origin else "",
    )
