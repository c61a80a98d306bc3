"""Elasticsearch index settings, mapping, and ``ListingDocument`` → ``_source``.

Text is analysed with the English stemmer and accent folding at index time; the
*search* analyser adds a ``synonym_graph`` filter fed from the concept lexicon (``vocabulary``)
and the taxonomy synonyms (``updateable``, so synonyms can be reloaded without a
reindex via the reload-search-analyzers API). Venues are a multi-valued
``geo_point``; covered GSS codes are ``keyword``s; radius coverages are indexed as
polygons (``geo_shape``) so "does it cover this point" is one ``intersects`` query.
Every text field is also copied, unstemmed, into ``words``: the vocabulary the term
suggester corrects unknown words against (``search.spelling``'s rules).
"""

from __future__ import annotations

import math
from typing import Any

from geography.distance import EARTH_RADIUS_MILES
from search.documents import ListingDocument

TEXT_FIELDS = ("title", "summary", "description", "keywords", "organisation")
#: Field boosts, the Elasticsearch counterpart of the FTS5/PostgreSQL column weights.
SEARCH_FIELDS = ["title^3", "keywords^2", "summary^1.5", "organisation", "description"]
CIRCLE_SIDES = 32
#: Every text field's words, unstemmed, for spelling suggestions (``copy_to``).
SUGGEST_FIELD = "words"


def index_settings(synonym_rules: list[str]) -> dict[str, Any]:
    text_filters = ["english_possessive", "lowercase", "asciifolding"]
    return {
        "number_of_shards": 1,
        # One node is enough for a council directory; raise on a real cluster.
        "number_of_replicas": 0,
        "analysis": {
            "filter": {
                "english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "listing_synonyms": {
                    "type": "synonym_graph",
                    "synonyms": synonym_rules,
                    "lenient": True,
                    "updateable": True,
                },
            },
            "analyzer": {
                "listing_text": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [*text_filters, "english_stemmer"],
                },
                "listing_search": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [*text_filters, "listing_synonyms", "english_stemmer"],
                },
                # Whole words, unstemmed: what the term suggester offers as corrections.
                "listing_words": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": text_filters,
                },
            },
        },
    }


def _text() -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": "listing_text",
        "search_analyzer": "listing_search",
        "copy_to": SUGGEST_FIELD,
    }


MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "page_id": {"type": "long"},
        **{name: _text() for name in TEXT_FIELDS},
        SUGGEST_FIELD: {"type": "text", "analyzer": "listing_words"},
        "url": {"type": "keyword", "index": False},
        "category_codes": {"type": "keyword"},
        "locations": {"type": "geo_point"},
        "venues": {"type": "object", "enabled": False},
        "area_codes": {"type": "keyword"},
        "is_national": {"type": "boolean"},
        "coverage_shapes": {"type": "geo_shape"},
        "radius_coverages": {"type": "object", "enabled": False},
        "is_free": {"type": "boolean"},
        "min_age": {"type": "integer"},
        "max_age": {"type": "integer"},
        "attendance": {"type": "keyword"},
        "accessibility": {"type": "keyword"},
        "open_days": {"type": "keyword"},
        "slots": {
            "type": "nested",
            "properties": {
                "day": {"type": "integer"},
                "opens": {"type": "integer"},
                "closes": {"type": "integer"},
                "ordinal": {"type": "integer"},
                "valid_from": {"type": "date"},
                "valid_to": {"type": "date"},
            },
        },
        "last_verified_on": {"type": "date"},
        "temporarily_closed": {"type": "boolean"},
    },
}


def circle_polygon(lat: float, lon: float, miles: float) -> dict[str, Any]:
    """A GeoJSON polygon approximating a circle (counter-clockwise, closed)."""
    ring = []
    angular = miles / EARTH_RADIUS_MILES
    lat1, lon1 = math.radians(lat), math.radians(lon)
    for i in range(CIRCLE_SIDES):
        bearing = 2 * math.pi * i / CIRCLE_SIDES
        lat2 = math.asin(
            math.sin(lat1) * math.cos(angular)
            + math.cos(lat1) * math.sin(angular) * math.cos(bearing)
        )
        lon2 = lon1 + math.atan2(
            math.sin(bearing) * math.sin(angular) * math.cos(lat1),
            math.cos(angular) - math.sin(lat1) * math.sin(lat2),
        )
        ring.append([round(math.degrees(lon2), 6), round(math.degrees(lat2), 6)])
    ring.reverse()  # bearings go clockwise; GeoJSON outer rings are counter-clockwise
    ring.append(ring[0])
    return {"type": "polygon", "coordinates": [ring]}


def to_source(d: ListingDocument) -> dict[str, Any]:
    return {
        "page_id": d.page_id,
        "title": d.title,
        "summary": d.summary,
        "description": d.description,
        "keywords": d.keywords,
        "organisation": d.organisation,
        "url": d.url,
        "category_codes": list(d.category_codes),
        "locations": [{"lat": v.lat, "lon": v.lon} for v in d.venues],
        "venues": [[v.name, v.postcode, v.lat, v.lon] for v in d.venues],
        "area_codes": list(d.area_codes),
        "is_national": d.is_national,
        "coverage_shapes": [circle_polygon(c.lat, c.lon, c.miles) for c in d.radius_coverages],
        "radius_coverages": [[c.lat, c.lon, c.miles] for c in d.radius_coverages],
        "is_free": d.is_free,
        "min_age": d.min_age,
        "max_age": d.max_age,
        "attendance": list(d.attendance),
        "accessibility": list(d.accessibility),
        "open_days": sorted({str(slot.day) for slot in d.slots}),
        "slots": [
            {
                "day": s.day,
                "opens": s.opens,
                "closes": s.closes,
                "ordinal": s.ordinal,
                "valid_from": s.valid_from.isoformat() if s.valid_from else None,
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            }
            for s in d.slots
        ],
        "last_verified_on": d.last_verified_on.isoformat() if d.last_verified_on else None,
        "temporarily_closed": d.temporarily_closed,
    }
