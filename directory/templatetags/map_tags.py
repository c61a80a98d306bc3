"""Maps from templates: ``{% venue_map_for title locations origin as map %}``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from directory.maps import HasPoint, SearchPoint, VenueMap, venue_map

register = template.Library()


@register.simple_tag
def venue_map_for(title: str, locations: Iterable[HasPoint], origin: Any = None) -> VenueMap | None:
    """A listing's venue map; ``origin`` is any resolved place (lat, lon, label), such
    as the console caller's, or None."""
    point = SearchPoint(float(origin.lat), float(origin.lon), str(origin.label)) if origin else None
    return venue_map(title, locations, point)
