"""Vendor-specific full-text parts of the database backend.

SQLite uses the FTS5 table ``search_listing_fts`` (rowid = page_id, Porter stemmer,
accents folded, plus geographic tokens in ``places``) for matching and a cached-IDF
column score for ranking (see ``rank_terms``); PostgreSQL uses the ``search_vector``
column (weights A title, B categories, C summary/organisation, D description) and
``ts_rank()``. Every value reaches SQL as a bound parameter; user words reach
FTS5 only as double-quoted tokens of letters and digits (see ``search.query``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from search.documents import ListingDocument
from search.query import ParsedText, fold, fts5_match_expression, rough_stem
from search.ranking import FTS5_K, POSTGRES_K

from . import geocells

FTS_TABLE = "search_listing_fts"
TEXT_COLUMNS = "{title summary description keywords organisation}"
#: Column weights for SQLite's text_rank (the Elasticsearch field boosts); a match
#: anywhere, e.g. only in the description, scores 1.
COLUMN_WEIGHTS = (("title", 3.0), ("keywords", 2.0), ("summary", 1.5), ("organisation", 1.0))
IDF_TTL_SECONDS = 600


def vendor() -> str:
    return connection.vendor


def ids_expression(ids: Sequence[int]) -> RawSQL:
    """A subquery over many ids as a single parameter (no SQL variable limits)."""
    if vendor() == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def text_k() -> float:
    return POSTGRES_K if vendor() == "postgresql" else FTS5_K


# --------------------------------------------------------------------------- writes


def write(documents: Sequence[ListingDocument]) -> None:
    """Store the text of freshly inserted ``IndexedListing`` rows."""
    if not documents:
        return
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} "  # noqa: S608 - constant table name
                "(rowid, title, summary, description, keywords, organisation, places) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.page_id,
                        d.title,
                        d.summary,
                        d.description,
                        d.keywords,
                        d.organisation,
                        place_text(d),
                    )
                    for d in documents
                ],
            )
        elif vendor() == "postgresql":
            # Folded text so "café" and "cafe" meet (the "english" config keeps accents).
            cursor.executemany(
                "UPDATE search_indexedlisting SET search_vector = "
                "setweight(to_tsvector('english', %s), 'A') || "
                "setweight(to_tsvector('english', %s), 'B') || "
                "setweight(to_tsvector('english', %s), 'C') || "
                "setweight(to_tsvector('english', %s), 'D') WHERE page_id = %s",
                [
                    (
                        fold(d.title),
                        fold(d.keywords),
                        fold(f"{d.summary}\n{d.organisation}"),
                        fold(d.description),
                        d.page_id,
                    )
                    for d in documents
                ],
            )


def delete(ids: Iterable[int]) -> None:
    """Remove rows from the FTS table (PostgreSQL's vector goes with its row)."""
    if vendor() != "sqlite":
        return
    id_list = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608 - constant table
                "(SELECT value FROM json_each(%s))",
                [json.dumps(chunk)],
            )


def clear() -> None:
    if vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table name


# --------------------------------------------------------------------------- reads


def _postgres_query(parsed: ParsedText) -> SearchQuery:
    combined: Any = None
    for group in parsed.groups:
        either: Any = None
        for alternative in group.alternatives:
            phrase = SearchQuery(" ".join(alternative), search_type="phrase", config="english")
            either = phrase if either is None else either | phrase
        combined = either if combined is None else combined & either
    return combined


def apply_postgres_text(qs: QuerySet[Any], parsed: ParsedText) -> QuerySet[Any]:
    """Restrict ``qs`` to listings matching every term group, annotated ``text_rank``
    (PostgreSQL; SQLite uses ``rank_terms``)."""
    if parsed.is_empty:
        return qs
    query = _postgres_query(parsed)
    return qs.filter(search_vector=query).annotate(text_rank=SearchRank(F("search_vector"), query))


def place_text(d: ListingDocument) -> str:
    tokens = [token for v in d.venues for token in geocells.venue_tokens(v.lat, v.lon)]
    for circle in d.radius_coverages:
        tokens += geocells.coverage_tokens(circle.lat, circle.lon, circle.miles)
    tokens += [geocells.area_token(code) for code in d.area_codes]
    return " ".join(dict.fromkeys(tokens))


def sqlite_match_ids(parsed: ParsedText, places: Sequence[str] | None) -> list[int]:
    """Ids of listings whose text matches every concept (and, with ``places``, that
    carry one of those place tokens), from one FTS5 MATCH."""
    words = fts5_match_expression(parsed)
    if not words:
        return []
    expression = f"{TEXT_COLUMNS} : ({words})"
    if places is not None:
        if not places:
            return []
        expression += " AND places : (" + " OR ".join(f'"{t}"' for t in places) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [expression],
        )
        return [int(row[0]) for row in cursor.fetchall()]


def optimize() -> None:
    """Merge the FTS5 index into one segment (SQLite). Bulk loads leave many
    segments, and every lookup must visit each one; this makes MATCH ~3x faster."""
    if vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"  # noqa: S608
            )


def _needle(alternative: tuple[str, ...]) -> str:
    # The phrase with its last word roughly stemmed, so "cafes" finds "cafe".
    words = list(alternative)
    words[-1] = rough_stem(words[-1])
    return " ".join(words)


def rank_terms(parsed: ParsedText) -> list[tuple[float, list[str]]]:
    """(IDF, needles) per query concept, for SQLite's text score
    (``snapshot.concept_score``).

    BM25F-like but cheap enough for 100k listings: for each query concept, its IDF
    × (1 + the weight of the best column containing it: title 3, categories 2,
    summary 1.5, organisation 1; description-only 0), best alternative wins.
    FTS5's own ``bm25()`` would count every document matching each phrase in the
    whole table on every query (30 ms at 100k); the IDFs here are cached
    (``IDF_TTL_SECONDS``) and the column checks are ``str.find`` on the pre-folded
    ``rank_text`` of the few listings that matched.
    """
    return [
        (idf, [_needle(alternative) for alternative in group.alternatives])
        for group, idf in zip(parsed.groups, _idfs(parsed), strict=True)
    ]


_idf_cache: dict[str, tuple[float, float]] = {}


def _idfs(parsed: ParsedText) -> list[float]:
    """Lucene's BM25 IDF per concept, cached: document frequencies drift slowly."""
    now = time.monotonic()
    total = _cached_count("", now)
    out = []
    for group in parsed.groups:
        expression = fts5_match_expression(ParsedText((group,)))
        df = _cached_count(f"{TEXT_COLUMNS} : ({expression})", now) if expression else total
        out.append(math.log(1 + (total - df + 0.5) / (df + 0.5)))
    return out


def _cached_count(expression: str, now: float) -> float:
    hit = _idf_cache.get(expression)
    if hit is not None and now - hit[1] < IDF_TTL_SECONDS:
        return hit[0]
    with connection.cursor() as cursor:
        if expression:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
        else:
            cursor.execute("SELECT count(*) FROM search_indexedlisting")
        value = float(cursor.fetchone()[0])
    if len(_idf_cache) > 4096:
        _idf_cache.clear()
    _idf_cache[expression] = (value, now)
    return value
