"""Great-circle distance and bounding boxes: the one home of the Earth's radius.

Every distance the project shows, filters on or ranks by is measured here, so a
listing "within 3 miles" is within 3 miles on every surface (search, the API,
the recommender, the console, the importers' sanity checks).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

#: Mean Earth radius (IUGG, 6371.0088 km) in miles. Distances are short (a council
#: area), so the sphere is accurate to well under 0.5%; what matters is that every
#: surface uses the same figure.
EARTH_RADIUS_MILES = 3958.7613
KM_PER_MILE = 1.609344
METRES_PER_MILE = 1609.344

FloatArray = npt.NDArray[np.float64]


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle miles between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # min(): rounding can push ``a`` a hair above 1 for antipodal points.
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def haversine_miles_array(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """``haversine_miles`` from one point to many, vectorised (equal to a few ulps).

    NaN coordinates give NaN distances, so callers can keep "no point" in the array.
    """
    p1 = np.radians(lat)
    p2 = np.radians(lats)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    result: FloatArray = 2 * EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return result


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle of ``miles`` round a
    point: a cheap index prefilter before the exact ``haversine_miles`` check."""
    angular = miles / EARTH_RADIUS_MILES
    dlat = math.degrees(angular)
    # The circle's widest longitude is asin(sin δ / cos φ), slightly more than
    # δ / cos φ: the simpler form would clip points at the east and west edges.
    # A circle reaching over a pole spans every longitude.
    reach = math.sin(angular) / max(math.cos(math.radians(lat)), 1e-12)
    dlon = 180.0 if reach >= 1.0 else math.degrees(math.asin(reach))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
