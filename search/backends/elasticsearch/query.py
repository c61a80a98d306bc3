"""Builds the Elasticsearch request body for a ``SearchQuery``.

The query text is parsed as the database backend parses it (``search.query``:
filler dropped, concepts, their synonyms from the same lexicon). A listing matches
when it mentions any concept: a ``bool.should`` of one ``dis_max`` per concept (the
typed word at boost 1; each synonym as a phrase at boost ``EXPANDED``),
``minimum_should_match: 1``. Spelling is corrected before the search, as the
database backend does it: only a word no dictionary and no listing knows, from the
term suggester (``suggest_body``), and ``search.spelling`` decides whether the
correction replaces the words or is offered as "Did you mean …?".

Scoring is ``search.ranking``'s formula as a ``function_score`` (``score_mode: sum``,
``boost_mode: replace``):

* ``script_score``: ``W_TEXT · T_RAW · _score / (_score + ES_K)`` (0 without words);
* per concept, constant weights for coverage: ``W_TEXT · T_COVER / n`` when the
  typed word matched, ``· EXPANDED`` of it when only a synonym did;
* ``W_TEXT · T_ALL`` when every typed word matched, ``W_TEXT · T_PHRASE`` when the
  typed phrase did;
* ``gauss`` on the venue ``geo_point`` (scale = radius, decay 0.5, nearest venue),
  weight ``W_GEO``, only for listings with a venue inside the radius;
* a constant ``W_GEO · COVERS_AREA_GEO`` for listings matched only by coverage;
* ``exp`` on ``last_verified_on`` (scale = half-life, decay 0.5), weight ``W_FRESH``,
  only for listings verified on or after ``directory.reviews.stale_before(today)``
  (a stale or never-verified listing gets freshness 0, as ``ranking.freshness``);
* beside it, in a ``bool.should`` that adds its score without changing the
  matches, the words part: ``W_WORDS · bm25 / (bm25 + WORDS_K)`` of every word
  typed (``words_part``).

User text only ever appears as the *value* of ``multi_match`` (never query_string
syntax), so no input can break the request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from directory import reviews
from geography.gazetteer.types import UK_CODE, ResolvedLocation
from search import ranking
from search.documents import WORDS_FIELDS
from search.query import (
    ATTENDANCE_MODES,
    ParsedText,
    Phrase,
    SearchFilters,
    SearchQuery,
    parse_text,
    valid_codes,
)

from ..base import search_radius
from .mapping import SEARCH_FIELDS, SUGGEST_FIELD

FACET_AGGS: dict[str, Any] = {
    "category": {"terms": {"field": "category_codes", "size": 1000}},
    "free": {"filter": {"term": {"is_free": True}}},
    "attendance": {"terms": {"field": "attendance", "size": 10}},
    "accessibility": {"terms": {"field": "accessibility", "size": 10}},
    "open_day": {"terms": {"field": "open_days", "size": 7}},
}


def _phrase_match(phrase: Phrase, boost: float = 1.0) -> dict[str, Any]:
    clause: dict[str, Any] = {
        "query": " ".join(phrase),
        "fields": SEARCH_FIELDS,
        "type": "phrase",
        "analyzer": "listing_text",  # the synonyms are explicit, never the analyser's
    }
    if boost != 1.0:
        clause["boost"] = boost
    return {"multi_match": clause}


def _typed_match(phrase: Phrase) -> dict[str, Any]:
    """The concept as typed (or as corrected before the search: see
    ``suggest_body``); a multi-word concept ("day centre") must appear as that
    phrase. No fuzziness: it would match a real word to another one ("gas" to "gap")."""
    if len(phrase) > 1:
        return _phrase_match(phrase)
    return {
        "multi_match": {
            "query": phrase[0],
            "fields": SEARCH_FIELDS,
            "type": "best_fields",
            "analyzer": "listing_text",
        }
    }


def suggest_body(words: list[str]) -> dict[str, Any]:
    """A term suggester request for words no listing and no dictionary knows: per
    word (``word_<n>``) the closest index word, first letter kept, at most two edits
    away, only when the word itself is in no listing (``suggest_mode: missing``)."""
    return {
        "size": 0,
        "track_total_hits": False,
        "suggest": {
            f"word_{n}": {
                "text": word,
                "term": {
                    "field": SUGGEST_FIELD,
                    "suggest_mode": "missing",
                    "prefix_length": 1,
                    "min_word_length": 3,
                    "max_edits": 2,
                    "size": 1,
                    "sort": "score",
                },
            }
            for n, word in enumerate(words)
        },
    }


def text_query(parsed: ParsedText) -> dict[str, Any] | None:
    """Listings mentioning any concept, scored per concept by the better of the
    typed word (boost 1) and its synonyms (boost ``EXPANDED``)."""
    if parsed.is_empty:
        return None
    concepts = [
        {
            "dis_max": {
                "queries": [
                    _typed_match(group.original),
                    *(_phrase_match(alt, ranking.EXPANDED) for alt in group.alternatives[1:]),
                ]
            }
        }
        for group in parsed.groups
    ]
    return {"bool": {"should": concepts, "minimum_should_match": 1}}


def words_part(parsed: ParsedText) -> dict[str, Any] | None:
    """``W_WORDS · words`` of ``search.ranking``: plain BM25 of every word typed
    (filler included) over ``WORDS_FIELDS`` as one text (``cross_fields``),
    saturated as ``bm25 / (bm25 + WORDS_K)``; None without words."""
    if parsed.is_empty or not parsed.words:
        return None
    return {
        "function_score": {
            "query": {
                "multi_match": {
                    "query": " ".join(parsed.words),
                    "fields": list(WORDS_FIELDS),
                    "type": "cross_fields",
                    "operator": "or",
                    "analyzer": "listing_text",
                }
            },
            "script_score": {
                "script": {
                    "source": "params.w * _score / (_score + params.k)",
                    "params": {"w": ranking.W_WORDS, "k": ranking.WORDS_K},
                }
            },
            "boost_mode": "replace",
        }
    }


def text_functions(parsed: ParsedText) -> list[dict[str, Any]]:
    """The constant parts of the text score: coverage, every word as typed, phrase."""
    if parsed.is_empty:
        return []
    share = ranking.W_TEXT * ranking.T_COVER / len(parsed.groups)
    functions: list[dict[str, Any]] = []
    typed_all = []
    for group in parsed.groups:
        typed = _typed_match(group.original)
        typed_all.append(typed)
        synonyms = [_phrase_match(alt) for alt in group.alternatives[1:]]
        if not synonyms:
            functions.append({"filter": typed, "weight": _round(share)})
            continue
        either = {"bool": {"should": [typed, *synonyms], "minimum_should_match": 1}}
        functions.append({"filter": either, "weight": _round(share * ranking.EXPANDED)})
        functions.append({"filter": typed, "weight": _round(share * (1 - ranking.EXPANDED))})
    functions.append(
        {
            "filter": {"bool": {"filter": typed_all}},
            "weight": _round(ranking.W_TEXT * ranking.T_ALL),
        }
    )
    if parsed.phrase:
        functions.append(
            {
                "filter": _phrase_match(parsed.phrase),
                "weight": _round(ranking.W_TEXT * ranking.T_PHRASE),
            }
        )
    return functions


def _round(weight: float) -> float:
    return round(weight, 6)


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


def search_body(
    query: SearchQuery,
    now: dt.datetime,
    parsed: ParsedText | None = None,
    stale_before: dt.date | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``Elasticsearch.search`` (query, aggs, sort, paging).

    ``parsed`` is the query text parsed with the backend's lexicon (synonyms); by
    default it is parsed without synonyms. ``stale_before`` defaults to the review
    rule's cut-off for ``now``'s date."""
    stale_cut = stale_before or reviews.stale_before(now.date())
    radius = search_radius(query)
    if parsed is None:
        parsed = parse_text(query.text or "")
    words = text_query(parsed)
    filters = filter_clauses(query.filters, now)
    functions: list[dict[str, Any]] = [
        {
            "script_score": {
                "script": {
                    "source": "params.has_text ? params.w * _score / (_score + params.k) : 0",
                    "params": {
                        "has_text": words is not None,
                        "w": _round(ranking.W_TEXT * ranking.T_RAW),
                        "k": ranking.ES_K,
                    },
                }
            }
        },
        *text_functions(parsed),
        {
            # Stale listings (and those never verified) get no freshness at all.
            "filter": {"range": {"last_verified_on": {"gte": stale_cut.isoformat()}}},
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
    scored: dict[str, Any] = {
        "function_score": {
            "query": {"bool": {"must": [words or {"match_all": {}}], "filter": filters}},
            "functions": functions,
            "score_mode": "sum",
            "boost_mode": "replace",
        }
    }
    bm25 = words_part(parsed)
    return {
        # A ``should`` beside the one ``must`` adds its score and never changes
        # which listings match: the words part, added to the formula above.
        "query": {"bool": {"must": [scored], "should": [bm25]}} if bm25 else scored,
        "aggs": FACET_AGGS,
        "sort": sort,
        "from_": query.offset,
        "size": query.safe_per_page,
        "track_total_hits": True,
        "track_scores": True,  # keep _score on hits when sorting by distance
    }
