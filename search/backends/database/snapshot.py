"""An in-memory copy of the columns the database backend filters, ranks and counts on.

Why: after the full-text MATCH, a search in a dense city has hundreds to thousands
of candidate listings. Looking each one up in SQLite (primary-key index, then a wide
row) and each venue in the bounding-box index cost more than the MATCH itself; in
memory the same work is a dictionary lookup per listing and one vectorised distance
calculation for all venues.

The copy is read-only and tied to ``IndexState.generation``: every index write sets
a new random generation in the same transaction as the rows, so a process whose copy
was built for another generation rebuilds it before searching. A rebuild reads the
narrow columns only (about a second at 100k listings; milliseconds at a council's
few thousand). Display fields (title, summary, venues' names) stay in the database
and are fetched for the page of results only.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.db import connection, transaction

from geography.distance import bounding_box, haversine_miles, haversine_miles_array
from geography.gazetteer.types import UK_CODE, ResolvedLocation
from search import models
from search.query import SearchFilters, valid_codes

from .. import base

LISTING_TABLE = models.IndexedListing._meta.db_table
LOCATION_TABLE = models.IndexedLocation._meta.db_table
COVERAGE_TABLE = models.IndexedCoverage._meta.db_table
STATE_TABLE = models.IndexState._meta.db_table
ATTENDANCE_BITS = {
    "in_person": models.FLAG_IN_PERSON,
    "online": models.FLAG_ONLINE,
    "phone": models.FLAG_PHONE,
}
ACCESSIBILITY_BITS = {
    "wheelchair": models.FLAG_WHEELCHAIR,
    "hearing_loop": models.FLAG_HEARING_LOOP,
    "accessible_toilet": models.FLAG_ACCESSIBLE_TOILET,
    "parking": models.FLAG_PARKING,
}


class Record(NamedTuple):
    """One listing's filter and rank columns."""

    flags: int
    open_days: int
    categories: str
    last_verified_on: dt.date | None
    min_age: int | None
    max_age: int | None
    slots: Any  # JSON text (SQLite) or a list (PostgreSQL); parsed only if needed
    rank_text: str
    title_end: int
    keywords_end: int
    summary_end: int


class Row(NamedTuple):
    """What ``DatabaseSearchBackend._rank`` and ``FacetCounter`` read of a match."""

    page_id: int
    flags: int
    open_days: int
    categories: str
    last_verified_on: dt.date | None
    #: The text part of ``search.ranking`` (in [0, 1]), or an upper bound of it when
    #: the engine gives ``engines.ExactText``; None without query words.
    text_rank: float | None
    slots: Any


#: The engine's text score of a listing: ``(page id, record) -> text part``.
TextScorer = Callable[[int, Record], float]


@dataclass
class GeoMatch:
    """Which listings are near: distance (miles) to the nearest in-radius venue,
    and the ids that cover the searcher's area (national ones by their flag)."""

    distances: dict[int, float] = field(default_factory=dict)
    covering: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ListingSnapshot:
    generation: int
    records: dict[int, Record]
    #: Venues sorted by listing id (for "these listings' venues")...
    venue_ids: np.ndarray
    venue_lat: np.ndarray
    venue_lon: np.ndarray
    #: ... and the same venues sorted by latitude (for "venues in this band").
    band_lat: np.ndarray
    band_lon: np.ndarray
    band_ids: np.ndarray
    area_listings: dict[str, tuple[int, ...]]
    #: Radius coverages: listing id, centre and reach.
    circles: tuple[tuple[int, float, float, float], ...]

    def geo(
        self, location: ResolvedLocation, radius: float, only: Iterable[int] | None = None
    ) -> GeoMatch:
        """Distances and coverage round ``location``: for the listings in ``only``
        (a text search's matches), or for every venue within ``radius``."""
        if only is None:
            min_lat, max_lat, min_lon, max_lon = bounding_box(location.lat, location.lon, radius)
            band = slice(
                int(np.searchsorted(self.band_lat, min_lat, side="left")),
                int(np.searchsorted(self.band_lat, max_lat, side="right")),
            )
            lons = self.band_lon[band]
            inside = (lons >= min_lon) & (lons <= max_lon)
            ids, lats, lons = self.band_ids[band][inside], self.band_lat[band][inside], lons[inside]
        else:
            ids, lats, lons = self._venues_of(only)
        match = GeoMatch()
        if len(ids):
            miles = haversine_miles_array(location.lat, location.lon, lats, lons)
            near = miles <= radius
            distances = match.distances
            get = distances.get
            for pk, d in zip(ids[near].tolist(), miles[near].tolist(), strict=True):
                if d < get(pk, radius + 1.0):
                    distances[pk] = d
        wanted = None if only is None else set(only)
        for code in location.area_codes | {UK_CODE}:
            for pk in self.area_listings.get(code, ()):
                if wanted is None or pk in wanted:
                    match.covering.add(pk)
        for pk, clat, clon, reach in self.circles:
            if (
                (wanted is None or pk in wanted)
                and pk not in match.covering
                and haversine_miles(location.lat, location.lon, clat, clon) <= reach
            ):
                match.covering.add(pk)
        return match

    def _venues_of(self, ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        wanted = np.fromiter(ids, dtype=np.int64)
        lo = np.searchsorted(self.venue_ids, wanted, side="left")
        hi = np.searchsorted(self.venue_ids, wanted, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            empty = np.empty(0)
            return np.empty(0, dtype=np.int64), empty, empty
        # Positions lo[i], lo[i]+1, ..., hi[i]-1 for every wanted listing, flattened.
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        index = np.repeat(lo, counts) + offsets
        return self.venue_ids[index], self.venue_lat[index], self.venue_lon[index]

    def rows(
        self,
        ids: Iterable[int],
        filters: SearchFilters,
        score: TextScorer | None,
    ) -> list[Row]:
        """The listings among ``ids`` that pass every column filter (the same tests
        as ``postgres.filtered_queryset``), with their text score when ``score``."""
        accept = row_filter(filters)
        if accept is None:
            return []
        records = self.records
        out: list[Row] = []
        append = out.append
        for pk in ids:
            record = records.get(pk)
            if record is None or not accept(record):
                continue
            rank = None if score is None else score(pk, record)
            append(
                Row(
                    pk,
                    record.flags,
                    record.open_days,
                    record.categories,
                    record.last_verified_on,
                    rank,
                    record.slots,
                )
            )
        return out

    def all_ids(self) -> list[int]:
        return list(self.records)


def row_filter(filters: SearchFilters) -> Any:
    """A predicate over ``Record`` for every filter that is a column, or None when
    nothing can match (e.g. only unknown category codes)."""
    required = models.FLAG_FREE if filters.free_only else 0
    for feature in filters.accessibility:
        required |= ACCESSIBILITY_BITS.get(feature, 0)
    either = 0
    for mode in filters.attendance:
        either |= ATTENDANCE_BITS.get(mode, 0)
    age = int(filters.age) if filters.age is not None else None
    codes: tuple[str, ...] = ()
    if filters.categories:
        codes = tuple(f" {code} " for code in valid_codes(filters.categories))
        if not codes:
            return None
    day = base.local_now().weekday() if filters.open_now else filters.open_day
    day_bit = 1 << int(day) if day is not None and 0 <= int(day) <= 6 else 0
    any_day = not day_bit and filters.open_time is not None
    not_closed = filters.open_now

    def accept(r: Record) -> bool:
        flags = r.flags
        if flags & required != required or (either and not flags & either):
            return False
        if age is not None and (
            (r.min_age is not None and r.min_age > age)
            or (r.max_age is not None and r.max_age < age)
        ):
            return False
        if codes:
            padded = f" {r.categories} "
            if not any(code in padded for code in codes):
                return False
        if day_bit and not r.open_days & day_bit:
            return False
        if any_day and r.open_days <= 0:
            return False
        return not (not_closed and flags & models.FLAG_TEMPORARILY_CLOSED)

    return accept


# --------------------------------------------------------------------------- cache


def current_generation() -> int:
    """``IndexState.generation`` on this connection, read with one plain query (it
    runs before every search)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {STATE_TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


_cache: dict[tuple[str, str], ListingSnapshot] = {}
_lock = threading.Lock()


def snapshot_for(generation: int) -> ListingSnapshot:
    """This database's snapshot at ``generation`` (or newer, if the index changed
    meanwhile), built if this process has none."""
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    hit = _cache.get(key)
    if hit is not None and hit.generation == generation:
        return hit
    with _lock:
        hit = _cache.get(key)
        if hit is None or hit.generation != generation:
            hit = _cache[key] = build_snapshot()
        return hit


def build_snapshot() -> ListingSnapshot:
    """The generation and the rows, read in one transaction so that they belong
    together: a copy labelled with a generation it does not hold would be trusted
    until the next write.

    SQLite's read transaction sees one state of the file throughout. PostgreSQL
    reads committed rows afresh per statement unless the transaction is REPEATABLE
    READ, which can only be chosen when this is the outermost transaction; inside a
    caller's transaction (a test, or ATOMIC_REQUESTS) its isolation applies.
    """
    outermost = not connection.in_atomic_block
    if outermost and connection.vendor == "sqlite":
        return _build_in_sqlite_read_transaction()
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        generation = current_generation()
        return _read_snapshot(generation)


def _build_in_sqlite_read_transaction() -> ListingSnapshot:
    """A plain (deferred) read transaction. The settings make Django's own SQLite
    transactions ``BEGIN IMMEDIATE``, which takes the write lock: web workers building
    their copies at once, or beside an import, then waited on each other and timed
    out with "database is locked", and the search failed."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            return _read_snapshot(current_generation())
        finally:
            cursor.execute("COMMIT")


def _read_snapshot(generation: int) -> ListingSnapshot:
    interned: dict[str, str] = {}
    records: dict[int, Record] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, flags, open_days, categories, last_verified_on, min_age, "  # noqa: S608
            "max_age, slots, rank_text, rank_title_end, rank_keywords_end, rank_summary_end "
            f"FROM {LISTING_TABLE}"
        )
        for pk, flags, days, cats, verified, min_age, max_age, slots, text, t, k, s in cursor:
            if isinstance(verified, str):
                verified = dt.date.fromisoformat(verified)
            if isinstance(slots, str) and slots in ("[]", ""):
                slots = ()
            records[int(pk)] = Record(
                flags,
                days,
                interned.setdefault(cats, cats),
                verified,
                min_age,
                max_age,
                slots,
                text,
                t,
                k,
                s,
            )
        cursor.execute(f"SELECT listing_id, lat, lon FROM {LOCATION_TABLE}")  # noqa: S608
        venues = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 3)
        cursor.execute(
            f"SELECT listing_id, area_code, lat, lon, radius_miles FROM {COVERAGE_TABLE}"  # noqa: S608
        )
        coverages = cursor.fetchall()
    ids = venues[:, 0].astype(np.int64)
    by_id = np.lexsort((venues[:, 1], ids))
    by_lat = np.argsort(venues[:, 1], kind="stable")
    areas: dict[str, list[int]] = {}
    circles = []
    for pk, code, lat, lon, reach in coverages:
        if code:
            areas.setdefault(code, []).append(int(pk))
        elif lat is not None and lon is not None and reach is not None:
            circles.append((int(pk), float(lat), float(lon), float(reach)))
    return ListingSnapshot(
        generation=generation,
        records=records,
        venue_ids=ids[by_id],
        venue_lat=venues[by_id, 1].copy(),
        venue_lon=venues[by_id, 2].copy(),
        band_lat=venues[by_lat, 1].copy(),
        band_lon=venues[by_lat, 2].copy(),
        band_ids=ids[by_lat],
        area_listings={code: tuple(pks) for code, pks in areas.items()},
        circles=tuple(circles),
    )
