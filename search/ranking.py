"""The one ranking formula every search backend implements.

For a listing that matched a query::

    score = W_TEXT  · text(raw)                      # how well the words match
          + W_GEO   · geo                            # how close it is
          + W_FRESH · freshness(last_verified_on)    # how recently someone checked it

    text(raw)  = raw / (raw + K)          raw = the engine's own relevance (> 0),
                                          K   = that engine's "typical" raw score,
                                          so text() is in [0, 1) and 0.5 means typical.
                                          No query words: text = 0 for every listing.
    geo        = gauss(d) = DECAY ** ((d / radius) ** 2)
                                          d = miles to the nearest venue within the
                                          radius: 1 at the door, 0.5 at the radius edge.
               = COVERS_AREA_GEO          when it matched only by covering the area
                                          (national, a GSS area, or a radius round its
                                          base); less than any in-radius venue, so a
                                          nearby venue always outranks "covers your area".
               = 0                        when no location was given.
    freshness  = 0.5 ** (age_days / FRESH_HALF_LIFE_DAYS), 0 if never verified.

``raw`` and ``K``: SQLite uses a BM25F-style concept score (for each query concept,
its IDF × (1 + weights of the columns containing it); see
``search.backends.fulltext.rank_terms``) with ``K = FTS5_K``; PostgreSQL
uses ``ts_rank()`` with ``K = POSTGRES_K``; Elasticsearch applies the same
``_score / (_score + ES_K)`` in a ``script_score`` function, with the gauss and exp
decays as ``function_score`` functions (``score_mode: sum``, ``boost_mode: replace``).

Ties break on page id, so pagination is stable. ``sort="distance"`` orders by the
nearest venue, then listings that only cover the area, each group by score.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

W_TEXT = 0.6
W_GEO = 0.3
W_FRESH = 0.1

DECAY = 0.5
COVERS_AREA_GEO = 0.4
FRESH_HALF_LIFE_DAYS = 365

FTS5_K = 8.0
POSTGRES_K = 0.3
ES_K = 8.0

EARTH_RADIUS_MILES = 3958.7613


def text_component(raw: float | None, k: float) -> float:
    """``raw / (raw + k)``, or 0 when there was no text query (``raw`` is None)."""
    if raw is None or raw <= 0:
        return 0.0
    return raw / (raw + k)


def gauss_decay(distance_miles: float, scale_miles: float) -> float:
    """Elasticsearch's ``gauss`` decay with offset 0 and ``decay`` = DECAY at ``scale``."""
    scale = max(scale_miles, 0.01)
    return float(DECAY ** ((distance_miles / scale) ** 2))


def freshness(last_verified_on: dt.date | None, today: dt.date) -> float:
    if last_verified_on is None:
        return 0.0
    age = max(0, (today - last_verified_on).days)
    return float(0.5 ** (age / FRESH_HALF_LIFE_DAYS))


def geo_component(
    distance_miles: float | None, covers_area: bool, radius_miles: float, located: bool
) -> float:
    if not located:
        return 0.0
    if distance_miles is not None:
        return gauss_decay(distance_miles, radius_miles)
    return COVERS_AREA_GEO if covers_area else 0.0


def score(text: float, geo: float, fresh: float) -> float:
    """Combine the normalised parts (each already in [0, 1])."""
    return W_TEXT * text + W_GEO * geo + W_FRESH * fresh


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def distances_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """``haversine_miles(lat, lon, ·, ·)`` with the origin's terms worked out once: the
    same arithmetic in the same order, so exactly the same results, for hot loops."""
    p1 = math.radians(lat)
    cos_p1 = math.cos(p1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    diameter = 2 * EARTH_RADIUS_MILES

    def miles(lat2: float, lon2: float) -> float:
        p2 = radians(lat2)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(lon2 - lon) / 2) ** 2
        return diameter * asin(min(1.0, sqrt(a)))

    return miles


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle, for index prefilters."""
    dlat = math.degrees(miles / EARTH_RADIUS_MILES)
    coslat = max(math.cos(math.radians(lat)), 0.01)
    dlon = math.degrees(miles / (EARTH_RADIUS_MILES * coslat))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
