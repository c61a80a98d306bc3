"""Builds the Elasticsearch request body for a ``SearchQuery``.

Scoring is ``search.ranking``'s formula as a ``function_score`` (``score_mode: sum``,
``boost_mode: replace``):

* ``script_score``: ``W_TEXT · _score / (_score + ES_K)`` (0 without query words);
* ``gauss`` on the venue ``geo_point`` (scale = radius, decay 0.5, nearest venue),
  weight ``W_GEO``, only for listings with a venue inside the radius;
* a constant ``W_GEO · COVERS_AREA_GEO`` for listings matched only by coverage;
* ``exp`` on ``last_verified_on`` (scale = half-life, decay 0.5), weight ``W_FRESH``.

User text only ever appears as the *value* of ``multi_match`` (never query_string
syntax), so no input can break the request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geography.gazetteer.types import UK_CODE, ResolvedLocation
from search import ranking
from search.query import (
    ATTENDANCE_MODES,
    MAX_QUERY_CHARS,
    SearchFilters,
    SearchQuery,
    valid_codes,
)

from ..base import search_radius
from .mapping import SEARCH_FIELDS

FACET_AGGS: dict[str, Any] = {
    "category": {"terms": {"field": "category_codes", "size": 1000}},
    "free": {"filter": {"term": {"is_free": True}}},
    "attendance": {"terms": {"field": "attendance", "size": 10}},
    "accessibility": {"terms": {"field": "accessibility", "size": 10}},
    "open_day": {"terms": {"field": "open_days", "size": 7}},
}


def text_query(text: str) -> dict[str, Any] | None:
    text = " ".join(text[:MAX_QUERY_CHARS].split())
    if not any(ch.isalnum() for ch in text):
        return None
    return {
        "bool": {
            "should": [
                # Synonyms via the search analyser; every word (or its synonym) needed.
                {
                    "multi_match": {
                        "query": text,
                        "fields": SEARCH_FIELDS,
                        "type": "best_fields",
                        "operator": "and",
                        "boost": 2,
                    }
                },
                # Typos: fuzzy matching with the plain analyser (synonym graphs and
                # fuzziness do not mix).
                {
                    "multi_match": {
                        "query": text,
                        "fields": SEARCH_FIELDS,
                        "type": "best_fields",
                        "operator": "and",
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "analyzer": "listing_text",
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def _within(location: ResolvedLocation, radius: float) -> dict[str, Any]:
    return {
        "geo_distance": {
            "distance": f"{radius}mi",
            "locations": {"lat": location.lat, "lon": location.lon},
        }
    }


def _covers(location: ResolvedLocation) -> dict[str, Any]:
    codes = sorted(code for code in location.area_codes if code != UK_CODE)
    point = {"type": "point", "coordinates": [location.lon, location.lat]}
    should: list[dict[str, Any]] = [
        {"term": {"is_national": True}},
        {"geo_shape": {"coverage_shapes": {"shape": point, "relation": "intersects"}}},
    ]
    if codes:
        should.append({"terms": {"area_codes": codes}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _week_ordinals(day: dt.date) -> list[int]:
    nth = (day.day - 1) // 7 + 1
    last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return [nth, -((last.day - day.day) // 7 + 1)]


def _missing_or(field: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "bool": {
            "should": [{"bool": {"must_not": {"exists": {"field": field}}}}, condition],
            "minimum_should_match": 1,
        }
    }


def filter_clauses(filters: SearchFilters, now: dt.datetime) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    if filters.free_only:
        clauses.append({"term": {"is_free": True}})
    if filters.age is not None:
        age = int(filters.age)
        clauses.append(_missing_or("min_age", {"range": {"min_age": {"lte": age}}}))
        clauses.append(_missing_or("max_age", {"range": {"max_age": {"gte": age}}}))
    modes = [m for m in filters.attendance if m in ATTENDANCE_MODES]
    if modes:
        clauses.append({"terms": {"attendance": modes}})
    for feature in filters.accessibility:
        clauses.append({"term": {"accessibility": feature}})
    if filters.categories:
        clauses.append({"terms": {"category_codes": valid_codes(filters.categories)}})
    slot: list[dict[str, Any]] = []
    if filters.open_now:
        today = now.date()
        minute = now.hour * 60 + now.minute
        slot = [
            {"term": {"slots.day": now.weekday()}},
            {"range": {"slots.opens": {"lte": minute}}},
            {"range": {"slots.closes": {"gt": minute}}},
            _missing_or("slots.valid_from", {"range": {"slots.valid_from": {"lte": today}}}),
            _missing_or("slots.valid_to", {"range": {"slots.valid_to": {"gte": today}}}),
            _missing_or("slots.ordinal", {"terms": {"slots.ordinal": _week_ordinals(today)}}),
        ]
        clauses.append({"term": {"temporarily_closed": False}})
    else:
        if filters.open_day is not None:
            slot.append({"term": {"slots.day": int(filters.open_day)}})
        if filters.open_time is not None:
            minute = filters.open_time.hour * 60 + filters.open_time.minute
            slot.append({"range": {"slots.opens": {"lte": minute}}})
            slot.append({"range": {"slots.closes": {"gt": minute}}})
    if slot:
        clauses.append({"nested": {"path": "slots", "query": {"bool": {"filter": slot}}}})
    return clauses


def search_body(query: SearchQuery, now: dt.datetime) -> dict[str, Any]:
    """Keyword arguments for ``Elasticsearch.search`` (query, aggs, sort, paging)."""
    radius = search_radius(query)
    words = text_query(query.text or "")
    filters = filter_clauses(query.filters, now)
    functions: list[dict[str, Any]] = [
        {
            "script_score": {
                "script": {
                    "source": "params.has_text ? params.w * _score / (_score + params.k) : 0",
                    "params": {
                        "has_text": words is not None,
                        "w": ranking.W_TEXT,
                        "k": ranking.ES_K,
                    },
                }
            }
        },
        {
            "filter": {"exists": {"field": "last_verified_on"}},
            "exp": {
                "last_verified_on": {
                    "origin": now.date().isoformat(),
                    "scale": f"{ranking.FRESH_HALF_LIFE_DAYS}d",
                    "decay": 0.5,
                }
            },
            "weight": ranking.W_FRESH,
        },
    ]
    location = query.location
    if location is not None:
        within, covers = _within(location, radius), _covers(location)
        filters.append({"bool": {"should": [within, covers], "minimum_should_match": 1}})
        functions.append(
            {
                "filter": within,
                "gauss": {
                    "locations": {
                        "origin": {"lat": location.lat, "lon": location.lon},
                        "scale": f"{radius}mi",
                        "offset": "0mi",
                        "decay": ranking.DECAY,
                    },
                    "multi_value_mode": "min",
                },
                "weight": ranking.W_GEO,
            }
        )
        functions.append(
            {
                "filter": {"bool": {"must": covers, "must_not": within}},
                "weight": ranking.W_GEO * ranking.COVERS_AREA_GEO,
            }
        )
    sort: list[Any] = [{"_score": "desc"}, {"page_id": "asc"}]
    if query.sort == "distance" and location is not None:
        sort.insert(
            0,
            {
                "_geo_distance": {
                    "locations": {"lat": location.lat, "lon": location.lon},
                    "order": "asc",
                    "unit": "mi",
                    "mode": "min",
                    "ignore_unmapped": True,
                }
            },
        )
    return {
        "query": {
            "function_score": {
                "query": {"bool": {"must": [words or {"match_all": {}}], "filter": filters}},
                "functions": functions,
                "score_mode": "sum",
                "boost_mode": "replace",
            }
        },
        "aggs": FACET_AGGS,
        "sort": sort,
        "from_": query.offset,
        "size": query.safe_per_page,
        "track_total_hits": True,
        "track_scores": True,  # keep _score on hits when sorting by distance
    }
