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
``search.backends.database.sqlite.rank_terms``) with ``K = FTS5_K``; PostgreSQL
uses ``ts_rank()`` with ``K = POSTGRES_K``; Elasticsearch applies the same
``_score / (_score + ES_K)`` in a ``script_score`` function, with the gauss and exp
decays as ``function_score`` functions (``score_mode: sum``, ``boost_mode: replace``).

Ties break on page id, so pagination is stable. ``sort="distance"`` orders by the
nearest venue, then listings that only cover the area, each group by score.
"""

from __future__ import annotations

import datetime as dt

W_TEXT = 0.6
W_GEO = 0.3
W_FRESH = 0.1

DECAY = 0.5
COVERS_AREA_GEO = 0.4
FRESH_HALF_LIFE_DAYS = 365

FTS5_K = 8.0
POSTGRES_K = 0.3
ES_K = 8.0


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
