"""The ``postcode`` and ``proximity`` parameters.

ORUK says: when a service has service areas, a postcode only finds it if one of
those areas covers the postcode; when ``proximity`` (metres) is given as well, only
results within that distance of the postcode's centroid are returned. Services with
no service areas are taken to serve anyone, so only ``proximity`` limits them.

``/service_at_locations`` lists venues: a ``service_at_location`` is "a link between
a service and a specific location" (HSDS 3.0; ``service_id`` and ``location_id`` are
both required in its tabular form), so a service with no location has none, and
``proximity`` measures to the venue. With ``postcode`` they come nearest first.

``/services`` answers for every service, venue or not, as web search does
(``directory.proximity``, the rule search ranks by): services with a venue within the
radius (``proximity``, else ``ORDER_RADIUS_MILES``), nearest first, then those whose
service area covers the postcode with no venue within the radius, flagged
``covers_area`` ("Covers your area"; a council's services with no location that an
import gave its default area are found this way), then the rest. With ``proximity``,
a service needs a venue within it or a service area covering the postcode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from directory.models import ServiceAreaCoverage, ServiceLocation, ServicePage
from directory.proximity import DEFAULT_RADIUS_MILES, geo_component
from geography.distance import METRES_PER_MILE, bounding_box, haversine_miles

from .http import ApiError
from .params import Params

#: Without ``proximity``, venues this near count as nearby when ordering services;
#: nothing is left out for being further.
ORDER_RADIUS_MILES = float(DEFAULT_RADIUS_MILES)
#: The flag on a service matched by covering the postcode, with no venue within the radius.
COVERS_AREA = "covers_area"

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Searcher:
    """Where ``postcode`` resolved to, and ``proximity`` in metres if given."""

    lat: float
    lon: float
    area_codes: frozenset[str]
    metres: float | None = None

    @property
    def radius_miles(self) -> float:
        return self.metres / METRES_PER_MILE if self.metres is not None else ORDER_RADIUS_MILES


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


def searcher(params: Params) -> Searcher | None:
    """The ``postcode`` and ``proximity`` asked for, or None when no postcode was given."""
    postcode = params.text("postcode")
    metres = params.metres("proximity")
    if not postcode:
        if metres is not None:
            raise ApiError(400, "'proximity' needs a 'postcode' to measure from.")
        return None
    return Searcher(*resolve_postcode(postcode), metres)


def covering_areas(lat: float, lon: float, area_codes: frozenset[str]) -> QuerySet[Any]:
    """Page ids with a service area covering the point (national, a GSS area, a radius)."""
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
    return ServiceAreaCoverage.objects.filter(
        Q(kind="national")
        | Q(kind="area", area__gss_code__in=area_codes)
        | Q(page_id__in=radius_pages)
    ).values("page_id")


def covering(lat: float, lon: float, area_codes: frozenset[str]) -> Q:
    """A ``ServicePage`` filter: no service areas, or an area covering the point."""
    with_areas = ServiceAreaCoverage.objects.values("page_id")
    return ~Q(pk__in=with_areas) | Q(pk__in=covering_areas(lat, lon, area_codes))


def venues_near(lat: float, lon: float, miles: float) -> list[tuple[int, int, float]]:
    """(location pk, page id, miles) of every venue within ``miles`` of the point
    (a bounding box in SQL, then the exact distance)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, miles)
    candidates = ServiceLocation.objects.filter(
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
    ).values_list("pk", "page_id", "latitude", "longitude")
    found = []
    for pk, page_id, point_lat, point_lon in candidates:
        distance = haversine_miles(lat, lon, point_lat, point_lon)
        if distance <= miles:
            found.append((pk, page_id, distance))
    return found


def locations_near(lat: float, lon: float, metres: float) -> list[int]:
    """Pks of locations within ``metres`` of the point."""
    return [pk for pk, _, _ in venues_near(lat, lon, metres / METRES_PER_MILE)]


@dataclass(frozen=True)
class ServicesNear:
    """Services found round a postcode: their ids in order, and which to flag."""

    ids: list[int]
    covers_area: frozenset[int]

    def flagging(self, batch: Callable[[list[Any]], list[JsonDict]]) -> Any:
        """``batch`` with ``covers_area: true`` on the services matched by coverage."""

        def serialise(rows: list[ServicePage]) -> list[JsonDict]:
            items = batch(rows)
            for row, item in zip(rows, items, strict=True):
                if row.pk in self.covers_area:
                    item[COVERS_AREA] = True
            return items

        return serialise


def services_near(services: QuerySet[ServicePage], where: Searcher) -> ServicesNear:
    """``services`` filtered by the postcode (and proximity), in the order and with
    the flag web search gives them (see the module's docstring)."""
    candidates: Iterable[int] = services.filter(
        covering(where.lat, where.lon, where.area_codes)
    ).values_list("pk", flat=True)
    covers = set(
        covering_areas(where.lat, where.lon, where.area_codes).values_list("page_id", flat=True)
    )
    radius = where.radius_miles
    nearest: dict[int, float] = {}
    for _, page_id, miles in venues_near(where.lat, where.lon, radius):
        if miles < nearest.get(page_id, radius + 1.0):
            nearest[page_id] = miles
    keyed = []
    flagged = set()
    for pk in candidates:
        distance = nearest.get(pk)
        if where.metres is not None and distance is None and pk not in covers:
            continue
        if distance is None and pk in covers:
            flagged.add(pk)
        geo = geo_component(distance, pk in covers, radius, located=True)
        keyed.append((-geo, pk))
    keyed.sort()
    return ServicesNear([pk for _, pk in keyed], frozenset(flagged))


def filter_locations_by_postcode(
    locations: QuerySet[ServiceLocation], params: Params
) -> QuerySet[ServiceLocation]:
    """``postcode`` + optional ``proximity`` on service_at_locations."""
    where = searcher(params)
    if where is None:
        return locations
    covered = ServicePage.objects.filter(covering(where.lat, where.lon, where.area_codes))
    locations = locations.filter(page_id__in=covered.values("pk"))
    if where.metres is not None:
        locations = locations.filter(pk__in=locations_near(where.lat, where.lon, where.metres))
    return locations


def locations_nearest_first(locations: QuerySet[ServiceLocation], where: Searcher) -> list[int]:
    """The pks of ``locations`` (already filtered by the postcode), nearest venue to
    the postcode first; venues without coordinates last. Ties keep pk order."""
    keyed = []
    for pk, lat, lon in locations.values_list("pk", "latitude", "longitude"):
        located = lat is not None and lon is not None
        miles = haversine_miles(where.lat, where.lon, lat, lon) if located else float("inf")
        keyed.append((miles, pk))
    keyed.sort()
    return [pk for _, pk in keyed]
