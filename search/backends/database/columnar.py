"""The search snapshot as array operations: filters, geography and text records.

A snapshot is one or two segments of ``columns``: a base (usually memory-mapped
from the machine's shared files) and, after small index writes, a delta holding the
changed listings' current rows. Positions are global: the base's rows first, then
the delta's. A base row whose listing the delta replaced or removed is dead and
never returned, so the delta overrides the base.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geography.distance import bounding_box, haversine_miles_array
from geography.gazetteer.types import UK_CODE, ResolvedLocation
from search import models
from search.documents import Slot
from search.query import SearchFilters, valid_codes

from .. import base
from .arrays import unique_inverse, unique_sorted
from .columns import NO_AGE, Columns, band_rows, unpack_string, unpack_strings

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
EMPTY = np.empty(0, dtype=np.int64)
#: Columns holding codes into a segment's own string table: ``take`` adds the
#: segment's offset into the snapshot's joined table.
TABLE_CODES = {"category": "category_start", "slots": "slot_start"}


@dataclass
class GeoMatch:
    """Listings near a place, by position (sorted): the distance in miles to the
    nearest in-radius venue (NaN when none) and whether it covers the searcher's
    area (national ones by their area code)."""

    positions: np.ndarray
    miles: np.ndarray
    covers: np.ndarray
    snap: ListingSnapshot = field(repr=False, compare=False)

    @functools.cached_property
    def page_ids(self) -> np.ndarray:
        # Only when asked: a search reads the page's few ids, not every candidate's.
        return self.snap.page_ids(self.positions)

    @property
    def distances(self) -> dict[int, float]:
        near = ~np.isnan(self.miles)
        return dict(zip(self.page_ids[near].tolist(), self.miles[near].tolist(), strict=True))

    @property
    def covering(self) -> set[int]:
        return set(self.page_ids[self.covers].tolist())


#: Sets of area codes whose covering listings a segment remembers.
MAX_AREA_SETS = 512


class Segment:
    """One set of columns, at global positions ``start``.. ``start + size``."""

    def __init__(self, cols: Columns, start: int, category_start: int, slot_start: int) -> None:
        self.cols = cols
        self.start = start
        self.size = len(cols["ids"])
        self.category_start = category_start
        self.slot_start = slot_start
        #: Rows overridden by a later segment (None: none are).
        self.dead: np.ndarray | None = None
        areas = unpack_strings(cols["area_blob"], cols["area_code_off"])
        self.area_index = {code: n for n, code in enumerate(areas)}
        # Degrees of latitude no coverage circle reaches beyond (a degree is 69.09
        # miles on the haversine's sphere; kept generous): ``_covering`` measures
        # only the circles whose centre is that close in latitude.
        self._areas: dict[frozenset[str], np.ndarray] = {}
        reach = cols["circle_reach"]
        self.circle_window = float(np.max(reach)) / 69.0 * 1.01 + 1e-6 if len(reach) else 0.0

    def covering_areas(self, codes: AbstractSet[str]) -> np.ndarray:
        """Sorted local positions of the listings covering any of these area codes;
        remembered per set of codes (a searcher's council, county and the UK: the
        same few sets again and again, thousands of listings at national scale)."""
        key = frozenset(codes)
        found = self._areas.get(key)
        if found is None:
            off, parts = self.cols["area_off"], []
            for code in key:
                n = self.area_index.get(code)
                if n is not None:
                    parts.append(self.cols["area_pos"][int(off[n]) : int(off[n + 1])])
            found = unique_sorted(np.concatenate(parts).astype(np.int64)) if parts else EMPTY
            if len(self._areas) >= MAX_AREA_SETS:
                self._areas.clear()
            self._areas[key] = found
        return found

    def alive_positions(self) -> np.ndarray:
        """Global positions of this segment's rows that no later segment overrides."""
        return self.alive(np.arange(self.size, dtype=np.int64)) + self.start

    def alive(self, local: np.ndarray) -> np.ndarray:
        return local if self.dead is None else local[~self.dead[local]]

    def local(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which of global ``positions`` are here, their local positions)."""
        inside = (positions >= self.start) & (positions < self.start + self.size)
        return inside, positions[inside] - self.start


class ListingSnapshot:
    def __init__(
        self,
        generation: int,
        cols: Columns,
        source: str = "memory",
        last_seq: int = 0,
        delta: Columns | None = None,
        base_generation: int | None = None,
    ) -> None:
        self.generation = generation
        #: The generation the base segment was built at.
        self.base_generation = generation if base_generation is None else base_generation
        #: "memory" (built by this process) or "mmap" (the machine's shared files).
        self.source = source
        #: ``search.changelog`` seq the base was built at (the delta covers the rest).
        self.last_seq = last_seq
        self.base = Segment(cols, 0, 0, 0)
        self.cols = cols
        self.segments = [self.base]
        self.categories = unpack_strings(cols["category_blob"], cols["category_off"])
        if delta is not None:
            seg = Segment(delta, self.base.size, len(self.categories), len(cols["slot_off"]) - 1)
            # Every changed listing's base row: its current row, if any, is the delta's.
            self.base.dead = np.isin(cols["ids"], delta["removed"])
            self.categories += unpack_strings(delta["category_blob"], delta["category_off"])
            self.segments.append(seg)
        self.delta_rows = sum(s.size for s in self.segments[1:])

    def __len__(self) -> int:
        return sum(s.size if s.dead is None else int((~s.dead).sum()) for s in self.segments)

    # ------------------------------------------------------------------ positions

    def take(self, name: str, positions: np.ndarray) -> np.ndarray:
        """Column ``name`` at global ``positions``."""
        if len(self.segments) == 1:
            return self.cols[name][positions]
        first = self.cols[name]
        out = np.empty((len(positions), *first.shape[1:]), dtype=first.dtype)
        for seg in self.segments:
            inside, local = seg.local(positions)
            values = seg.cols[name][local]
            if name in TABLE_CODES:
                values = values + getattr(seg, TABLE_CODES[name])
            out[inside] = values
        return out

    def page_ids(self, positions: np.ndarray) -> np.ndarray:
        return self.take("ids", positions)

    def all_positions(self) -> np.ndarray:
        parts = [seg.alive_positions() for seg in self.segments]
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def delta_positions(self) -> np.ndarray:
        """Global positions of the listings in the delta (none without one)."""
        parts = [seg.alive_positions() for seg in self.segments[1:]]
        return np.concatenate(parts) if parts else EMPTY

    def positions_of(self, page_ids: np.ndarray) -> np.ndarray:
        """Sorted positions of those of ``page_ids`` in the snapshot (others dropped)."""
        wanted = unique_sorted(np.asarray(page_ids, dtype=np.int64))
        parts = []
        for seg in self.segments:
            ids = seg.cols["ids"]
            if not seg.size or not len(wanted):
                continue
            pos = np.minimum(np.searchsorted(ids, wanted), seg.size - 1)
            parts.append(seg.alive(pos[ids[pos] == wanted]) + seg.start)
        return np.sort(np.concatenate(parts)) if parts else EMPTY

    # ------------------------------------------------------------------ geography

    def geo(
        self, location: ResolvedLocation, radius: float, only: np.ndarray | None = None
    ) -> GeoMatch:
        """Distances and coverage round ``location``: for the listings at positions
        ``only`` (a text search's matches), or for every venue within ``radius``."""
        near_parts, miles_parts, cover_parts = [], [], []
        for seg in self.segments:
            local_only = None if only is None else seg.local(only)[1]
            pos, miles = _near(seg, location, radius, local_only)
            keep = np.ones(len(pos), dtype=bool) if seg.dead is None else ~seg.dead[pos]
            near_parts.append(pos[keep] + seg.start)
            miles_parts.append(miles[keep])
            cover = seg.alive(_covering(seg, location))
            if local_only is not None:
                cover = np.intersect1d(cover, local_only)
            cover_parts.append(cover + seg.start)
        near_pos = np.concatenate(near_parts).astype(np.int64)
        near_miles = np.concatenate(miles_parts)
        positions, miles_all, covers = _merge_sorted(
            near_pos, near_miles, np.concatenate(cover_parts).astype(np.int64)
        )
        return GeoMatch(positions, miles_all, covers, self)

    # ------------------------------------------------------------------ filters

    def filter(self, positions: np.ndarray, filters: SearchFilters) -> np.ndarray:
        """The positions that pass every filter that is a column (the same tests as
        ``postgres.filtered_queryset``); opening times are ``open_mask``'s."""
        keep = np.ones(len(positions), dtype=bool)
        flags = self.take("flags", positions)
        required = models.FLAG_FREE if filters.free_only else 0
        for feature in filters.accessibility:
            required |= ACCESSIBILITY_BITS.get(feature, 0)
        if required:
            keep &= (flags & required) == required
        either = 0
        for mode in filters.attendance:
            either |= ATTENDANCE_BITS.get(mode, 0)
        if either:
            keep &= (flags & either) != 0
        if filters.age is not None:
            age = int(filters.age)
            low, high = self.take("min_age", positions), self.take("max_age", positions)
            keep &= ((low == NO_AGE) | (low <= age)) & ((high == NO_AGE) | (high >= age))
        if filters.categories:
            codes = tuple(f" {code} " for code in valid_codes(filters.categories))
            if not codes:
                return EMPTY
            table = np.array(
                [any(code in f" {cats} " for code in codes) for cats in self.categories],
                dtype=bool,
            )
            keep &= table[self.take("category", positions)]
        day = base.local_now().weekday() if filters.open_now else filters.open_day
        days = self.take("open_days", positions)
        if day is not None and 0 <= int(day) <= 6:
            keep &= (days & (1 << int(day))) != 0
        elif filters.open_time is not None:
            keep &= days > 0
        if filters.open_now:
            keep &= (flags & models.FLAG_TEMPORARILY_CLOSED) == 0
        return np.asarray(positions[keep], dtype=np.int64)

    def open_mask(self, positions: np.ndarray, filters: SearchFilters, now: dt.datetime) -> Any:
        """Which of ``positions`` are open as ``open_now``/``open_time`` ask: each
        distinct set of opening times is checked once."""
        unique, inverse = unique_inverse(self.take("slots", positions))
        table = np.array(
            [_open_matches(self._slot_text(int(u)), filters, now) for u in unique], dtype=bool
        )
        return table[inverse].reshape(-1) if len(unique) else np.zeros(0, dtype=bool)

    def _slot_text(self, code: int) -> str:
        for seg in reversed(self.segments):
            if code >= seg.slot_start:
                cols = seg.cols
                return unpack_string(cols["slot_blob"], cols["slot_off"], code - seg.slot_start)
        raise IndexError(code)


def _near(
    seg: Segment, location: ResolvedLocation, radius: float, only: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Local positions of ``seg``'s listings with a venue within ``radius``, and the
    distance to the nearest such venue."""
    c = seg.cols
    if only is None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(location.lat, location.lon, radius)
        pos, lats, lons = _in_box(c, min_lat, max_lat, min_lon, max_lon)
    else:
        pos, lats, lons = _venues_of(c, only)
    if not len(pos):
        return EMPTY, np.empty(0)
    miles = haversine_miles_array(location.lat, location.lon, lats, lons)
    near = miles <= radius
    pos, miles = pos[near].astype(np.int64), miles[near]
    if not len(pos):
        return EMPTY, np.empty(0)
    # By position, then each listing's nearest venue (one sort key, not two).
    order = np.argsort(pos)  # any order within a listing: its minimum is taken
    pos, miles = pos[order], miles[order]
    first = np.ones(len(pos), dtype=bool)
    first[1:] = pos[1:] != pos[:-1]
    starts = np.flatnonzero(first)
    return pos[starts], np.minimum.reduceat(miles, starts)


def _in_box(
    c: Columns, min_lat: float, max_lat: float, min_lon: float, max_lon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions, lats, lons) of the venues in the box: per grid row it spans, the
    slice of that row within its longitudes (rows are sorted by longitude)."""
    rows = c["band_row"]
    first, last = band_rows(np.array([min_lat, max_lat]))
    lo_row = int(np.searchsorted(rows, first, side="left"))
    hi_row = int(np.searchsorted(rows, last, side="right"))
    slices = []
    start = lo_row
    while start < hi_row:
        # This row's end, then its longitudes' slice: two binary searches per row.
        end = int(np.searchsorted(rows, rows[start], side="right"))
        lons = c["band_lon"][start:end]
        a = start + int(np.searchsorted(lons, min_lon, side="left"))
        b = start + int(np.searchsorted(lons, max_lon, side="right"))
        if b > a:
            slices.append(slice(a, b))
        start = end
    if not slices:
        return EMPTY, np.empty(0), np.empty(0)
    index = np.concatenate([np.arange(s.start, s.stop) for s in slices])
    lats = c["band_lat"][index]
    inside = (lats >= min_lat) & (lats <= max_lat)
    index = index[inside]
    return c["band_pos"][index], lats[inside], c["band_lon"][index]


def _merge_sorted(
    near: np.ndarray, miles: np.ndarray, cover: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of the near listings' and the covering listings' sorted, unique
    positions, with each one's distance (NaN when only covering) and whether it
    covers: one binary search of the covering listings among the near ones."""
    covers = np.zeros(len(near), dtype=bool)
    if not len(cover):
        return near, miles, covers
    at = np.searchsorted(near, cover)
    known = near[np.minimum(at, max(len(near) - 1, 0))] == cover if len(near) else at < 0
    covers[at[known]] = True
    new, where = cover[~known], at[~known]
    return (
        np.insert(near, where, new),
        np.insert(miles, where, np.nan),
        np.insert(covers, where, True),
    )


def _covering(seg: Segment, location: ResolvedLocation) -> np.ndarray:
    """Local positions of ``seg``'s listings covering the searcher's area or point."""
    c = seg.cols
    parts = [seg.covering_areas(location.area_codes | {UK_CODE})]
    if len(c["circle_pos"]):
        lats = c["circle_lat"]
        near = np.flatnonzero(np.abs(lats - location.lat) <= seg.circle_window)
        miles = haversine_miles_array(location.lat, location.lon, lats[near], c["circle_lon"][near])
        parts.append(c["circle_pos"][near][miles <= c["circle_reach"][near]])
    if len(parts) == 1:
        return parts[0]
    return unique_sorted(np.concatenate(parts).astype(np.int64))


def _venues_of(cols: Columns, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    off = cols["venue_off"]
    lo, hi = off[positions], off[positions + 1]
    counts = hi - lo
    total = int(counts.sum())
    if total == 0:
        empty = np.empty(0)
        return EMPTY, empty, empty
    # Positions lo[i], lo[i]+1, ..., hi[i]-1 for every wanted listing, flattened.
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    index = np.repeat(lo, counts) + offsets
    return np.repeat(positions, counts), cols["venue_lat"][index], cols["venue_lon"][index]


def _open_matches(raw_slots: str, filters: SearchFilters, now: dt.datetime) -> bool:
    slots = [Slot.from_json(s) for s in json.loads(raw_slots) or ()]
    if filters.open_now:
        return any(slot.open_at(now) for slot in slots)
    if filters.open_time is None:
        return True
    minute = filters.open_time.hour * 60 + filters.open_time.minute
    day = filters.open_day
    return any(slot.open_at_minute(minute) and (day is None or slot.day == day) for slot in slots)


def removed_ids(ids: Sequence[int]) -> np.ndarray:
    """A delta's tombstones as its ``removed`` array."""
    return np.unique(np.asarray(list(ids), dtype=np.int64))
