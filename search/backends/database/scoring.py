"""Scoring and paging, shared by the database backend's engines.

Whatever an engine matched (rows that passed every column filter, with the text
part of ``search.ranking`` when there were words: see ``textmatch``), this checks
exact opening times, counts the facets, scores each row with ``search.ranking`` and
returns the requested page, its display fields fetched in one more query.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from geography.distance import haversine_miles
from geography.gazetteer.types import ResolvedLocation
from search import ranking
from search.documents import Slot
from search.models import IndexedListing
from search.query import (
    ParsedText,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
    matched_terms,
)

from .. import base
from .engines import Engine, ExactText
from .facets import FacetCounter
from .snapshot import GeoMatch


def rank(
    query: SearchQuery,
    parsed: ParsedText,
    rows: Sequence[Any],
    geo: GeoMatch | None,
    radius: float,
    engine: Engine,
    exact_text: ExactText | None = None,
) -> SearchResults:
    """Score, count and page the matching rows: the same for every engine. With
    ``exact_text``, each row's ``text_rank`` is an upper bound of its text part, and
    the exact part is asked for only as far as the page needs (see ``_head``)."""
    now = base.local_now()
    today = now.date()
    filters = query.filters
    located = geo is not None
    distances = geo.distances if geo is not None else {}
    covering = geo.covering if geo is not None else set()
    check_slots = filters.open_now or filters.open_time is not None
    has_rank = not parsed.is_empty
    # The same ranking function, memoised on its input: many rows share a
    # verification date.
    fresh_of: dict[Any, float] = {}
    kept: list[Any] = []
    add = kept.append
    scored: list[Scored] = []
    append = scored.append
    for row in rows:
        pk = row.page_id
        distance = covers = None
        if located:
            distance = distances.get(pk)
            covers = pk in covering
            if distance is None and not covers:
                continue  # inside the bounding box but outside the circle
        if check_slots and not _open_matches(row.slots, filters, now):
            continue
        add(row)
        text = (row.text_rank or 0.0) if has_rank else 0.0
        verified = row.last_verified_on
        fresh = fresh_of.get(verified)
        if fresh is None:
            fresh = fresh_of[verified] = ranking.freshness(_as_date(verified), today)
        geo_part = ranking.geo_component(distance, bool(covers), radius, located)
        score = ranking.score(text, geo_part, fresh)
        append((pk, score, distance, bool(covers), geo_part, fresh))
    counter = FacetCounter()
    counter.add_all(kept)
    start = query.offset
    # Only the requested page needs ordering: nsmallest gives exactly the head
    # of the full sort (the keys are unique: page id breaks every tie).
    key: Callable[[Scored], Any]
    if query.sort == "distance" and geo is not None:
        key = lambda s: (s[2] is None, s[2] or 0.0, -s[1], s[0])  # noqa: E731
    else:
        key = lambda s: (-s[1], s[0])  # noqa: E731
    head = _head(scored, start + query.safe_per_page, key, exact_text)
    window = [s[:4] for s in head[start:]]
    return SearchResults(
        hits=_hits(window, parsed, query.location, engine),
        total=len(scored),
        facets=counter.facets(),
        page=query.safe_page,
        per_page=query.safe_per_page,
        corrected_text=parsed.corrected_text,
        expanded_terms=parsed.expanded_terms,
    )


#: A row as ranked: page id, score, distance, covers the area, then the geo and
#: freshness parts (to rescore it when its text part was a bound).
Scored = tuple[int, float, float | None, bool, float, float]


def _head(
    scored: list[Scored], n: int, key: Callable[[Scored], Any], exact_text: ExactText | None
) -> list[Scored]:
    """The first ``n`` of ``scored`` in ``key`` order, exactly as a full sort would
    give them (``key`` is unique: page id breaks every tie).

    With ``exact_text``, scores are upper bounds (the text part at its largest),
    and a row's key can only grow (sort later) once its exact text part is known.
    Rows are taken best bound first and rescored; once ``n`` exact rows are kept and
    the next bound already sorts after the last of them, no row left can enter.
    """
    if exact_text is None:
        return heapq.nsmallest(n, scored, key=key)
    pending = [(key(s), s) for s in scored]
    heapq.heapify(pending)
    kept: list[tuple[Any, Scored]] = []
    while pending and n > 0:
        if len(kept) >= n and pending[0][0] > kept[-1][0]:
            break
        pk, _, distance, covers, geo_part, fresh = heapq.heappop(pending)[1]
        score = ranking.score(exact_text(pk), geo_part, fresh)
        exact = (pk, score, distance, covers, geo_part, fresh)
        bisect.insort(kept, (key(exact), exact))
        del kept[n:]
    return [s for _, s in kept]


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


def _open_matches(raw_slots: Any, filters: SearchFilters, now: dt.datetime) -> bool:
    if isinstance(raw_slots, str):  # JSON text, straight from the cursor
        raw_slots = json.loads(raw_slots)
    slots = [Slot.from_json(s) for s in raw_slots or ()]
    if filters.open_now:
        return any(slot.open_at(now) for slot in slots)
    if filters.open_time is None:
        return True
    minute = filters.open_time.hour * 60 + filters.open_time.minute
    day = filters.open_day
    return any(slot.open_at_minute(minute) and (day is None or slot.day == day) for slot in slots)


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
