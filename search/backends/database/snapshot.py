"""A columnar copy of the columns the database backend filters, ranks and counts on.

Why: a broad search has thousands to tens of thousands of candidate listings.
Looking each one up in the database, or in a Python dict of records, cost more
than finding them. Here the narrow columns are numpy arrays
indexed by a dense listing position (``columns``, ``columnar``), so filtering,
distances, freshness, scores, the page (top-k) and the facet counts are array
operations over the candidates (``scoring``, ``facets``).

The copy is read-only and tied to ``IndexState.generation``: every index write sets
a new random generation in the same transaction as the rows (and logs the listings
it changed in ``search.changelog``), so a process whose copy was built for another
generation brings it up to date before searching:

* **shared base**: the first process that needs a full copy builds it and writes
  its arrays to generation-stamped files that every process on the machine
  memory-maps (``snapfiles``): one copy per machine, in the OS page cache;
* **delta**: after a write of a few listings, each process reads just those rows
  (changed rows, plus tombstones for removed ids) and lays them over its base; the
  delta overrides the base (``columnar.ListingSnapshot``);
* **compaction**: when the delta passes ``SEARCH_SNAPSHOT_DELTA_MAX_ROWS``, or the
  log says too much changed (a rebuild), a full base is built and shared instead;
  ``compact()`` (the ``search.compact_search_snapshot`` task) does it in the
  background.

Files that are missing or unusable are never fatal: the copy is built in memory.
Display fields (title, summary, venues' names) stay in the database and are fetched
for the page of results only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction

from search import changelog, models

from . import engines, snapfiles
from .columnar import GeoMatch, ListingSnapshot, removed_ids
from .columns import Columns, build_columns

__all__ = ["GeoMatch", "ListingSnapshot"]

log = logging.getLogger(__name__)

LISTING_TABLE = models.IndexedListing._meta.db_table
LOCATION_TABLE = models.IndexedLocation._meta.db_table
COVERAGE_TABLE = models.IndexedCoverage._meta.db_table
STATE_TABLE = models.IndexState._meta.db_table
DEFAULT_DELTA_MAX_ROWS = 2000
DEFAULT_CHANGELOG_KEEP_ROWS = 20_000
T = TypeVar("T")


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
    meanwhile)."""
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    hit = _cache.get(key)
    if hit is not None and hit.generation == generation:
        return hit
    with _lock:
        hit = _cache.get(key)
        if hit is None or hit.generation != generation:
            hit = _cache[key] = _refresh(generation, hit)
        return hit


def _refresh(generation: int, previous: ListingSnapshot | None) -> ListingSnapshot:
    """The machine's base for ``generation`` if there is one; else a base (this
    process's, or the newest on disk) plus a delta; else a full build."""
    loaded = _load(generation)
    if loaded is not None:
        return loaded
    base = previous
    if base is None:
        newest = snapfiles.newest()
        base = _load(newest) if newest is not None else None
    if base is not None:
        updated = _read_in_transaction(lambda: _with_delta(base))
        if updated is not None:
            return updated
    return _build_and_share()


def _load(generation: int) -> ListingSnapshot | None:
    found = snapfiles.load(generation)
    if found is None:
        return None
    cols, last_seq = found
    return ListingSnapshot(generation, cols, "mmap", last_seq)


def _build_and_share() -> ListingSnapshot:
    built = build_snapshot()
    if snapfiles.save(built.generation, built.cols, built.last_seq):
        # Map the files just written, so this process's copy is the shared one too.
        loaded = _load(built.generation)
        if loaded is not None:
            return loaded
    return built


def compact() -> int:
    """A full base at the current generation, shared on this machine; returns its
    number of listings. For the background task: readers then load the base
    instead of applying a delta.

    The change log is pruned too, but only rows older than the newest
    ``SEARCH_CHANGELOG_KEEP_ROWS``: a base elsewhere (another machine's) that far
    behind would have too large a delta anyway, so it loses nothing by a rebuild.
    """
    previous = snapfiles.newest()
    snap = _build_and_share()
    # The engine's own per-base data (SQLite: the text bitmaps searched lately).
    engines.current().prepare_base(previous, snap)
    keep = int(getattr(settings, "SEARCH_CHANGELOG_KEEP_ROWS", DEFAULT_CHANGELOG_KEEP_ROWS))
    with transaction.atomic():
        changelog.prune_through(snap.last_seq - keep)
    return len(snap)


def _delta_max_rows() -> int:
    return int(getattr(settings, "SEARCH_SNAPSHOT_DELTA_MAX_ROWS", DEFAULT_DELTA_MAX_ROWS))


def _with_delta(base: ListingSnapshot) -> ListingSnapshot | None:
    """``base`` with the listings changed since it was built laid over it, at the
    current generation; None when a full build is due (too many changes, or a
    rebuild or a pruned log since)."""
    if base.last_seq <= 0 or changelog.generation_at(base.last_seq) != base.base_generation:
        return None  # built before the log began, or from another history
    generation = current_generation()
    upto = changelog.last_seq()
    changed = changelog.changed_since(base.last_seq, upto)
    if changed is None or len(changed) > _delta_max_rows():
        return None
    ids = sorted(changed)
    delta = _read_columns(ids)
    delta["removed"] = removed_ids(ids)
    return ListingSnapshot(
        generation, base.cols, base.source, base.last_seq, delta, base.base_generation
    )


def build_snapshot() -> ListingSnapshot:
    """The generation, the change log's end and the rows, read in one transaction so
    that they belong together: a copy labelled with a generation it does not hold
    would be trusted until the next write."""
    return _read_in_transaction(_read_snapshot)


def _read_in_transaction(read: Callable[[], T]) -> T:
    """``read()`` seeing one state of the database throughout.

    SQLite's read transaction sees one state of the file throughout. PostgreSQL
    reads committed rows afresh per statement unless the transaction is REPEATABLE
    READ, which can only be chosen when this is the outermost transaction; inside a
    caller's transaction (a test, or ATOMIC_REQUESTS) its isolation applies.
    """
    outermost = not connection.in_atomic_block
    if outermost and connection.vendor == "sqlite":
        return _in_sqlite_read_transaction(read)
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return read()


def _in_sqlite_read_transaction(read: Callable[[], T]) -> T:
    """A plain (deferred) read transaction. The settings make Django's own SQLite
    transactions ``BEGIN IMMEDIATE``, which takes the write lock: web workers building
    their copies at once, or beside an import, then waited on each other and timed
    out with "database is locked", and the search failed."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            return read()
        finally:
            cursor.execute("COMMIT")


def _read_snapshot() -> ListingSnapshot:
    generation = current_generation()
    last_seq = changelog.last_seq()
    return ListingSnapshot(generation, _read_columns(None), last_seq=last_seq)


def _read_columns(ids: Sequence[int] | None) -> Columns:
    """The arrays of every listing, or of the listings ``ids`` (those still there)."""
    where, params = "", []
    if ids is not None:
        # One JSON/array parameter, whatever the number of ids.
        expression = engines.current().ids_expression(ids)
        where, params = f" WHERE {{column}} IN ({expression.sql})", list(expression.params)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, flags, open_days, categories, last_verified_on, min_age, "  # noqa: S608
            "max_age, slots, word_count "
            f"FROM {LISTING_TABLE}" + where.format(column="page_id"),
            params,
        )
        listings = cursor.fetchall()
        cursor.execute(
            f"SELECT listing_id, lat, lon FROM {LOCATION_TABLE}"  # noqa: S608
            + where.format(column="listing_id"),
            params,
        )
        venues = cursor.fetchall()
        cursor.execute(
            f"SELECT listing_id, area_code, lat, lon, radius_miles FROM {COVERAGE_TABLE}"  # noqa: S608
            + where.format(column="listing_id"),
            params,
        )
        coverages = cursor.fetchall()
    return build_columns(listings, venues, coverages)
