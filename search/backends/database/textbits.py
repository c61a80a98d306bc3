"""Which snapshot rows match an FTS5 expression, as a cached bitmap (SQLite).

A located search with words used to ask FTS5 for the words AND the place tokens
round the searcher: a MATCH whose cost grows with every listing near the place
that mentions a common word, re-read on every query (at a million listings, 40 ms
of a 60 ms search). Here the snapshot finds the in-radius candidates first, and
each FTS5 expression's national matches are read once per base segment, kept as
one bit per base row (125 kB at a million listings), so a query only looks up its
candidates' bits: the text work follows the candidates near the place.

The bits stay true while the base does: a base row whose listing changed is dead
(the delta holds its current row) and never a candidate, and the rows still alive
have not changed since the base was built. Delta rows, few between compactions,
are matched in SQL by id on each query.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

import numpy as np
from django.db import connection

from .snapshot import ListingSnapshot

#: Bitmaps kept per process (least recently used dropped): 125 kB each at 1M rows.
MAX_BITMAPS = 128

_lock = threading.Lock()
_bitmaps: OrderedDict[tuple[object, ...], np.ndarray] = OrderedDict()


def matching(
    fts_table: str, expression: str, snap: ListingSnapshot, positions: np.ndarray
) -> np.ndarray:
    """Which of ``positions`` (alive snapshot positions) match ``expression``."""
    out = np.zeros(len(positions), dtype=bool)
    if not len(positions):
        return out
    base_size = snap.base.size
    in_base = positions < base_size
    local = positions[in_base]
    if len(local):
        bits = _base_bits(fts_table, expression, snap)
        out[in_base] = ((bits[local >> 3] >> (7 - (local & 7))) & 1).astype(bool)
    if not in_base.all():
        ids = snap.page_ids(positions[~in_base])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s "  # noqa: S608
                "AND rowid IN (SELECT value FROM json_each(%s))",
                [expression, json.dumps(ids.tolist())],
            )
            found = np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)
        out[~in_base] = np.isin(ids, found)
    return out


def _base_bits(fts_table: str, expression: str, snap: ListingSnapshot) -> np.ndarray:
    base = snap.base
    key = (
        connection.alias,
        connection.settings_dict.get("NAME"),
        snap.base_generation,
        base.size,
        expression,
    )
    with _lock:
        bits = _bitmaps.get(key)
        if bits is not None:
            _bitmaps.move_to_end(key)
            return bits
    # One string of ids parsed in C: a common word matches most of a million rows,
    # and a row object per match would double the time of this (rare) read.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT group_concat(rowid) FROM {fts_table} WHERE {fts_table} MATCH %s",  # noqa: S608
            [expression],
        )
        text = cursor.fetchone()[0]
    ids = np.fromstring(text or "", dtype=np.int64, sep=",")
    row = np.zeros(base.size, dtype=bool)
    base_ids = base.cols["ids"]
    if len(ids) and base.size:
        at = np.minimum(np.searchsorted(base_ids, ids), base.size - 1)
        row[at[base_ids[at] == ids]] = True
    bits = np.packbits(row)
    with _lock:
        _bitmaps[key] = bits
        while len(_bitmaps) > MAX_BITMAPS:
            _bitmaps.popitem(last=False)
    return bits
