"""The database backend on SQLite: FTS5 for text and place, the snapshot for the rest.

The FTS5 table ``search_listing_fts`` (rowid = page_id, Porter stemmer, accents
folded, plus geographic tokens in ``places``, see ``geocells``) answers "which
listings match these words near here" in one MATCH; the snapshot then filters,
measures and scores just those (``rank_terms``: a cached-IDF column score). Every
value reaches SQL as a bound parameter; user words reach FTS5 only as double-quoted
tokens of letters and digits (see ``search.query``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.expressions import RawSQL

from directory.text import stem_prefix
from search.documents import ListingDocument
from search.query import ParsedText, SearchQuery, fts5_match_expression
from search.ranking import FTS5_K

from . import geocells
from .snapshot import GeoMatch, ListingSnapshot, Row

FTS_TABLE = "search_listing_fts"
TEXT_COLUMNS = "{title summary description keywords organisation}"
IDF_TTL_SECONDS = 600
TEXT_K = FTS5_K


def ids_expression(ids: Sequence[int]) -> RawSQL:
    """A subquery over many ids as a single parameter (no SQL variable limits)."""
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


# --------------------------------------------------------------------------- search


def matches(
    query: SearchQuery, parsed: ParsedText, snap: ListingSnapshot, radius: float
) -> tuple[list[Row], GeoMatch | None]:
    location = query.location
    geo: GeoMatch | None = None
    if parsed.is_empty:
        if location is not None:
            geo = snap.geo(location, radius)
            ids: Iterable[int] = sorted(set(geo.distances) | geo.covering)
        else:
            ids = snap.all_ids()
        return snap.rows(ids, query.filters, None), geo
    # Text and place in one FTS5 MATCH (see geocells), then exact geography for
    # just those listings: the cells are a superset of the circle.
    places = None
    if location is not None:
        places = geocells.query_tokens(location.lat, location.lon, radius, location.area_codes)
    matched = match_ids(parsed, places)
    if location is not None:
        geo = snap.geo(location, radius, only=matched)
        matched = [pk for pk in matched if pk in geo.distances or pk in geo.covering]
    return snap.rows(matched, query.filters, rank_terms(parsed)), geo


# --------------------------------------------------------------------------- writes


def write_text(documents: Sequence[ListingDocument]) -> None:
    """Store the text of freshly inserted ``IndexedListing`` rows."""
    if not documents:
        return
    with connection.cursor() as cursor:
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


def delete_text(ids: Sequence[int]) -> None:
    """Remove rows from the FTS table."""
    id_list = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608 - constant table
                "(SELECT value FROM json_each(%s))",
                [json.dumps(chunk)],
            )


def clear_text() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table name


# --------------------------------------------------------------------------- reads


def place_text(d: ListingDocument) -> str:
    tokens = [token for v in d.venues for token in geocells.venue_tokens(v.lat, v.lon)]
    for circle in d.radius_coverages:
        tokens += geocells.coverage_tokens(circle.lat, circle.lon, circle.miles)
    tokens += [geocells.area_token(code) for code in d.area_codes]
    return " ".join(dict.fromkeys(tokens))


def match_ids(parsed: ParsedText, places: Sequence[str] | None) -> list[int]:
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
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


def _needle(alternative: tuple[str, ...]) -> str:
    # The phrase with its last word cut to its stem, so "cafes" finds "cafe".
    words = list(alternative)
    words[-1] = stem_prefix(words[-1])
    return " ".join(words)


def rank_terms(parsed: ParsedText) -> list[tuple[float, list[str]]]:
    """(IDF, needles) per query concept, for the text score
    (``snapshot.concept_score``, column weights ``snapshot.COLUMN_WEIGHTS``).

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
