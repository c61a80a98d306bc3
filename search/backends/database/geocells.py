"""Geographic "words" for the FTS5 index, so text and place are one MATCH.

A full-text MATCH on common words ("community", "cafe") reads long doclists; ANDed
with a few rare place tokens, FTS5 seeks through them instead, and the cost follows
the number of *local* listings rather than the size of the country.

* each venue is indexed as its grid cell at every level: ``v<level>n<row>e<col>``;
* a radius coverage as the cells its circle's box touches, at the finest level
  where that is at most ``MAX_COVER_CELLS``: ``r<level>n<row>e<col>``;
* each covered GSS code as ``a<code>`` (national listings carry ``ak02000001``).

A query asks for the venue cells overlapping its radius's bounding box (at the
finest level needing at most ``MAX_QUERY_CELLS``), the searcher's own cell at every
level for coverages, and ``a<code>`` for each of its area codes. Tokens end in a
digit, so the Porter stemmer leaves them alone. The match is a superset: exact
distances and circles are checked afterwards.

Since issue 15 the located search no longer ANDs ``query_tokens`` into its MATCH
(at a million listings that MATCH was most of a search's time): the snapshot finds
the candidates near the place and ``textbits`` looks their words up. The tokens are
still written with every listing, so the index can be queried by place in SQL.
"""

from __future__ import annotations

import math

from geography.distance import bounding_box

#: Cell height in degrees of latitude per level (≈ 0.7, 3.5, 17, 86 and 345 miles).
LEVELS = (0.01, 0.05, 0.25, 1.25, 5.0)
#: Cells are 1.6 times wider in longitude, roughly square at British latitudes.
LON_FACTOR = 1.6
MAX_QUERY_CELLS = 160
MAX_COVER_CELLS = 16


def _cell(level: int, lat: float, lon: float) -> tuple[int, int]:
    size = LEVELS[level]
    return math.floor((lat + 90) / size), math.floor((lon + 180) / (size * LON_FACTOR))


def _token(prefix: str, level: int, row: int, col: int) -> str:
    return f"{prefix}{level}n{row}e{col}"


def _box_cells(level: int, box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
    min_lat, max_lat, min_lon, max_lon = box
    row0, col0 = _cell(level, min_lat, min_lon)
    row1, col1 = _cell(level, max_lat, max_lon)
    return [(r, c) for r in range(row0, row1 + 1) for c in range(col0, col1 + 1)]


def _box_level(box: tuple[float, float, float, float], limit: int) -> int:
    for level in range(len(LEVELS)):
        if len(_box_cells(level, box)) <= limit:
            return level
    return len(LEVELS) - 1


def venue_tokens(lat: float, lon: float) -> list[str]:
    return [_token("v", level, *_cell(level, lat, lon)) for level in range(len(LEVELS))]


def coverage_tokens(lat: float, lon: float, miles: float) -> list[str]:
    box = bounding_box(lat, lon, miles)
    level = _box_level(box, MAX_COVER_CELLS)
    return [_token("r", level, r, c) for r, c in _box_cells(level, box)]


def area_token(code: str) -> str:
    return "a" + "".join(ch for ch in code.lower() if ch.isalnum())


def _cell_near(level: int, row: int, col: int, lat: float, lon: float, miles: float) -> bool:
    """Does this cell come within ``miles`` of the point? (Equirectangular; fine at
    these scales, and a cell is kept when in doubt.)"""
    size = LEVELS[level]
    south, west = row * size - 90, col * size * LON_FACTOR - 180
    near_lat = min(max(lat, south), south + size)
    near_lon = min(max(lon, west), west + size * LON_FACTOR)
    dy = (near_lat - lat) * 69.05
    dx = (near_lon - lon) * 69.17 * math.cos(math.radians(lat))
    return dx * dx + dy * dy <= (miles * 1.01) ** 2


def query_tokens(
    lat: float, lon: float, radius_miles: float, area_codes: frozenset[str]
) -> list[str]:
    box = bounding_box(lat, lon, radius_miles)
    level = _box_level(box, MAX_QUERY_CELLS)
    tokens = [
        _token("v", level, r, c)
        for r, c in _box_cells(level, box)
        if _cell_near(level, r, c, lat, lon, radius_miles)  # drop the box's corners
    ]
    tokens += [_token("r", lvl, *_cell(lvl, lat, lon)) for lvl in range(len(LEVELS))]
    tokens += [area_token(code) for code in sorted(area_codes)]
    return tokens
