"""Writing ``ListingDocument``s into the database backend's tables.

Every change to the index goes through ``index_writer()``: one transaction, and on
the way out, if anything was inserted or deleted, a new ``IndexState.generation``
in that same transaction, with the ids it changed in ``search.changelog`` (so
snapshots can follow by a delta). Readers cache what they built from the index (the
snapshot, the vocabulary) against the generation, so a write that skipped the bump
would leave them answering from rows that are gone. Nothing else writes these
tables.

Each write replaces a listing's rows (delete, then insert), so a reader sees either
the old or the new listing, never half of one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from directory.bm25 import analyse
from directory.bulk_sql import insert_values, prepare_rows
from directory.text import tokens
from search import changelog
from search.documents import ListingDocument
from search.models import (
    FLAG_ACCESSIBLE_TOILET,
    FLAG_FREE,
    FLAG_HEARING_LOOP,
    FLAG_IN_PERSON,
    FLAG_NATIONAL,
    FLAG_ONLINE,
    FLAG_PARKING,
    FLAG_PHONE,
    FLAG_TEMPORARILY_CLOSED,
    FLAG_WHEELCHAIR,
    IndexedCoverage,
    IndexedListing,
    IndexedLocation,
    IndexedWord,
    IndexState,
)

from . import engines

CHUNK = 500
MAX_WORD = 40
#: Child tables, deleted before their listings (see ``IndexWriter.delete``).
CHILDREN = (IndexedLocation, IndexedCoverage)
_LISTING_FIELDS = list(IndexedListing._meta.concrete_fields)


class IndexWriter:
    """The write operations; use one through ``index_writer()``, never directly."""

    def __init__(self) -> None:
        self.engine = engines.current()
        #: Set by any insert or delete: the generation must change.
        self.changed = False
        #: The listings written or deleted (``search.changelog``), and whether the
        #: whole index was cleared.
        self.touched: set[int] = set()
        self.cleared = False

    def write(self, documents: Sequence[ListingDocument], replace: bool = True) -> int:
        """Insert (or replace) these documents; returns how many were written.

        ``replace=False`` skips the delete, for bulk loads into an empty index.
        """
        if not documents:
            return 0
        if replace:
            self.delete([d.page_id for d in documents])
        insert_values(IndexedListing, _LISTING_FIELDS, _listing_rows(documents))
        insert_values(
            IndexedLocation,
            ("listing_id", "lat", "lon"),
            [(d.page_id, v.lat, v.lon) for d in documents for v in d.venues],
        )
        insert_values(IndexedCoverage, _COVERAGE_COLUMNS, _coverages(documents))
        self.engine.write_text(documents)
        _add_words(documents)
        self.changed = True
        self.touched.update(d.page_id for d in documents)
        return len(documents)

    def delete(self, ids: Iterable[int]) -> int:
        """Drop these listings (unknown ids are ignored); returns how many were."""
        id_list = list(ids)
        deleted = 0
        for start in range(0, len(id_list), CHUNK):
            chunk = id_list[start : start + CHUNK]
            # Children first, so each is one plain DELETE: no cascade left to collect
            # (and no signal receivers on these tables).
            for model in CHILDREN:
                model.objects.filter(listing_id__in=chunk)._raw_delete(connection.alias)
            deleted += IndexedListing.objects.filter(pk__in=chunk)._raw_delete(connection.alias)
        if deleted:
            self.engine.delete_text(id_list)
            self.changed = True
            self.touched.update(id_list)
        return deleted

    def clear(self) -> None:
        """Empty the index, vocabulary included."""
        for model in CHILDREN:
            model.objects.all()._raw_delete(connection.alias)
        IndexedListing.objects.all()._raw_delete(connection.alias)
        IndexedWord.objects.all()._raw_delete(connection.alias)
        self.engine.clear_text()
        self.changed = True
        self.cleared = True


@contextmanager
def index_writer() -> Iterator[IndexWriter]:
    """``with index_writer() as w: w.write(...); w.delete(...)``: the only way to
    change the index. One transaction; the generation is bumped in it when anything
    was inserted or deleted."""
    writer = IndexWriter()
    with transaction.atomic():
        yield writer
        if writer.changed:
            # After the bump, whose row lock orders concurrent writers: their log
            # rows then take seqs in commit order (see ``search.changelog``).
            generation = _bump_generation()
            changelog.record(writer.touched, generation, everything=writer.cleared)


def _bump_generation() -> int:
    # Random rather than +1: after a rolled-back write (or between tests) a counter
    # could repeat a value another process cached for different contents.
    generation = secrets.randbits(62)
    IndexState.objects.update_or_create(pk=1, defaults={"generation": generation})
    return generation


def _listing_rows(documents: Sequence[ListingDocument]) -> list[list[Any]]:
    return prepare_rows([_listing(d) for d in documents], _LISTING_FIELDS)


_COVERAGE_COLUMNS = ("listing_id", "area_code", "lat", "lon", "radius_miles")


FLAG_BITS = (
    (FLAG_FREE, lambda d: d.is_free),
    (FLAG_IN_PERSON, lambda d: "in_person" in d.attendance),
    (FLAG_ONLINE, lambda d: "online" in d.attendance),
    (FLAG_PHONE, lambda d: "phone" in d.attendance),
    (FLAG_WHEELCHAIR, lambda d: "wheelchair" in d.accessibility),
    (FLAG_HEARING_LOOP, lambda d: "hearing_loop" in d.accessibility),
    (FLAG_ACCESSIBLE_TOILET, lambda d: "accessible_toilet" in d.accessibility),
    (FLAG_PARKING, lambda d: "parking" in d.accessibility),
    (FLAG_NATIONAL, lambda d: d.is_national),
    (FLAG_TEMPORARILY_CLOSED, lambda d: d.temporarily_closed),
)


def _listing(d: ListingDocument) -> IndexedListing:
    return IndexedListing(
        flags=sum(bit for bit, test in FLAG_BITS if test(d)),
        page_id=d.page_id,
        title=d.title[:255],
        summary=d.summary,
        description=d.description,
        organisation=d.organisation[:255],
        keywords=d.keywords,
        categories=" ".join(d.category_codes),
        url=d.url[:500],
        temporarily_closed=d.temporarily_closed,
        is_free=d.is_free,
        min_age=d.min_age,
        max_age=d.max_age,
        in_person="in_person" in d.attendance,
        online="online" in d.attendance,
        by_phone="phone" in d.attendance,
        wheelchair="wheelchair" in d.accessibility,
        hearing_loop="hearing_loop" in d.accessibility,
        accessible_toilet="accessible_toilet" in d.accessibility,
        parking="parking" in d.accessibility,
        open_days=d.open_days_mask,
        slots=[slot.to_json() for slot in d.slots],
        venues=[[v.name, v.postcode, v.lat, v.lon] for v in d.venues],
        last_verified_on=d.last_verified_on,
        word_count=len(analyse(d.words_text)),
    )


def _coverages(documents: Iterable[ListingDocument]) -> list[tuple[Any, ...]]:
    """Rows in ``_COVERAGE_COLUMNS`` order: an area code, or a circle."""
    rows: list[tuple[Any, ...]] = []
    for d in documents:
        rows.extend((d.page_id, code, None, None, None) for code in d.area_codes)
        rows.extend((d.page_id, "", c.lat, c.lon, c.miles) for c in d.radius_coverages)
    return rows


def _add_words(documents: Iterable[ListingDocument]) -> None:
    words: set[str] = set()
    # Tokens never span whitespace (folding keeps it whitespace, and a token is letters
    # and digits), so each distinct whitespace-separated chunk is tokenised once.
    seen: set[str] = set()
    for d in documents:
        text = " ".join((d.title, d.summary, d.description, d.keywords, d.organisation))
        for chunk in text.split():
            if chunk not in seen:
                seen.add(chunk)
                words.update(
                    w for w in tokens(chunk) if 2 <= len(w) <= MAX_WORD and not w.isdigit()
                )
    insert_values(IndexedWord, ("word",), [(w,) for w in sorted(words)], ignore_conflicts=True)
