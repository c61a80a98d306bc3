"""The database backend on PostgreSQL: full text and filters in SQL.

The ``search_vector`` column (GIN-indexed; weights A title, B categories, C summary
and organisation, D description) matches phrases and ``ts_rank()`` scores them. A
search takes its geography from the snapshot (the candidate ids), then matches
(any concept), filters and scores those candidates in one query: per concept,
whether the typed word and whether a synonym matched, and their ``ts_rank()``s,
which ``textmatch`` turns into the text part of ``search.ranking``.
``filtered_queryset`` is this engine's filter implementation; the snapshot's
``ListingSnapshot.filter`` must agree with it, which ``tests/search/test_snapshot.py`` checks.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.contrib.postgres.search import SearchQuery as TextQuery
from django.contrib.postgres.search import SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Greatest

from directory.text import fold
from search.documents import ListingDocument
from search.models import IndexedListing
from search.query import (
    ACCESSIBILITY_FEATURES,
    ParsedText,
    Phrase,
    SearchFilters,
    SearchQuery,
    valid_codes,
)
from search.ranking import EXPANDED, POSTGRES_K

from .. import base
from .engines import Matches
from .snapshot import GeoMatch, ListingSnapshot
from .textmatch import text_score

TEXT_K = POSTGRES_K
ATTENDANCE_COLUMNS = {"in_person": "in_person", "online": "online", "phone": "by_phone"}
FEATURE_COLUMNS = {f: f for f in ACCESSIBILITY_FEATURES}


def ids_expression(ids: Sequence[int]) -> RawSQL:
    """A subquery over many ids as a single parameter (no SQL variable limits)."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


# --------------------------------------------------------------------------- search


def matches(
    query: SearchQuery, parsed: ParsedText, snap: ListingSnapshot, radius: float
) -> tuple[Matches, GeoMatch | None]:
    """Geography from the snapshot; without words, the snapshot's filters (the same
    as ``filtered_queryset``, tested so); with words, full text and the filters in
    PostgreSQL over those candidates (the text part comes exact from SQL)."""
    geo = None
    positions = snap.all_positions()
    if query.location is not None:
        geo = snap.geo(query.location, radius)
        positions = geo.positions
    if parsed.is_empty:
        return Matches(snap.filter(positions, query.filters)), geo
    if not len(positions):
        return Matches(positions, np.zeros(0)), geo
    qs = filtered_queryset(query.filters)
    if geo is not None:
        qs = qs.filter(pk__in=ids_expression(snap.page_ids(positions).tolist()))
    qs, text_fields = _apply_text(qs, parsed)
    rows = fetch_rows(qs, ("page_id", *text_fields))
    concepts = len(parsed.groups)
    text = {int(row.page_id): _text_part(row, concepts) for row in rows}
    positions = snap.positions_of(np.fromiter(text, np.int64, len(text)))
    scores = np.array([text[pk] for pk in snap.page_ids(positions).tolist()], dtype=np.float64)
    return Matches(positions, scores), geo


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
        # Checked on each candidate row ("categories" holds codes with ancestors), so
        # the query is driven by the candidates, not by a broad category's rows.
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


def _any_of(alternatives: Sequence[Phrase]) -> TextQuery | None:
    """Any of these phrases, as one ``tsquery`` (None for none)."""
    either: Any = None
    for alternative in alternatives:
        phrase = TextQuery(" ".join(alternative), search_type="phrase", config="english")
        either = phrase if either is None else either | phrase
    return either  # type: ignore[no-any-return]


def _matches(query: TextQuery) -> Case:
    return Case(When(search_vector=query, then=Value(True)), default=Value(False))


def _apply_text(qs: QuerySet[Any], parsed: ParsedText) -> tuple[QuerySet[Any], tuple[str, ...]]:
    """Restrict ``qs`` to listings mentioning any concept, annotated per concept
    with ``t<n>``/``e<n>`` (typed word / a synonym matched), ``text_raw`` (the sum
    over concepts of the better of the typed word's ``ts_rank`` and EXPANDED × the
    synonyms') and ``phrase`` (the typed phrase is there)."""
    anything: Any = None
    raw: Any = None
    annotations: dict[str, Any] = {}
    for n, group in enumerate(parsed.groups):
        typed = TextQuery(" ".join(group.original), search_type="phrase", config="english")
        expanded = _any_of(group.alternatives[1:])
        rank: Any = SearchRank(F("search_vector"), typed)
        annotations[f"t{n}"] = _matches(typed)
        if expanded is None:
            annotations[f"e{n}"] = Value(False, output_field=BooleanField())
        else:
            annotations[f"e{n}"] = _matches(expanded)
            rank = Greatest(rank, SearchRank(F("search_vector"), expanded) * Value(EXPANDED))
        either = typed if expanded is None else typed | expanded
        anything = either if anything is None else anything | either
        raw = rank if raw is None else raw + rank
    if parsed.phrase:
        annotations["phrase"] = _matches(
            TextQuery(" ".join(parsed.phrase), search_type="phrase", config="english")
        )
    else:
        annotations["phrase"] = Value(False, output_field=BooleanField())
    qs = qs.filter(search_vector=anything).annotate(text_raw=raw, **annotations)
    return qs, ("text_raw", *annotations)


def _text_part(row: Any, concepts: int) -> float:
    """A fetched row's per-concept flags and ``text_raw`` turned into the text part."""
    levels = [
        1.0 if getattr(row, f"t{n}") else EXPANDED if getattr(row, f"e{n}") else 0.0
        for n in range(concepts)
    ]
    return text_score(float(row.text_raw or 0.0), TEXT_K, levels, bool(row.phrase))


@functools.cache
def _row_type(fields: tuple[str, ...]) -> Any:
    return namedtuple("Row", fields)


def fetch_rows(qs: QuerySet[IndexedListing], fields: tuple[str, ...]) -> list[Any]:
    """``list(qs.values_list(*fields, named=True))`` without Django's per-row work:
    the same SQL on a plain cursor. Thousands of rows come back for a common word in
    a city, and only ``last_verified_on`` and ``slots`` would have needed converting
    (the scorer converts them)."""
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


# --------------------------------------------------------------------------- writes


def write_text(documents: Sequence[ListingDocument]) -> None:
    """Set ``search_vector`` on freshly inserted ``IndexedListing`` rows."""
    if not documents:
        return
    with connection.cursor() as cursor:
        # Folded text so "café" and "cafe" meet (the "english" config keeps accents).
        cursor.executemany(
            "UPDATE search_indexedlisting SET search_vector = "
            "setweight(to_tsvector('english', %s), 'A') || "
            "setweight(to_tsvector('english', %s), 'B') || "
            "setweight(to_tsvector('english', %s), 'C') || "
            "setweight(to_tsvector('english', %s), 'D') WHERE page_id = %s",
            [
                (
                    fold(d.title),
                    fold(d.keywords),
                    fold(f"{d.summary}\n{d.organisation}"),
                    fold(d.description),
                    d.page_id,
                )
                for d in documents
            ],
        )


def delete_text(ids: Sequence[int]) -> None:
    """Nothing to do: the vector goes with its row."""


def clear_text() -> None:
    """Nothing to do: the vectors go with their rows."""


def optimize() -> None:
    """Nothing to do: PostgreSQL keeps its GIN index compact itself."""


def document_frequencies(words: Sequence[str], snap: ListingSnapshot) -> list[int]:
    """Per word, how many listings hold it, counted on the GIN-indexed
    ``search_vector`` (which also holds the category names: a close count)."""
    return [
        IndexedListing.objects.filter(
            search_vector=TextQuery(word, search_type="plain", config="english")
        ).count()
        for word in words
    ]


def prepare_base(previous_generation: int | None, snap: Any) -> None:
    """Nothing to do: PostgreSQL's text index is not kept per base."""
