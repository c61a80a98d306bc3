"""Writing ``ListingDocument``s into the database backend's tables.

Each write replaces a listing's rows in one transaction (delete, then insert), so a
reader sees either the old or the new listing, never half of one. Every write bumps
``IndexState.generation`` (a fresh random value) so other processes refresh their cached vocabulary.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Field, Model
from django.db.models.constants import OnConflict

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
    IndexedCategory,
    IndexedCoverage,
    IndexedListing,
    IndexedLocation,
    IndexedWord,
    IndexState,
)
from search.query import fold, tokenize_all
from search.ranking import bounding_box

from . import fulltext

CHUNK = 500
MAX_WORD = 40


def write_documents(documents: Sequence[ListingDocument], replace: bool = True) -> int:
    """Insert (or replace) these documents; returns how many were written.

    ``replace=False`` skips the delete, for bulk loads into an empty index.
    """
    if not documents:
        return 0
    with transaction.atomic():
        if replace:
            delete_ids([d.page_id for d in documents], bump=False)
        _insert(IndexedListing, _LISTING_FIELDS, _listing_rows(documents))
        # The child rows hold only numbers and short strings, which need no preparing.
        _insert(
            IndexedLocation,
            ("listing_id", "lat", "lon"),
            [(d.page_id, v.lat, v.lon) for d in documents for v in d.venues],
        )
        _insert(IndexedCoverage, _COVERAGE_COLUMNS, _coverages(documents))
        _insert(
            IndexedCategory,
            ("listing_id", "code"),
            [(d.page_id, code) for d in documents for code in d.category_codes],
        )
        fulltext.write(documents)
        add_words(documents)
        bump_generation()
    return len(documents)


_LISTING_FIELDS = list(IndexedListing._meta.concrete_fields)
#: Field classes whose database value is the Python value itself, for a str or bool
#: (Char/Text: ``to_python`` of a str; Boolean: of a bool); the rest are prepared.
_AS_IS_FIELDS = {models.CharField: str, models.TextField: str, models.BooleanField: bool}


def _listing_rows(documents: Sequence[ListingDocument]) -> list[list[Any]]:
    """The ``IndexedListing`` rows, values prepared as ``Model.save`` prepares them."""
    conn = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is used for every value
    plan = [(f, _AS_IS_FIELDS.get(type(f))) for f in _LISTING_FIELDS]
    rows = []
    for d in documents:
        listing = _listing(d)
        row = []
        for f, as_is in plan:
            value = f.pre_save(listing, True)
            is_plain = value is None or type(value) is as_is
            row.append(value if is_plain and as_is else f.get_db_prep_save(value, conn))
        rows.append(row)
    return rows


_COVERAGE_COLUMNS = (
    "listing_id", "area_code", "lat", "lon", "radius_miles", "min_lat", "max_lat", "min_lon",
    "max_lon",
)  # fmt: skip


def _insert(
    model: type[Model],
    columns: Sequence[str | Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """One prepared INSERT run over all rows with ``executemany``: ``bulk_create``
    compiles every value through Django's SQL compiler, which cost more than the
    database writes themselves."""
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(c) if isinstance(c, str) else c for c in columns]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    ops = connection.ops
    sql = " ".join(
        (
            ops.insert_statement(on_conflict=on_conflict),
            ops.quote_name(model._meta.db_table),
            "(" + ", ".join(ops.quote_name(f.column) for f in fields) + ")",
            "VALUES (" + ", ".join(["%s"] * len(fields)) + ")",
            ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "",
        )
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql.rstrip(), rows)


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
    title, keywords = fold(d.title), fold(d.keywords.replace("\n", " "))
    summary, organisation = fold(d.summary), fold(d.organisation)
    title_end = len(title)
    keywords_end = title_end + 1 + len(keywords)
    summary_end = keywords_end + 1 + len(summary)
    return IndexedListing(
        flags=sum(bit for bit, test in FLAG_BITS if test(d)),
        rank_text="\n".join((title, keywords, summary, organisation)),
        rank_title_end=title_end,
        rank_keywords_end=keywords_end,
        rank_summary_end=summary_end,
        page_id=d.page_id,
        title=d.title[:255],
        summary=d.summary,
        description=d.description,
        organisation=d.organisation[:255],
        keywords=d.keywords,
        categories=" ".join(d.category_codes),
        url=d.url[:500],
        temporarily_closed=d.temporarily_closed,
        is_national=d.is_national,
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
    )


def _coverages(documents: Iterable[ListingDocument]) -> list[tuple[Any, ...]]:
    """Rows in ``_COVERAGE_COLUMNS`` order: an area code, or a circle and its box."""
    rows: list[tuple[Any, ...]] = []
    for d in documents:
        for code in d.area_codes:
            rows.append((d.page_id, code, None, None, None, None, None, None, None))
        for circle in d.radius_coverages:
            min_lat, max_lat, min_lon, max_lon = bounding_box(circle.lat, circle.lon, circle.miles)
            rows.append(
                (d.page_id, "", circle.lat, circle.lon, circle.miles, min_lat, max_lat, min_lon,
                 max_lon)
            )  # fmt: skip
    return rows


def add_words(documents: Iterable[ListingDocument]) -> None:
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
                    w for w in tokenize_all(chunk) if 2 <= len(w) <= MAX_WORD and not w.isdigit()
                )
    _insert(IndexedWord, ("word",), [(w,) for w in sorted(words)], ignore_conflicts=True)


def delete_ids(ids: Iterable[int], bump: bool = True) -> None:
    id_list = list(ids)
    with transaction.atomic():
        for start in range(0, len(id_list), CHUNK):
            chunk = id_list[start : start + CHUNK]
            # Children first, so each is one plain DELETE: no cascade left to collect
            # (and no signal receivers on these tables).
            for model in (IndexedLocation, IndexedCoverage, IndexedCategory):
                model.objects.filter(listing_id__in=chunk)._raw_delete(connection.alias)
            IndexedListing.objects.filter(pk__in=chunk)._raw_delete(connection.alias)
        fulltext.delete(id_list)
        if bump:
            bump_generation()


def clear_all() -> None:
    with transaction.atomic():
        for model in (IndexedLocation, IndexedCoverage, IndexedCategory):
            model.objects.all().delete()
        IndexedListing.objects.all().delete()
        IndexedWord.objects.all().delete()
        fulltext.clear()
        bump_generation()


def bump_generation() -> None:
    # Random rather than +1: after a rolled-back write (or between tests) a counter
    # could repeat a value another process cached for different contents.
    IndexState.objects.update_or_create(pk=1, defaults={"generation": secrets.randbits(62)})


def generation() -> int:
    value = IndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return int(value or 0)
