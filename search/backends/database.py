"""The default search backend: the project's own database, no extra services.

A search runs in three steps:

1. **Geography** (when there is a location): venues in the radius's bounding box
   (``IndexedLocation`` lat/lon index), listings covering one of the searcher's GSS
   area codes, and radius coverages whose box contains the searcher; exact great-
   circle distances then drop the box's corners. National listings are a flag.
2. **SQL**: full text (FTS5 or tsvector) and every filter that is a column,
   restricted to the geographic candidates. Only ids and facet fields come back.
   On SQLite, a query with words does steps 1 and 2 the other way round: one FTS5
   MATCH of the words AND the place tokens (``geocells``), then exact geography
   for just those ids, then rows only for the ids inside the circle; that keeps
   dense cities fast at 100k listings. Rows come straight off the cursor
   (``fetch_rows``), not through Django's per-row machinery.
3. **Python**, over the matching rows only: exact opening-time checks, facet counts,
   the ``search.ranking`` score, and the page (``heapq.nsmallest``, the head of the
   full order), whose display fields are then fetched in one more query.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import json
import operator
from collections import Counter, namedtuple
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Concat

from search import models, ranking
from search.documents import ListingDocument, Slot, build_documents, iter_documents
from search.gazetteer.types import UK_CODE, ResolvedLocation
from search.models import IndexedCoverage, IndexedListing, IndexedLocation
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

from . import base, db_store, fulltext, geocells
from .base import Progress, SearchBackend, empty_facets
from .lexicon import Lexicon, cached_lexicon

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


@dataclass
class GeoMatch:
    """Which listings are near: distance (miles) to the nearest in-radius venue,
    and the ids that cover the searcher's area (national ones by their flag)."""

    distances: dict[int, float] = field(default_factory=dict)
    covering: set[int] = field(default_factory=set)


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

    def lexicon(self) -> Lexicon:
        return cached_lexicon(f"database:{fulltext.vendor()}", db_store.generation(), _vocabulary)

    # ------------------------------------------------------------------ search

    def search(self, query: SearchQuery) -> SearchResults:
        lexicon = self.lexicon()
        parsed = parse_text(query.text, lexicon.synonyms, lexicon.correct)
        location, radius = query.location, max(0.1, min(float(query.radius_miles), 200.0))
        postgres = fulltext.vendor() == "postgresql"
        fields = [*ROW_FIELDS]
        if query.filters.open_now or query.filters.open_time is not None:
            fields.append("slots")
        qs = filtered_queryset(query.filters)
        geo: GeoMatch | None = None
        rows: list[Any] = []
        if not parsed.is_empty and not postgres:
            # SQLite: text and place in one FTS5 MATCH (see geocells), then exact
            # geography for just those listings.
            places = None
            if location is not None:
                places = geocells.query_tokens(
                    location.lat, location.lon, radius, location.area_codes
                )
            # Two steps: MATCH → ids, then rows by primary key. SQLite runs
            # "page_id IN (SELECT rowid ... MATCH)" about twice as slowly.
            ids = fulltext.sqlite_match_ids(parsed, places)
            if location is not None and ids:
                # Exact geography for the matched ids (index range scans round the
                # searcher beat thousands of id lookups), then rows only for the
                # ids inside the circle or covering the area: the cells are a
                # superset, and each row fetched costs a lookup and a rank.
                geo = geo_candidates(location, radius, only=set(ids))
                ids = [pk for pk in ids if pk in geo.distances or pk in geo.covering]
            if ids:
                qs = qs.filter(pk__in=fulltext.ids_expression(ids))
                qs = qs.annotate(text_rank=fulltext.sqlite_text_rank(parsed))
                rows = fetch_rows(qs, (*fields, "text_rank"))
            if location is not None and geo is None:
                geo = GeoMatch()  # nothing matched the words
        else:
            candidates: list[int] | None = None
            if location is not None:
                geo = geo_candidates(location, radius)
                candidates = sorted(set(geo.distances) | geo.covering)
                qs = qs.filter(pk__in=fulltext.ids_expression(candidates))
            if not parsed.is_empty:
                qs = fulltext.apply_postgres_text(qs, parsed)
                fields.append("text_rank")
            if candidates is None or candidates:
                rows = fetch_rows(qs, tuple(fields))
        return self._rank(query, parsed, rows, geo, radius)

    def _rank(
        self,
        query: SearchQuery,
        parsed: ParsedText,
        rows: list[Any],
        geo: GeoMatch | None,
        radius: float,
    ) -> SearchResults:
        now = base.local_now()
        today = now.date()
        filters = query.filters
        k = fulltext.text_k()
        located = geo is not None
        distances = geo.distances if geo is not None else {}
        covering = geo.covering if geo is not None else set()
        check_slots = bool(rows) and "slots" in rows[0]._fields
        has_rank = bool(rows) and "text_rank" in rows[0]._fields
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
        details = {
            row["page_id"]: row
            for row in IndexedListing.objects.filter(pk__in=[w[0] for w in window]).values(
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
        }
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
                    is_free=row["is_free"],
                    temporarily_closed=row["temporarily_closed"],
                    last_verified_on=row["last_verified_on"],
                    categories=tuple(row["categories"].split()),
                )
            )
        return hits


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


def geo_candidates(
    location: ResolvedLocation, radius: float, only: Container[int] | None = None
) -> GeoMatch:
    """Distances and coverage round ``location``; with ``only`` (the ids a text
    search already matched), venue distances are worked out for those ids alone."""
    lat, lon = location.lat, location.lon
    min_lat, max_lat, min_lon, max_lon = ranking.bounding_box(lat, lon, radius)
    match = GeoMatch()
    distances = match.distances
    miles_to = ranking.distances_from(lat, lon)
    # Covered by the (lat, lon, listing) index: no table lookups. A plain cursor: a
    # dense city has thousands of venues in the box, and Django's row handling
    # would cost more than the scan.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT listing_id, lat, lon FROM {LOCATION_TABLE} "  # noqa: S608 - constant
            "WHERE lat >= %s AND lat <= %s AND lon >= %s AND lon <= %s",
            [min_lat, max_lat, min_lon, max_lon],
        )
        venues = cursor.fetchall()
    for listing_id, vlat, vlon in venues:
        if only is not None and listing_id not in only:
            continue
        miles = miles_to(vlat, vlon)
        if miles <= radius and miles < distances.get(listing_id, INFINITY):
            distances[listing_id] = miles
    # National listings have a K02000001 coverage row, found with the other codes
    # through the area_code index. (Filtering on the is_national boolean would not
    # use its index on SQLite: Django writes it as a bare column, not "= 1".)
    codes = sorted(location.area_codes | {UK_CODE})
    if codes:
        match.covering.update(
            IndexedCoverage.objects.filter(area_code__in=codes).values_list("listing_id", flat=True)
        )
    circles = IndexedCoverage.objects.filter(
        min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
    ).values_list("listing_id", "lat", "lon", "radius_miles")
    for listing_id, clat, clon, reach in circles:
        if clat is None or clon is None or reach is None:
            continue
        if miles_to(clat, clon) <= reach:
            match.covering.add(listing_id)
    return match


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
