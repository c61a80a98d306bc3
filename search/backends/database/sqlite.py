"""The database backend on SQLite: FTS5 for text, the snapshot for the rest.

The FTS5 table ``search_listing_fts`` (rowid = page_id, Porter stemmer, accents
folded) answers "which listings mention this concept, as typed or by a synonym, and
in which column". With a place, the snapshot first finds and filters the listings
near it, and each MATCH expression's national matches come from a bitmap cached per
base segment (``textbits``), looked up for just those candidates: the cost follows
the listings near the place, not the country's matches. Without a place, the union
of the same bitmaps gives the candidates. Either way ``textmatch`` scores them
(coverage and a column score weighted by IDF). Every value reaches SQL as a bound
parameter; user words reach FTS5 only as double-quoted tokens of letters and digits
(see ``search.query``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL

from search.documents import ListingDocument
from search.query import (
    ParsedText,
    SearchQuery,
    TermGroup,
    fts5_alternatives_expression,
    fts5_phrase_expression,
)
from search.ranking import FTS5_K

from . import textbits
from .engines import Matches
from .snapshot import GeoMatch, ListingSnapshot
from .textmatch import CLASS_COLUMNS, digits, encode, text_parts

FTS_TABLE = "search_listing_fts"
TEXT_COLUMNS = "{title summary description keywords organisation}"
TEXT_K = FTS5_K


def ids_expression(ids: Sequence[int]) -> RawSQL:
    """A subquery over many ids as a single parameter (no SQL variable limits)."""
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


# --------------------------------------------------------------------------- search


def matches(
    query: SearchQuery, parsed: ParsedText, snap: ListingSnapshot, radius: float
) -> tuple[Matches, GeoMatch | None]:
    location = query.location
    geo: GeoMatch | None = None
    if parsed.is_empty:
        if location is not None:
            geo = snap.geo(location, radius)
            positions = geo.positions
        else:
            positions = snap.all_positions()
        return Matches(snap.filter(positions, query.filters)), geo
    if location is not None:
        # The snapshot's geography and filters first, then each expression's cached
        # national matches looked up for just those candidates (``textbits``): the
        # text work follows the listings near the place, not the country's matches.
        geo = snap.geo(location, radius)
        positions = geo.positions
    else:
        # Anywhere: the listings matching any expression, from the same bitmaps.
        positions = textbits.candidates(FTS_TABLE, _expressions(parsed), snap)
    positions = snap.filter(positions, query.filters)
    codes = text_codes_at(parsed, snap, positions)
    hit = codes > 0
    positions, codes = positions[hit], codes[hit]
    return Matches(positions, text_parts(codes, _idfs(parsed, snap), TEXT_K)), geo


# --------------------------------------------------------------------------- writes


def write_text(documents: Sequence[ListingDocument]) -> None:
    """Store the text of freshly inserted ``IndexedListing`` rows."""
    if not documents:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} "  # noqa: S608 - constant table name
            "(rowid, title, summary, description, keywords, organisation) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (d.page_id, d.title, d.summary, d.description, d.keywords, d.organisation)
                for d in documents
            ],
        )


def delete_text(ids: Sequence[int]) -> None:
    """Remove rows from the FTS table."""
    id_list = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608 - constant table
                "(SELECT value FROM json_each(%s))",
                [json.dumps(chunk)],
            )


def clear_text() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table name


# --------------------------------------------------------------------------- reads


def text_codes_at(parsed: ParsedText, snap: ListingSnapshot, positions: np.ndarray) -> np.ndarray:
    """For each listing at ``positions``, per concept whether it matches as typed or
    by a synonym only and in which best column, and whether it has the typed phrase:
    its ``textmatch.encode`` code (0: nothing matched). Every FTS5 expression, whole
    or limited to one column, is looked up in its cached bitmap (``textbits``)."""

    def match(columns: str, words: str, at: np.ndarray) -> np.ndarray:
        if not words or not len(at):
            return np.zeros(len(at), dtype=bool)
        return textbits.matching(FTS_TABLE, f"{columns} : {words}", snap, at)

    def best_column(words: str, found: np.ndarray) -> np.ndarray:
        # The class of the best column with the words, for the listings that have
        # them (0: only the description); classes ascend, so a later one wins.
        classes = np.zeros(len(positions), dtype=np.int64)
        rows = np.flatnonzero(found)
        for number, column in enumerate(CLASS_COLUMNS, start=1):
            classes[rows[match("{" + column + "}", words, positions[rows])]] = number
        return classes

    concept_digits = []
    for group in parsed.groups:
        typed_words = fts5_alternatives_expression([group.original])
        synonym_words = fts5_alternatives_expression(group.alternatives[1:])
        typed = match(TEXT_COLUMNS, typed_words, positions)
        expanded = match(TEXT_COLUMNS, synonym_words, positions) & ~typed
        column = np.where(
            typed, best_column(typed_words, typed), best_column(synonym_words, expanded)
        )
        concept_digits.append(digits(typed, expanded, column))
    phrase = match(TEXT_COLUMNS, fts5_phrase_expression(parsed.phrase), positions)
    return encode(concept_digits, phrase)


def _expressions(parsed: ParsedText) -> list[str]:
    """Every FTS5 expression ``text_codes_at`` reads for this query."""
    phrase = fts5_phrase_expression(parsed.phrase)
    found = [e for group in parsed.groups for e in _group_expressions(group)]
    return found + ([f"{TEXT_COLUMNS} : {phrase}"] if phrase else [])


def _group_expressions(group: TermGroup) -> list[str]:
    """The FTS5 expressions of a concept's typed word and of its synonyms (those
    that have a content word), as ``text_codes_at`` matches them."""
    words = (
        fts5_alternatives_expression([group.original]),
        fts5_alternatives_expression(group.alternatives[1:]),
    )
    return [f"{TEXT_COLUMNS} : {w}" for w in words if w]


#: The FTS5 columns of ``search.documents.WORDS_FIELDS``: BM25's own text.
WORDS_COLUMNS = "{title summary description organisation}"


def document_frequencies(words: Sequence[str], snap: ListingSnapshot) -> list[int]:
    """Per word, how many listings hold it (FTS5 stems it the same way for the
    whole index), counted from the same cached bitmaps as the concepts."""
    return [textbits.count(FTS_TABLE, [f'{WORDS_COLUMNS} : "{w}"'], snap) for w in words]


def prepare_base(previous_generation: int | None, snap: ListingSnapshot) -> None:
    textbits.carry_over(previous_generation, snap)


def optimize() -> None:
    """Merge the FTS5 index into one segment (SQLite). Bulk loads leave many
    segments, and every lookup must visit each one; this makes MATCH ~3x faster."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


_idf_cache: dict[str, float] = {}
#: The snapshot generation the cached IDFs belong to: any insert or delete starts
#: afresh, so a ranking never depends on an index that is no longer there.
_idf_generation: list[int] = [0]


def _idfs(parsed: ParsedText, snap: ListingSnapshot) -> list[float]:
    """Lucene's BM25 IDF per concept (its typed word or any synonym), exact for the
    snapshot's generation. Document frequencies come from the cached bitmaps
    (``textbits.count``): a new word costs one read of its matches, shared with the
    search that needs them, rather than a second count of them."""
    if snap.generation != _idf_generation[0]:
        _idf_cache.clear()
        _idf_generation[0] = snap.generation
    total = float(len(snap))
    out = []
    for group in parsed.groups:
        # The same two expressions ``text_codes_at`` reads: typed, and synonyms.
        expressions = _group_expressions(group)
        df = total
        if expressions:
            key = " | ".join(expressions)
            df = _idf_cache.get(key, -1.0)
            if df < 0:
                df = float(textbits.count(FTS_TABLE, expressions, snap))
                if len(_idf_cache) > 4096:
                    _idf_cache.clear()
                _idf_cache[key] = df
        out.append(math.log(1 + (total - df + 0.5) / (df + 0.5)))
    return out
