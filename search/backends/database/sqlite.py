"""The database backend on SQLite: FTS5 for text and place, the snapshot for the rest.

The FTS5 table ``search_listing_fts`` (rowid = page_id, Porter stemmer, accents
folded, plus geographic tokens in ``places``, see ``geocells``) answers "which
listings mention this concept, as typed or by a synonym". With a place, the snapshot
first finds and filters the listings near it, and each MATCH expression's national
matches come from a bitmap cached per base segment (``textbits``), looked up for just
those candidates: the cost follows the listings near the place, not the country's
matches. Without a place, one statement (a MATCH per concept and kind, ``UNION
ALL``) gives the matches, which the snapshot filters. Either way ``textmatch`` scores
them (coverage and a cached-IDF column score). Every value reaches SQL as a bound
parameter; user words reach FTS5 only as double-quoted tokens of letters and digits
(see ``search.query``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL

from directory.text import stem_prefix
from search.documents import ListingDocument
from search.query import (
    ParsedText,
    Phrase,
    SearchQuery,
    fts5_alternatives_expression,
    fts5_match_expression,
    fts5_phrase_expression,
)
from search.ranking import FTS5_K

from . import geocells, textbits
from .engines import Matches
from .snapshot import GeoMatch, ListingSnapshot, current_generation
from .textmatch import Concept, ConceptHits, TextScores

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
) -> tuple[Matches, GeoMatch | None]:
    location = query.location
    geo: GeoMatch | None = None
    if parsed.is_empty:
        if location is not None:
            geo = snap.geo(location, radius)
            positions = geo.positions
        else:
            positions = snap.all_positions()
        return Matches(snap.filter(positions, query.filters)), geo
    if location is not None:
        # The snapshot's geography and filters first, then each expression's cached
        # national matches looked up for just those candidates (``textbits``): the
        # text work follows the listings near the place, not the country's matches.
        geo = snap.geo(location, radius)
        positions = snap.filter(geo.positions, query.filters)
        codes = text_codes_at(parsed, snap, positions)
        hit = codes > 0
        positions, codes = positions[hit], codes[hit]
        ids = snap.page_ids(positions)
        order = np.argsort(ids, kind="stable")
        scores = TextScores.from_codes(
            ids[order], codes[order], rank_terms(parsed), TEXT_K, snap.rank_records()
        )
        return _scored(positions, scores, snap), geo
    hits = concept_hits(parsed, None)
    positions = snap.positions_of(np.fromiter(hits.ids(), np.int64))
    positions = snap.filter(positions, query.filters)
    # A bound of the text part per listing; ``scoring.rank`` asks for the exact part
    # only where the page needs it (see ``TextScores``).
    scores = TextScores(hits, rank_terms(parsed), TEXT_K, snap.rank_records())
    return _scored(positions, scores, snap), geo


def _scored(positions: np.ndarray, scores: TextScores, snap: ListingSnapshot) -> Matches:
    def exact(at: np.ndarray) -> np.ndarray:
        return scores.exact_many(snap.page_ids(at), snap.rank_records_at(at))

    return Matches(positions, scores.bounds(snap.page_ids(positions)), exact)


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


def concept_hits(parsed: ParsedText, places: Sequence[str] | None) -> ConceptHits:
    """For each concept, the listings mentioning it as typed and those mentioning
    only a synonym, and those with the typed phrase (with ``places``, only listings
    carrying one of those place tokens): one statement of FTS5 MATCHes."""
    hits = ConceptHits.empty(len(parsed.groups))
    if places is not None and not places:
        return hits
    place_clause = ""
    if places is not None:
        place_clause = " AND places : (" + " OR ".join(f'"{t}"' for t in places) + ")"
    wanted = [
        (target, f"{expression}{place_clause}") for target, expression in _selects(parsed, hits)
    ]
    if not wanted:
        return hits
    sql = " UNION ALL ".join(
        f"SELECT rowid, {n} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        for n in range(len(wanted))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression for _, expression in wanted])
        for rowid, n in cursor.fetchall():
            wanted[n][0].add(int(rowid))
    for typed, expanded in zip(hits.typed, hits.expanded, strict=True):
        expanded -= typed  # e(c) is the best of the two
    return hits


def text_codes_at(parsed: ParsedText, snap: ListingSnapshot, positions: np.ndarray) -> np.ndarray:
    """``concept_hits`` among the listings at ``positions`` only, as each one's code
    of ``TextScores.from_codes`` (0: no concept or phrase matched); each FTS5
    expression is looked up in its cached bitmap (see ``textbits``)."""

    def match(words: str) -> np.ndarray:
        if not words:
            return np.zeros(len(positions), dtype=bool)
        expression = f"{TEXT_COLUMNS} : {words}"
        return textbits.matching(FTS_TABLE, expression, snap, positions)

    codes = np.zeros(len(positions), dtype=np.int64)
    for n, group in enumerate(parsed.groups):
        typed = match(fts5_alternatives_expression([group.original]))
        expanded = match(fts5_alternatives_expression(group.alternatives[1:])) & ~typed
        codes += 3**n * (2 * typed.astype(np.int64) + expanded)  # e(c): the best of the two
    codes += 3 ** len(parsed.groups) * match(fts5_phrase_expression(parsed.phrase))
    return codes


def _selects(parsed: ParsedText, hits: ConceptHits) -> list[tuple[set[int], str]]:
    """(the set of ``hits`` to fill, its FTS5 expression) per concept and kind, and
    for the typed phrase; empty expressions left out."""
    selects: list[tuple[set[int], str]] = []
    for n, group in enumerate(parsed.groups):
        selects.append((hits.typed[n], fts5_alternatives_expression([group.original])))
        selects.append((hits.expanded[n], fts5_alternatives_expression(group.alternatives[1:])))
    selects.append((hits.phrase, fts5_phrase_expression(parsed.phrase)))
    return [(target, f"{TEXT_COLUMNS} : {words}") for target, words in selects if words]


def optimize() -> None:
    """Merge the FTS5 index into one segment (SQLite). Bulk loads leave many
    segments, and every lookup must visit each one; this makes MATCH ~3x faster."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


def _needle(alternative: Phrase) -> str:
    # The phrase with its last word cut to its stem, so "cafes" finds "cafe".
    words = list(alternative)
    words[-1] = stem_prefix(words[-1])
    return " ".join(words)


def rank_terms(parsed: ParsedText) -> list[Concept]:
    """IDF and needles per query concept, for the raw text score
    (``textmatch.concept_raw``, column weights ``textmatch.COLUMN_WEIGHTS``).

    BM25F-like but cheap enough for 100k listings: for each query concept, its IDF
    × e(c) × (1 + the weight of the best column containing it: title 3, categories
    2, summary 1.5, organisation 1; description-only 0). FTS5's own ``bm25()`` would
    count every document matching each phrase in the whole table on every query
    (30 ms at 100k); the IDFs here are cached (``IDF_TTL_SECONDS``) and the column
    checks are ``str.find`` on the pre-folded ``rank_text``, only for the matches
    that can still reach the requested page (``textmatch.TextScores``).
    """
    return [
        Concept(idf, [_needle(group.original)], [_needle(a) for a in group.alternatives[1:]])
        for group, idf in zip(parsed.groups, _idfs(parsed), strict=True)
    ]


_idf_cache: dict[str, tuple[float, float]] = {}
#: The index generation the cached counts belong to: any insert or delete starts afresh,
#: so a ranking never depends on an index that is no longer there.
_idf_generation: list[int] = [0]


def _idfs(parsed: ParsedText) -> list[float]:
    """Lucene's BM25 IDF per concept, cached: document frequencies drift slowly."""
    generation = current_generation()
    if generation != _idf_generation[0]:
        _idf_cache.clear()
        _idf_generation[0] = generation
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
