"""The default search backend: the project's own database, no extra services.

A search on SQLite runs in three steps:

1. **Full text and place, in SQL**: one FTS5 MATCH of the words AND the place
   tokens round the searcher (``geocells``) gives the ids of listings that match
   the words and are roughly near. Without words, every listing is a candidate.
2. **Geography, filters and text score, in memory** (``snapshot``): exact great-
   circle distances to those listings' venues (the cells are a superset of the
   circle), area and radius coverage, every column filter, and the concept score
   of the words (``fulltext.rank_terms``), from a per-process copy of the index's
   narrow columns that is rebuilt whenever the index's generation changes.
3. **Python**, over the matching rows only: exact opening-time checks, facet counts,
   the ``search.ranking`` score, and the page (``heapq.nsmallest``, the head of the
   full order), whose display fields are then fetched in one more query.

On PostgreSQL, step 1 is the snapshot's geography, then ``tsvector`` matching,
``ts_rank()`` and the filters in SQL over those candidates; step 3 is the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import json
import operator
from collections import Counter, namedtuple
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Concat

from geography.gazetteer.types import ResolvedLocation
from search import models, ranking
from search.documents import ListingDocument, Slot, build_documents, iter_documents
from search.models import IndexedListing, IndexedLocation
from search.query import (
    ACCESSIBILITY_FEATURES,
    ParsedText,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
    matched_terms,
    parse_text,
    valid_codes,
)

from . import base, db_store, fulltext, geocells, snapshot
from .base import Progress, SearchBackend, empty_facets
from .lexicon import Lexicon, cached_lexicon
from .snapshot import GeoMatch

ATTENDANCE_COLUMNS = {"in_person": "in_person", "online": "online", "phone": "by_phone"}
FLAG_FACETS = (
    ("free", "free", models.FLAG_FREE),
    ("attendance", "in_person", models.FLAG_IN_PERSON),
    ("attendance", "online", models.FLAG_ONLINE),
    ("attendance", "phone", models.FLAG_PHONE),
    ("accessibility", "wheelchair", models.FLAG_WHEELCHAIR),
    ("accessibility", "hearing_loop", models.FLAG_HEARING_LOOP),
    ("accessibility", "accessible_toilet", models.FLAG_ACCESSIBLE_TOILET),
    ("accessibility", "parking", models.FLAG_PARKING),
)
FEATURE_COLUMNS = {f: f for f in ACCESSIBILITY_FEATURES}
LOCATION_TABLE = IndexedLocation._meta.db_table
INFINITY = float("inf")
ROW_FIELDS = ("page_id", "flags", "open_days", "categories", "last_verified_on")


class DatabaseSearchBackend(SearchBackend):
    name = "database"

    # ------------------------------------------------------------------ writes

    def index_pages(self, page_ids: Iterable[int]) -> int:
        ids = sorted(set(page_ids))
        documents = build_documents(ids)
        with transaction.atomic():
            db_store.delete_ids([pk for pk in ids if pk not in documents], bump=False)
            return db_store.write_documents(list(documents.values()))

    def index_documents(self, documents: Sequence[ListingDocument], replace: bool = True) -> int:
        """Write prepared documents directly (bulk loads and benchmarks)."""
        return db_store.write_documents(documents, replace=replace)

    def remove_pages(self, page_ids: Iterable[int]) -> None:
        db_store.delete_ids(page_ids)

    def rebuild(self, progress: Progress | None = None) -> int:
        # One transaction: readers keep seeing the old index until it commits.
        written = 0
        with transaction.atomic():
            db_store.clear_all()
            for total, batch in iter_documents():
                written += db_store.write_documents(list(batch.values()), replace=False)
                if progress:
                    progress(written, total)
            fulltext.optimize()
        return written

    def optimize(self) -> None:
        """Compact the full-text index (after bulk loads; cheap to run nightly)."""
        fulltext.optimize()

    def count(self) -> int:
        return IndexedListing.objects.count()

    def lexicon(self, generation: int | None = None) -> Lexicon:
        if generation is None:
            generation = snapshot.current_generation()
        return cached_lexicon(f"database:{fulltext.vendor()}", generation, _vocabulary)

    # ------------------------------------------------------------------ search

    def search(self, query: SearchQuery) -> SearchResults:
        generation = snapshot.current_generation()
        lexicon = self.lexicon(generation)
        parsed = parse_text(query.text, lexicon.synonyms, lexicon.correct)
        location, radius = query.location, max(0.1, min(float(query.radius_miles), 200.0))
        snap = snapshot.snapshot_for(generation)
        geo: GeoMatch | None = None
        if fulltext.vendor() == "postgresql":
            return self._rank(query, parsed, self._postgres_rows(query, parsed, snap), radius)
        if parsed.is_empty:
            if location is not None:
                geo = snap.geo(location, radius)
                ids: Iterable[int] = sorted(set(geo.distances) | geo.covering)
            else:
                ids = snap.all_ids()
            return self._rank(query, parsed, (snap.rows(ids, query.filters, None), geo), radius)
        # Text and place in one FTS5 MATCH (see geocells), then exact geography for
        # just those listings: the cells are a superset of the circle.
        places = None
        if location is not None:
            places = geocells.query_tokens(location.lat, location.lon, radius, location.area_codes)
        matched = fulltext.sqlite_match_ids(parsed, places)
        if location is not None:
            geo = snap.geo(location, radius, only=matched)
            matched = [pk for pk in matched if pk in geo.distances or pk in geo.covering]
        terms = fulltext.rank_terms(parsed)
        return self._rank(query, parsed, (snap.rows(matched, query.filters, terms), geo), radius)

    def _postgres_rows(
        self, query: SearchQuery, parsed: ParsedText, snap: snapshot.ListingSnapshot
    ) -> tuple[list[Any], GeoMatch | None]:
        """Geography from the snapshot, then full text and filters in PostgreSQL."""
        fields = [*ROW_FIELDS]
        if query.filters.open_now or query.filters.open_time is not None:
            fields.append("slots")
        qs = filtered_queryset(query.filters)
        geo = None
        if query.location is not None:
            radius = max(0.1, min(float(query.radius_miles), 200.0))
            geo = snap.geo(query.location, radius)
            candidates = sorted(set(geo.distances) | geo.covering)
            if not candidates:
                return [], geo
            qs = qs.filter(pk__in=fulltext.ids_expression(candidates))
        if not parsed.is_empty:
            qs = fulltext.apply_postgres_text(qs, parsed)
            fields.append("text_rank")
        return fetch_rows(qs, tuple(fields)), geo

    def _rank(
        self,
        query: SearchQuery,
        parsed: ParsedText,
        matches: tuple[Sequence[Any], GeoMatch | None],
        radius: float,
    ) -> SearchResults:
        rows, geo = matches
        now = base.local_now()
        today = now.date()
        filters = query.filters
        k = fulltext.text_k()
        located = geo is not None
        distances = geo.distances if geo is not None else {}
        covering = geo.covering if geo is not None else set()
        check_slots = filters.open_now or filters.open_time is not None
        has_rank = not parsed.is_empty
        # The same ranking functions, memoised on their inputs: many rows share a
        # verification date or a text score (a one-word query has few distinct ones).
        fresh_of: dict[Any, float] = {}
        text_of: dict[Any, float] = {}
        kept: list[Any] = []
        add = kept.append
        scored: list[tuple[int, float, float | None, bool]] = []
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
            raw = row.text_rank if has_rank else None
            text = text_of.get(raw)
            if text is None:
                text = text_of[raw] = ranking.text_component(raw, k)
            verified = row.last_verified_on
            fresh = fresh_of.get(verified)
            if fresh is None:
                fresh = fresh_of[verified] = ranking.freshness(_as_date(verified), today)
            geo_part = ranking.geo_component(distance, bool(covers), radius, located)
            append((pk, ranking.score(text, geo_part, fresh), distance, bool(covers)))
        counter = FacetCounter()
        counter.add_all(kept)
        start = query.offset
        # Only the requested page needs ordering: nsmallest gives exactly the head
        # of the full sort (the keys are unique: page id breaks every tie).
        if query.sort == "distance" and geo is not None:
            head = heapq.nsmallest(
                start + query.safe_per_page,
                scored,
                key=lambda s: (s[2] is None, s[2] or 0.0, -s[1], s[0]),
            )
        else:
            head = heapq.nsmallest(start + query.safe_per_page, scored, key=lambda s: (-s[1], s[0]))
        window = head[start:]
        return SearchResults(
            hits=self._hits(window, parsed, query.location),
            total=len(scored),
            facets=counter.facets(),
            page=query.safe_page,
            per_page=query.safe_per_page,
            corrected_text=parsed.corrected_text,
            expanded_terms=parsed.expanded_terms,
        )

    def _hits(
        self,
        window: list[tuple[int, float, float | None, bool]],
        parsed: ParsedText,
        location: ResolvedLocation | None,
    ) -> list[SearchHit]:
        if not window:
            return []
        details = fetch_details([w[0] for w in window])
        hits = []
        for pk, score, distance, covers in window:
            row = details.get(pk)
            if row is None:  # removed between the two queries
                continue
            text = "\n".join((row["title"], row["summary"], row["description"], row["keywords"]))
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
                    nearest_venue=_nearest_venue(row["venues"], location),
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


def fetch_details(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Display fields of one page of results, by id, on a plain cursor (values as
    the database returns them: JSON as text on SQLite, booleans as 0/1)."""
    if not ids:
        return {}
    expression = fulltext.ids_expression(ids)
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


def _vocabulary() -> list[str]:
    from search.models import IndexedWord

    return list(IndexedWord.objects.values_list("word", flat=True))


def filtered_queryset(filters: SearchFilters) -> QuerySet[IndexedListing]:
    """Every filter that is a plain column, as SQL."""
    qs = IndexedListing.objects.all()
    if filters.free_only:
        qs = qs.filter(is_free=True)
    if filters.age is not None:
        age = int(filters.age)
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=age))
        qs = qs.filter(Q(max_age__isnull=True) | Q(max_age__gte=age))
    modes = [ATTENDANCE_COLUMNS[m] for m in filters.attendance if m in ATTENDANCE_COLUMNS]
    if modes:
        either = Q()
        for column in modes:
            either |= Q(**{column: True})
        qs = qs.filter(either)
    for feature in filters.accessibility:
        if feature in FEATURE_COLUMNS:
            qs = qs.filter(**{FEATURE_COLUMNS[feature]: True})
    if filters.categories:
        codes = valid_codes(filters.categories)
        if not codes:
            return qs.none()
        # Checked on each candidate row ("categories" holds codes with ancestors), not
        # as IN (SELECT ... IndexedCategory): a broad category has tens of thousands
        # of rows, and SQLite would drive the whole query from them.
        padded = Concat(Value(" "), F("categories"), Value(" "), output_field=CharField())
        either = Q()
        for code in codes:
            either |= Q(_categories__contains=f" {code} ")
        qs = qs.annotate(_categories=padded).filter(either)
    day = base.local_now().weekday() if filters.open_now else filters.open_day
    if day is not None and 0 <= int(day) <= 6:
        qs = qs.annotate(_day=F("open_days").bitand(1 << int(day))).filter(_day__gt=0)
    elif filters.open_time is not None:
        qs = qs.filter(open_days__gt=0)
    if filters.open_now:
        qs = qs.filter(temporarily_closed=False)
    return qs


@functools.cache
def _row_type(fields: tuple[str, ...]) -> Any:
    return namedtuple("Row", fields)


def fetch_rows(qs: QuerySet[IndexedListing], fields: tuple[str, ...]) -> list[Any]:
    """``list(qs.values_list(*fields, named=True))`` without Django's per-row work:
    the same SQL on a plain cursor. Thousands of rows come back for a common word in
    a city, and only ``last_verified_on`` (see ``_as_date``) and ``slots`` (see
    ``_open_matches``) would have needed converting."""
    query = qs.values_list(*fields).query
    # Django selects plain columns, then annotations: name them in that order.
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    if sorted(names) != sorted(fields):
        return list(qs.values_list(*fields, named=True))
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # e.g. qs.none()
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchall()
    return list(map(_row_type(names)._make, data))


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


class FacetCounter:
    """Counts identical flag sets, day sets and category strings once each, then
    expands them: far fewer dictionary updates than counting every value per row."""

    def __init__(self) -> None:
        self.flags: Counter[int] = Counter()
        self.days: Counter[int] = Counter()
        self.categories: Counter[str] = Counter()

    def add(self, row: Any) -> None:
        self.flags[row.flags] += 1
        self.days[row.open_days] += 1
        self.categories[row.categories] += 1

    def add_all(self, rows: Sequence[Any]) -> None:
        """``add`` for each row, counted in C (``Counter.update`` of an iterable)."""
        self.flags.update(map(operator.attrgetter("flags"), rows))
        self.days.update(map(operator.attrgetter("open_days"), rows))
        self.categories.update(map(operator.attrgetter("categories"), rows))

    def facets(self) -> dict[str, dict[str, int]]:
        facets = empty_facets()
        for flags, n in self.flags.items():
            for group, name, bit in FLAG_FACETS:
                if flags & bit:
                    facets[group][name] += n
        for mask, n in self.days.items():
            for day in range(7):
                if mask & (1 << day):
                    facets["open_day"][str(day)] += n
        category = facets["category"]
        for codes, n in self.categories.items():
            for code in codes.split():
                category[code] = category.get(code, 0) + n
        return facets


def _nearest_venue(venues: list[Any], location: ResolvedLocation | None) -> str:
    if not venues:
        return ""
    if location is not None:
        venues = sorted(
            venues, key=lambda v: ranking.haversine_miles(location.lat, location.lon, v[2], v[3])
        )
    name, postcode = venues[0][0], venues[0][1]
    return ", ".join(part for part in (name, postcode) if part)
