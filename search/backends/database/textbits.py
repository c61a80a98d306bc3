"""Which snapshot rows match an FTS5 expression, as a cached bitmap (SQLite).

Each FTS5 expression a search uses (a concept as typed, its synonyms, the typed
phrase, and each of those limited to one ranked column) has its national matches
read once per base segment and kept as one bit per base row (125 kB at a million
listings). A located search looks up only its in-radius candidates' bits, so the
text work follows the candidates near the place; a search without a place takes
the union of the bitmaps as its candidates; IDFs count the bits.

Bitmaps are files beside their base (``snapfiles``), so a common word is read from
FTS5 once per machine, not once per process; ``carry_over`` reads, for a new base,
the bitmaps the old one had.

The bits stay true while the base does: a base row whose listing changed is dead
(the delta holds its current row) and never a candidate, and the rows still alive
have not changed since the base was built. Delta rows, few between compactions,
are matched in SQL by id on each query.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from django.db import connection

from . import snapfiles
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


def candidates(fts_table: str, expressions: Sequence[str], snap: ListingSnapshot) -> np.ndarray:
    """Sorted positions of the listings that may match any of ``expressions``: the
    base rows in the union of their bitmaps (dead ones left out), and every row of
    the delta (few; ``matching`` checks them in SQL)."""
    parts = []
    base = snap.base
    if base.size and expressions:
        bits = np.bitwise_or.reduce([_base_bits(fts_table, e, snap) for e in expressions])
        parts.append(base.alive(np.flatnonzero(np.unpackbits(bits, count=base.size))))
    parts.append(snap.delta_positions())
    return np.concatenate(parts).astype(np.int64)


def count(fts_table: str, expressions: Sequence[str], snap: ListingSnapshot) -> int:
    """How many listings of the snapshot match any of ``expressions``: the union of
    the base's bitmaps without its dead rows, plus the delta's rows matched in SQL.
    A document frequency from the bitmaps a search reads anyway."""
    base = snap.base
    total = 0
    if base.size and expressions:
        bits = np.bitwise_or.reduce([_base_bits(fts_table, e, snap) for e in expressions])
        row = np.unpackbits(bits, count=base.size).view(bool)
        total = int(np.count_nonzero(row if base.dead is None else row & ~base.dead))
    rest = snap.delta_positions()
    if len(rest) and expressions:
        found = np.zeros(len(rest), dtype=bool)
        for expression in expressions:
            found |= matching(fts_table, expression, snap, rest)
        total += int(np.count_nonzero(found))
    return total


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
    # A base from this machine's files shares its bitmaps there too: each is read
    # from FTS5 once per machine, not once per process.
    shared = snap.source == "mmap"
    text = key_text(fts_table, expression)
    bits = snapfiles.load_bits(snap.base_generation, text, base.size) if shared else None
    if bits is None:
        bits = read_bits(fts_table, expression, snap)
        if shared:
            snapfiles.save_bits(snap.base_generation, text, bits)
    with _lock:
        _bitmaps[key] = bits
        while len(_bitmaps) > MAX_BITMAPS:
            _bitmaps.popitem(last=False)
    return bits


def key_text(fts_table: str, expression: str) -> str:
    return f"{fts_table}\n{expression}"


def read_bits(fts_table: str, expression: str, snap: ListingSnapshot) -> np.ndarray:
    """``expression``'s matches among the base's rows, read from FTS5 (the slow,
    national read: 35 to 165 ms for a common word at a million listings)."""
    base = snap.base
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
    return np.packbits(row)


def carry_over(previous_generation: int | None, snap: ListingSnapshot) -> int:
    """Read, for a new base, the bitmaps the previous base had on this machine: the
    expressions people have been searching for. For the compaction task, so that
    searches after it do not each pay for the first read of a common word; returns
    how many were written."""
    if previous_generation is None or snap.source != "mmap":
        return 0
    written = 0
    for text in snapfiles.bit_expressions(previous_generation):
        fts_table, _, expression = text.partition("\n")
        if not expression:
            continue
        key = key_text(fts_table, expression)
        if snapfiles.load_bits(snap.base_generation, key, snap.base.size) is None:
            snapfiles.save_bits(snap.base_generation, key, read_bits(fts_table, expression, snap))
            written += 1
    return written
