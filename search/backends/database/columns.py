"""The search snapshot's columns: numpy arrays indexed by a dense listing position.

Position ``p`` is the ``p``-th listing in page-id order (``ids`` is sorted, so an id
is found with ``np.searchsorted``). Everything a search filters, measures, scores
or counts on is a fixed-width array, so a query's work over its candidates is array
arithmetic rather than Python per listing, and the arrays can be written to ``.npy``
files and memory-mapped by every process on a machine (``snapfiles``).

Strings that many listings share (category sets, opening-time slots, area codes)
are interned into tables, stored as UTF-8 blobs with offsets; each listing holds a
code. Text is not here: the SQLite engine's text matches come from FTS5 as
bitmaps (``textbits``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

#: ``min_age``/``max_age`` of a listing without that bound.
NO_AGE = np.iinfo(np.int32).min

#: Every array of a snapshot, with its dtype (the on-disk files are checked
#: against these). ``*_off`` arrays have one entry more than the rows they index.
DTYPES: dict[str, Any] = {
    # one per listing
    "ids": np.int64,
    "flags": np.int32,
    "open_days": np.int32,
    "category": np.int32,  # code into the category table
    "verified": np.int32,  # date ordinal, 0 when never verified
    "min_age": np.int32,
    "max_age": np.int32,
    "slots": np.int32,  # code into the slot table
    "words": np.int32,  # BM25 length (``IndexedListing.word_count``)
    # venues, grouped by listing position (venue_off: n + 1)...
    "venue_off": np.int64,
    "venue_lat": np.float64,
    "venue_lon": np.float64,
    # ... and the same venues on a grid: by row of latitude (``BAND_ROW_DEGREES``
    # high), then longitude, for "venues in this box"
    "band_row": np.int32,
    "band_lat": np.float64,
    "band_lon": np.float64,
    "band_pos": np.int32,
    # listings covering each area code (grouped by code; area_off: codes + 1)
    "area_off": np.int64,
    "area_pos": np.int32,
    # radius coverages
    "circle_pos": np.int32,
    "circle_lat": np.float64,
    "circle_lon": np.float64,
    "circle_reach": np.float64,
    # interned string tables: UTF-8 blob + offsets
    "category_blob": np.uint8,
    "category_off": np.int64,
    "slot_blob": np.uint8,
    "slot_off": np.int64,
    "area_blob": np.uint8,
    "area_code_off": np.int64,
}

Columns = dict[str, np.ndarray]


def pack_strings(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A table of strings as (UTF-8 blob, offsets)."""
    encoded = [v.encode() for v in values]
    off = np.zeros(len(encoded) + 1, dtype=np.int64)
    if encoded:
        off[1:] = np.cumsum([len(e) for e in encoded])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), off


def unpack_string(blob: np.ndarray, off: np.ndarray, i: int) -> str:
    return bytes(blob[int(off[i]) : int(off[i + 1])]).decode()


def unpack_strings(blob: np.ndarray, off: np.ndarray) -> list[str]:
    data = bytes(blob)
    bounds = off.tolist()
    return [data[a:b].decode() for a, b in itertools.pairwise(bounds)]


class _Interner:
    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.codes)
        return code

    def table(self) -> list[str]:
        return list(self.codes)


def _slot_text(slots: Any) -> str:
    if slots is None or slots == "":
        return "[]"
    if isinstance(slots, str):
        return slots
    return json.dumps(slots)


def _ordinal(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return int(value.toordinal())


def build_columns(
    listings: Iterable[Sequence[Any]],
    venues: Iterable[Sequence[Any]],
    coverages: Iterable[Sequence[Any]],
) -> Columns:
    """The arrays from the index tables' rows, as the snapshot reads them:

    * listings: page_id, flags, open_days, categories, last_verified_on, min_age,
      max_age, slots, word_count;
    * venues: listing_id, lat, lon; coverages: listing_id, area_code, lat, lon, radius.
    """
    rows = sorted(listings, key=lambda r: int(r[0]))
    n = len(rows)
    categories, slot_table = _Interner(), _Interner()
    ids = np.fromiter((int(r[0]) for r in rows), np.int64, n)

    def ages(i: int) -> np.ndarray:
        return np.fromiter((NO_AGE if r[i] is None else int(r[i]) for r in rows), np.int32, n)

    cols: Columns = {
        "ids": ids,
        "flags": np.fromiter((int(r[1]) for r in rows), np.int32, n),
        "open_days": np.fromiter((int(r[2] or 0) for r in rows), np.int32, n),
        "category": np.fromiter((categories(r[3] or "") for r in rows), np.int32, n),
        "verified": np.fromiter((_ordinal(r[4]) for r in rows), np.int32, n),
        "min_age": ages(5),
        "max_age": ages(6),
        "slots": np.fromiter((slot_table(_slot_text(r[7])) for r in rows), np.int32, n),
        "words": np.fromiter((int(r[8] or 0) for r in rows), np.int32, n),
    }
    cols["category_blob"], cols["category_off"] = pack_strings(categories.table())
    cols["slot_blob"], cols["slot_off"] = pack_strings(slot_table.table())
    cols.update(_venue_columns(ids, venues))
    cols.update(_coverage_columns(ids, coverages))
    return {name: np.ascontiguousarray(a, dtype=DTYPES[name]) for name, a in cols.items()}


def _positions(ids: np.ndarray, of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``of`` in ``ids`` and which of them are there at all."""
    pos = np.searchsorted(ids, of)
    pos = np.minimum(pos, max(len(ids) - 1, 0))
    found = ids[pos] == of if len(ids) else np.zeros(len(of), dtype=bool)
    return pos, found


#: Height of a grid row of venues, in degrees of latitude (about 3.5 miles): a search
#: reads the rows its box spans, and in each only the venues within its longitudes,
#: rather than a whole band of the country (at a million listings, 28k venues read
#: for 4k in the box on average, 91k at worst).
BAND_ROW_DEGREES = 0.05


def band_rows(lat: np.ndarray) -> np.ndarray:
    """The grid row of each latitude."""
    return np.floor(np.asarray(lat, dtype=np.float64) / BAND_ROW_DEGREES).astype(np.int32)


def _venue_columns(ids: np.ndarray, venues: Iterable[Sequence[Any]]) -> Columns:
    data = np.array([tuple(v) for v in venues], dtype=np.float64).reshape(-1, 3)
    pos, found = _positions(ids, data[:, 0].astype(np.int64))
    pos, lat, lon = pos[found], data[found, 1], data[found, 2]
    by_pos = np.lexsort((lat, pos))
    row = band_rows(lat)
    by_lat = np.lexsort((lon, row))
    off = np.zeros(len(ids) + 1, dtype=np.int64)
    off[1:] = np.cumsum(np.bincount(pos, minlength=len(ids)))
    return {
        "venue_off": off,
        "venue_lat": lat[by_pos],
        "venue_lon": lon[by_pos],
        "band_row": row[by_lat],
        "band_lat": lat[by_lat],
        "band_lon": lon[by_lat],
        "band_pos": pos[by_lat],
    }


def _coverage_columns(ids: np.ndarray, coverages: Iterable[Sequence[Any]]) -> Columns:
    areas = _Interner()
    area_rows: list[tuple[int, int]] = []
    circles: list[tuple[int, float, float, float]] = []
    for pk, code, lat, lon, reach in coverages:
        if code:
            area_rows.append((areas(code), int(pk)))
        elif lat is not None and lon is not None and reach is not None:
            circles.append((int(pk), float(lat), float(lon), float(reach)))
    table = areas.table()
    a = np.array(area_rows, dtype=np.int64).reshape(-1, 2)
    a_pos, a_found = _positions(ids, a[:, 1])
    a_code, a_pos = a[a_found, 0], a_pos[a_found]
    order = np.lexsort((a_pos, a_code))
    area_off = np.zeros(len(table) + 1, dtype=np.int64)
    area_off[1:] = np.cumsum(np.bincount(a_code, minlength=len(table)))
    c = np.array(circles, dtype=np.float64).reshape(-1, 4)
    c_pos, c_found = _positions(ids, c[:, 0].astype(np.int64))
    blob, code_off = pack_strings(table)
    return {
        "area_off": area_off,
        "area_pos": a_pos[order],
        "area_blob": blob,
        "area_code_off": code_off,
        "circle_pos": c_pos[c_found],
        "circle_lat": c[c_found, 1],
        "circle_lon": c[c_found, 2],
        "circle_reach": c[c_found, 3],
    }


def check_columns(cols: Columns) -> None:
    """Raise ValueError unless ``cols`` has every array, of the right dtype and with
    consistent lengths (files from another version, or damaged ones)."""
    missing = set(DTYPES) - set(cols)
    if missing:
        raise ValueError(f"missing arrays: {sorted(missing)}")
    for name, dtype in DTYPES.items():
        if cols[name].dtype != np.dtype(dtype):
            raise ValueError(f"{name}: dtype {cols[name].dtype}")
    n = len(cols["ids"])
    for name in (
        "flags",
        "open_days",
        "category",
        "verified",
        "min_age",
        "max_age",
        "slots",
        "words",
    ):
        if len(cols[name]) != n:
            raise ValueError(f"{name}: length {len(cols[name])} for {n} listings")
    checks = (
        (len(cols["venue_off"]) == n + 1, "venue_off"),
        (int(cols["venue_off"][-1]) == len(cols["venue_lat"]) == len(cols["band_pos"]), "venues"),
        (len(cols["band_row"]) == len(cols["band_pos"]), "band rows"),
        (int(cols["area_off"][-1]) == len(cols["area_pos"]), "area_pos"),
        (len(cols["area_off"]) == len(cols["area_code_off"]), "area codes"),
        (int(cols["category_off"][-1]) == len(cols["category_blob"]), "category table"),
        (int(cols["slot_off"][-1]) == len(cols["slot_blob"]), "slot table"),
    )
    for ok, name in checks:
        if not ok:
            raise ValueError(f"{name}: inconsistent length")
    if n and len(cols["category_off"]) - 1 <= int(cols["category"].max()):
        raise ValueError("category codes outside the table")
    if n and len(cols["slot_off"]) - 1 <= int(cols["slots"].max()):
        raise ValueError("slot codes outside the table")
    for name in ("band_pos", "area_pos", "circle_pos"):
        if len(cols[name]) and not 0 <= int(cols[name].min()) <= int(cols[name].max()) < n:
            raise ValueError(f"{name}: positions outside the listings")
