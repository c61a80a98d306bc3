"""Scoring and paging, shared by the database backend's engines.

Whatever an engine matched (snapshot positions that passed every column filter,
with the text part of ``search.ranking`` when there were words: see
``textmatch``), this checks exact opening times, counts the facets, scores the
candidates with ``search.ranking`` as array arithmetic, selects the requested page
with ``np.partition`` (top-k, not a full sort) and fetches its display fields in
one more query. The words part (``words``) adds BM25 of the typed words to the
first listings and re-ranks them. Per-listing Python is left only where a rule is
not arithmetic: freshness per distinct verification date, opening times per
distinct set of slots, the words part of the re-rank window, and the page's own rows
(display fields, "why this matched").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection

from directory import reviews
from geography.distance import haversine_miles
from geography.gazetteer.types import ResolvedLocation
from search import ranking
from search.models import IndexedListing
from search.query import ParsedText, SearchHit, SearchQuery, SearchResults, matched_terms

from .. import base
from .arrays import unique_inverse
from .engines import Engine, Matches
from .facets import count_facets
from .snapshot import GeoMatch, ListingSnapshot
from .words import window_size, words_parts

EMPTY = np.empty(0, dtype=np.int64)


def rank(
    query: SearchQuery,
    parsed: ParsedText,
    snap: ListingSnapshot,
    found: Matches,
    geo: GeoMatch | None,
    radius: float,
    engine: Engine,
) -> SearchResults:
    """Score, count and page the matched listings: the same for every engine."""
    now = base.local_now()
    filters = query.filters
    pos = found.positions
    size = len(pos)
    text = found.text if found.text is not None and not parsed.is_empty else np.zeros(size)
    distance, covers = np.full(size, np.nan), np.zeros(size, dtype=bool)
    keep = np.ones(size, dtype=bool)
    if geo is not None and size:
        if len(geo.positions):
            at = np.minimum(np.searchsorted(geo.positions, pos), len(geo.positions) - 1)
            distance, covers = geo.miles[at], geo.covers[at]
            keep = (geo.positions[at] == pos) & (~np.isnan(distance) | covers)
        else:
            keep[:] = False
    if (filters.open_now or filters.open_time is not None) and size:
        keep &= snap.open_mask(pos, filters, now)
    if not keep.all():
        pos, text, distance, covers = pos[keep], text[keep], distance[keep], covers[keep]
    fresh = freshness(snap.take("verified", pos), now.date())
    geo_part = geo_parts(distance, covers, radius) if geo is not None else np.zeros(len(pos))
    # ``ranking.score`` itself, over arrays: it is plain arithmetic.
    combine: Any = ranking.score
    score: np.ndarray = np.asarray(combine(text, geo_part, fresh), dtype=np.float64)
    ids = snap.page_ids(pos)
    start = query.offset
    n = start + query.safe_per_page
    # ``sort="distance"``: the nearest venue first, listings that only cover the
    # area after them; each group by score (``search.ranking``).
    primary = None
    if query.sort == "distance" and geo is not None:
        primary = np.where(np.isnan(distance), np.inf, distance)
    if not parsed.is_empty and primary is None:
        # Sorted by distance, the words part could only break ties of distance.
        score = add_words(score, ids, parsed, snap, engine, window_size(query.safe_per_page))
    order = top(n, score, ids, primary)
    scores = score[order]
    page = order[start:]
    window = [
        (int(ids[i]), float(s), None if np.isnan(distance[i]) else float(distance[i]), bool(c))
        for i, s, c in zip(
            page.tolist(), scores[start:].tolist(), covers[page].tolist(), strict=True
        )
    ]
    return SearchResults(
        hits=_hits(window, parsed, query.location, engine),
        total=len(pos),
        facets=count_facets(snap, pos),
        page=query.safe_page,
        per_page=query.safe_per_page,
        corrected_text=parsed.corrected_text,
        expanded_terms=parsed.expanded_terms,
    )


def add_words(
    score: np.ndarray,
    ids: np.ndarray,
    parsed: ParsedText,
    snap: ListingSnapshot,
    engine: Engine,
    window: int,
) -> np.ndarray:
    """``score`` with ``W_WORDS · words`` added for the first ``window`` listings by
    score (see ``words``). The part is never negative, so those listings stay ahead
    of the others, re-ranked among themselves by the whole score."""
    first = top(window, score, ids)
    score = score.copy()
    score[first] += ranking.W_WORDS * words_parts(ids[first], parsed, snap, engine)
    return score


def freshness(verified: np.ndarray, today: dt.date) -> np.ndarray:
    """``ranking.freshness`` per listing (date ordinals, 0 = never verified): the
    rule itself is called once per date, and remembered for the day."""
    # Remembered per (today, review policy), the rule's only inputs: at a million
    # listings a search meets hundreds of distinct dates.
    key = (today, reviews.review_policy())
    memo = _fresh_memo.get(key)
    if memo is None:
        _fresh_memo.clear()
        memo = _fresh_memo.setdefault(key, {})

    def value(day: int) -> float:
        found = memo.get(day)
        if found is None:
            found = ranking.freshness(dt.date.fromordinal(day) if day > 0 else None, today)
            memo[day] = found
        return found

    if not len(verified):
        return np.zeros(0)
    low, high = int(verified.min()), int(verified.max())
    if high - low <= DENSE_DAYS:  # a table over the range of dates: no sort needed
        dense = np.array([value(day) for day in range(low, high + 1)], dtype=np.float64)
        return dense[verified - low]
    unique, inverse = unique_inverse(verified)
    table = np.array([value(day) for day in unique.tolist()], dtype=np.float64)
    return table[inverse].reshape(-1)


#: ``freshness`` looks dates up in a table over their range when it is this short.
DENSE_DAYS = 4096
#: (today, review policy) -> {date ordinal: ranking.freshness} of ``freshness``.
_fresh_memo: dict[tuple[dt.date, reviews.ReviewPolicy], dict[int, float]] = {}


def geo_parts(distance: np.ndarray, covers: np.ndarray, radius: float) -> np.ndarray:
    """``ranking.geo_component`` for located searches, per listing: the gauss decay
    of the nearest in-radius venue (NaN = none), else COVERS_AREA_GEO when it covers
    the area (``tests/search/test_text_bounds.py`` pins it to the scalar rule)."""
    scale = max(radius, 0.01)
    near = ~np.isnan(distance)
    gauss = ranking.DECAY ** ((np.where(near, distance, 0.0) / scale) ** 2)
    return np.where(near, gauss, np.where(covers, ranking.COVERS_AREA_GEO, 0.0))


def top(n: int, score: np.ndarray, ids: np.ndarray, primary: np.ndarray | None = None) -> Any:
    """Indices of the first ``n`` rows in key order, exactly as a full sort would give
    them: key (-score, page id), or (primary, -score, page id) with ``primary``. The
    page ids are unique, so the key is: ``np.partition`` finds the n-th primary
    value, and only the rows up to it (ties included) are sorted."""
    size = len(score)
    if n <= 0 or size == 0:
        return EMPTY
    first = -score if primary is None else primary
    if n < size:
        kth = np.partition(first, n - 1)[n - 1]
        subset = np.flatnonzero(first <= kth)
    else:
        subset = np.arange(size)
    keys: tuple[np.ndarray, ...] = (ids[subset], -score[subset])
    if primary is not None:
        keys = (*keys, primary[subset])
    return subset[np.lexsort(keys)][:n]


def _hits(
    window: list[tuple[int, float, float | None, bool]],
    parsed: ParsedText,
    location: ResolvedLocation | None,
    engine: Engine,
) -> list[SearchHit]:
    if not window:
        return []
    details = fetch_details([w[0] for w in window], engine)
    hits = []
    for pk, score, distance, covers in window:
        row = details.get(pk)
        if row is None:  # removed between the two queries
            continue
        text = "\n".join((row["title"], row["summary"], row["description"], row["keywords"]))
        venue = _nearest_venue(row["venues"], location)
        hits.append(
            SearchHit(
                page_id=pk,
                score=round(score, 6),
                distance_miles=None if distance is None else round(distance, 2),
                covers_area=covers,
                matched_terms=matched_terms(parsed, text),
                title=row["title"],
                summary=row["summary"],
                url=row["url"],
                organisation=row["organisation"],
                nearest_venue=_venue_label(venue),
                venue_point=(float(venue[2]), float(venue[3])) if venue else None,
                is_free=bool(row["is_free"]),
                temporarily_closed=bool(row["temporarily_closed"]),
                last_verified_on=_as_date(row["last_verified_on"]),
                categories=tuple(row["categories"].split()),
            )
        )
    return hits


DETAIL_FIELDS = (
    "page_id",
    "title",
    "summary",
    "description",
    "keywords",
    "organisation",
    "url",
    "venues",
    "is_free",
    "temporarily_closed",
    "last_verified_on",
    "categories",
)


def fetch_details(ids: Sequence[int], engine: Engine) -> dict[int, dict[str, Any]]:
    """Display fields of one page of results, by id, on a plain cursor (values as
    the database returns them: JSON as text on SQLite, booleans as 0/1)."""
    if not ids:
        return {}
    expression = engine.ids_expression(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(DETAIL_FIELDS)} FROM {IndexedListing._meta.db_table} "  # noqa: S608
            f"WHERE page_id IN ({expression.sql})",
            expression.params,
        )
        rows = [dict(zip(DETAIL_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["venues"], str):
            row["venues"] = json.loads(row["venues"])
    return {int(row["page_id"]): row for row in rows}


def _as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _nearest_venue(venues: list[Any], location: ResolvedLocation | None) -> list[Any] | None:
    """The venue (name, postcode, lat, lon) nearest the searcher, else the first."""
    if not venues:
        return None
    if location is not None:
        venues = sorted(
            venues, key=lambda v: haversine_miles(location.lat, location.lon, v[2], v[3])
        )
    return list(venues[0])


def _venue_label(venue: list[Any] | None) -> str:
    return ", ".join(part for part in (venue[0], venue[1]) if part) if venue else ""
