"""The words part of ``search.ranking`` for the database backend: plain BM25 of
every word typed, for a listing's own text.

``scoring.add_words`` gives it to the first listings by the rest of the score
(``window_size``: five pages, at most ``WINDOW``) and orders them by the whole
score, ahead of the others: a re-rank window, as Elasticsearch's ``rescore``. The
window depends only on the page size, so paging never repeats or skips a listing.
Term counts come from those listings' text in the index (one query), analysed here
the way ``directory.bm25`` reads a listing.

Document frequencies come from the engine (``document_frequencies``: the SQLite
bitmaps, or a count on PostgreSQL's GIN index) and the average length from the
snapshot's ``words`` column (``IndexedListing.word_count``). Both are exact for the
snapshot's generation and remembered until the next write, like the concepts'
IDFs, so a page never depends on an index that is no longer there.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from directory import bm25
from search import ranking
from search.documents import WORDS_FIELDS, words_text
from search.models import IndexedListing
from search.query import ParsedText

from .engines import Engine
from .snapshot import ListingSnapshot

#: How many listings, first by the rest of the score, get the words part: five
#: pages' worth (so a listing the concepts put a few pages down, but whose words fit
#: better, can come up), and at most ``WINDOW``. A search asking for one hit (a
#: count) re-ranks five; a results page of 20, a hundred.
WINDOW_PAGES = 5
WINDOW = 100


def window_size(per_page: int) -> int:
    """The re-rank window for pages of ``per_page``: the same for every page."""
    return min(WINDOW, WINDOW_PAGES * max(per_page, 1))


def words_parts(
    ids: np.ndarray, parsed: ParsedText, snap: ListingSnapshot, engine: Engine
) -> np.ndarray:
    """``ranking.words_component`` of each listing ``ids`` for the typed words."""
    if not parsed.words or not len(ids):
        return np.zeros(len(ids))
    idfs, average = statistics(parsed.words, snap, engine)
    return _words(ids, parsed.words, idfs, average, engine)


def _words(
    ids: np.ndarray,
    words: Sequence[str],
    idfs: dict[str, float],
    average: float,
    engine: Engine,
) -> np.ndarray:
    """``ranking.words_component`` of each listing, from its text in the index."""
    expression = engine.ids_expression(ids.tolist())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT page_id, {', '.join(WORDS_FIELDS)} "  # noqa: S608 - our table, our fields
            f"FROM {IndexedListing._meta.db_table} WHERE page_id IN ({expression.sql})",
            expression.params,
        )
        part: dict[int, float] = {}
        for page_id, *values in cursor.fetchall():
            analysed = bm25.analyse(words_text(*values))
            counts = Counter(w for w in analysed if w in idfs)
            value = bm25.score(words, counts, len(analysed), average, idfs) if counts else 0.0
            part[int(page_id)] = ranking.words_component(value)
    return np.array([part.get(int(pk), 0.0) for pk in ids.tolist()], dtype=np.float64)


def statistics(
    words: Sequence[str], snap: ListingSnapshot, engine: Engine
) -> tuple[dict[str, float], float]:
    """(IDF of each word, average listing length) for the snapshot's generation."""
    key = (connection.alias, str(connection.settings_dict.get("NAME")), snap.generation)
    with _lock:
        memo = _state[0]
        if memo is None or memo.key != key:
            memo = _state[0] = _Statistics(key)
    known = dict(memo.frequencies)
    missing = [w for w in words if w not in known]
    if missing:
        known.update(zip(missing, engine.document_frequencies(missing, snap), strict=True))
        with _lock:
            if len(memo.frequencies) > MAX_REMEMBERED:
                memo.frequencies.clear()
            memo.frequencies.update((w, known[w]) for w in missing)
    if memo.average is None:
        lengths = snap.take("words", snap.all_positions())
        memo.average = max(float(lengths.mean()) if len(lengths) else 0.0, 1.0)
    documents = max(len(snap), 1)
    return {w: bm25.idf(known[w], documents) for w in words}, memo.average


@dataclass
class _Statistics:
    key: tuple[str, str, int]
    frequencies: dict[str, int] = field(default_factory=dict)
    average: float | None = None


#: Document frequencies remembered per generation, at most this many words.
MAX_REMEMBERED = 8192
_lock = threading.Lock()
_state: list[_Statistics | None] = [None]
