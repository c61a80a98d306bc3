"""How near a listing is to someone searching from a point: the one rule.

A listing is near through a venue within the radius (the closer, the nearer), or by
covering the searcher's area (national, a council or ward area, or a radius round its
base) with no venue within the radius: "Covers your area". Every venue within the
radius comes before every listing that only covers the area.

``search.ranking`` uses this as the geo part of the search score (web search, the
console); the ORUK API's ``services?postcode=`` orders by it (``directory.oruk.geo``).
It lives in the domain so both can import it.
"""

from __future__ import annotations

#: How far a search reaches when the searcher has not chosen (web search's default
#: radius; the ORUK API's ordering radius without ``proximity``).
DEFAULT_RADIUS_MILES = 3

#: The gauss decay's value at the radius's edge (Elasticsearch's ``decay``).
DECAY = 0.5
#: The geo part of a listing that only covers the area: less than any venue within the
#: radius (DECAY at the edge), more than nothing.
COVERS_AREA_GEO = 0.4


def gauss_decay(distance_miles: float, scale_miles: float) -> float:
    """Elasticsearch's ``gauss`` decay with offset 0 and ``decay`` = DECAY at ``scale``."""
    scale = max(scale_miles, 0.01)
    return float(DECAY ** ((distance_miles / scale) ** 2))


def geo_component(
    distance_miles: float | None, covers_area: bool, radius_miles: float, located: bool
) -> float:
    """1 at the door, DECAY at the radius's edge for the nearest venue within the
    radius (``distance_miles``; None when there is none); else COVERS_AREA_GEO when it
    covers the searcher's area; 0 otherwise, and 0 for everything when the search has
    no location."""
    if not located:
        return 0.0
    if distance_miles is not None:
        return gauss_decay(distance_miles, radius_miles)
    return COVERS_AREA_GEO if covers_area else 0.0
