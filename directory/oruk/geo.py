"""The ``postcode`` and ``proximity`` filters.

ORUK says: when a service has service areas, a postcode only finds it if one of
those areas covers the postcode; when ``proximity`` (metres) is given as well, only
results within that distance of the postcode's centroid are returned. Services with
no service areas are taken to serve anyone, so only ``proximity`` limits them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import ServiceAreaCoverage, ServiceLocation, ServicePage
from geography.distance import METRES_PER_MILE, bounding_box, haversine_miles

from .http import ApiError
from .params import Params


def resolve_postcode(text: str) -> tuple[float, float, frozenset[str]]:
    """(lat, lon, area codes) for a postcode or place; ``ApiError`` when it can't."""
    from geography.gazetteer import (
        AmbiguousLocation,
        GazetteerUnavailable,
        ResolvedLocation,
        resolve_location,
    )

    try:
        found = resolve_location(text)
    except GazetteerUnavailable as error:
        raise ApiError(503, f"Postcode search is unavailable: {error}") from None
    if isinstance(found, ResolvedLocation):
        return found.lat, found.lon, found.area_codes
    if isinstance(found, AmbiguousLocation):
        raise ApiError(400, f"'{text}' matches several places; give a full postcode.")
    raise ApiError(400, f"postcode: {found.message}")


def covering(lat: float, lon: float, area_codes: frozenset[str]) -> Q:
    """A ``ServicePage`` filter: no service areas, or an area covering the point."""
    radius_pages = [
        page_id
        for page_id, base_lat, base_lon, miles in ServiceAreaCoverage.objects.filter(
            kind="radius",
            latitude__isnull=False,
            longitude__isnull=False,
            radius_miles__isnull=False,
        ).values_list("page_id", "latitude", "longitude", "radius_miles")
        if haversine_miles(lat, lon, base_lat, base_lon) <= miles
    ]
    covering_areas = ServiceAreaCoverage.objects.filter(
        Q(kind="national")
        | Q(kind="area", area__gss_code__in=area_codes)
        | Q(page_id__in=radius_pages)
    )
    with_areas = ServiceAreaCoverage.objects.values("page_id")
    return ~Q(pk__in=with_areas) | Q(pk__in=covering_areas.values("page_id"))


def locations_near(lat: float, lon: float, metres: float) -> list[int]:
    """Pks of locations within ``metres`` of the point (box in SQL, exact in Python)."""
    miles = metres / METRES_PER_MILE
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, miles)
    candidates = ServiceLocation.objects.filter(
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
    ).values_list("pk", "latitude", "longitude")
    return [
        pk
        for pk, point_lat, point_lon in candidates
        if haversine_miles(lat, lon, point_lat, point_lon) <= miles
    ]


def _postcode_and_proximity(
    params: Params,
) -> tuple[float, float, frozenset[str], float | None] | None:
    """(lat, lon, area codes, proximity in metres) from ``postcode`` and ``proximity``,
    or None when no postcode was given."""
    postcode = params.text("postcode")
    metres = params.metres("proximity")
    if not postcode:
        if metres is not None:
            raise ApiError(400, "'proximity' needs a 'postcode' to measure from.")
        return None
    return (*resolve_postcode(postcode), metres)


def filter_services_by_postcode(
    services: QuerySet[ServicePage], params: Params
) -> QuerySet[ServicePage]:
    """``postcode`` + optional ``proximity`` on services: some location must be near."""
    searcher = _postcode_and_proximity(params)
    if searcher is None:
        return services
    lat, lon, codes, metres = searcher
    services = services.filter(covering(lat, lon, codes))
    if metres is not None:
        near = ServiceLocation.objects.filter(pk__in=locations_near(lat, lon, metres))
        services = services.filter(pk__in=near.values("page_id"))
    return services


def filter_locations_by_postcode(
    locations: QuerySet[ServiceLocation], params: Params
) -> QuerySet[ServiceLocation]:
    """``postcode`` + optional ``proximity`` on service_at_locations."""
    searcher = _postcode_and_proximity(params)
    if searcher is None:
        return locations
    lat, lon, codes, metres = searcher
    covered = ServicePage.objects.filter(covering(lat, lon, codes)).values("pk")
    locations = locations.filter(page_id__in=covered)
    if metres is not None:
        locations = locations.filter(pk__in=locations_near(lat, lon, metres))
    return locations
