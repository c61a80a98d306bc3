"""Plain ``executemany`` inserts, and reading new ids back: the one bulk-SQL layer.

Two writers use it: the bulk import (``importers.writing.bulk``, pages and their
parts) and the database search backend (``search.backends.database.store``, the
index rows). It lives in ``directory`` so both may import it.

``QuerySet.bulk_create`` compiles every value of every row through Django's SQL
compiler and, on SQLite, splits the rows into 999-parameter statements; for the
~10 rows a page the bulk import writes, that compiling was a third of the import,
and for the index it cost more than the database writes themselves. Here each
model gets one prepared single-row INSERT run with ``executemany``; every value is
still prepared as ``Model.save`` prepares it (``pre_save`` then
``get_db_prep_save``), so the stored rows are the same.

Ids: auto-increment ids are handed out in insertion order (SQLite's rowid is
max + 1, PostgreSQL's sequence is monotonic within a session), so reading back the
ids of rows that belong to just-created parents, ordered by id, gives them in the
order they were inserted.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    BooleanField,
    CharField,
    Field,
    FloatField,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)
from django.db.models.constants import OnConflict
from django.db.models.fields import AutoFieldMixin

#: Ids per ``IN (...)`` when reading ids back (under SQLite's old 999-variable limit).
READ_CHUNK = 900


def insert_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns an INSERT writes: every concrete field but an auto-generated pk."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(f, "db_returning", False))
    ]


def insert_sql(
    model: type[Model], fields: Sequence[Field[Any, Any]], *, ignore_conflicts: bool = False
) -> str:
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    ops = connection.ops
    return " ".join(
        part
        for part in (
            ops.insert_statement(on_conflict=on_conflict),
            ops.quote_name(model._meta.db_table),
            "(" + ", ".join(ops.quote_name(f.column) for f in fields) + ")",
            "VALUES (" + ", ".join(["%s"] * len(fields)) + ")",
            ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "",
        )
        if part
    )


def insert_rows(
    model: type[Model],
    objs: Sequence[Any],
    *,
    fields: Sequence[Field[Any, Any]] | None = None,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT these instances (of ``model`` or, for multi-table inheritance, of a
    subclass: only ``model``'s own table is written). Ids are not set on them."""
    if not objs:
        return
    fields = insert_fields(model) if fields is None else fields
    insert_values(model, fields, prepare_rows(objs, fields), ignore_conflicts=ignore_conflicts)


def prepare_rows(objs: Sequence[Any], fields: Sequence[Field[Any, Any]]) -> list[list[Any]]:
    """Each object's values as ``Model.save`` sends them: ``pre_save`` then
    ``get_db_prep_save``, skipped where that would return the value unchanged."""
    # The connection itself, not django.db.connection's proxy: it is used per value.
    conn = connections[DEFAULT_DB_ALIAS]
    plan = [(f, _plain_types(f, conn), type(f).pre_save is Field.pre_save) for f in fields]
    rows = []
    for obj in objs:
        row = []
        for f, plain, simple in plan:
            value = getattr(obj, f.attname) if simple else f.pre_save(obj, True)
            row.append(value if type(value) in plain else f.get_db_prep_save(value, conn))
        rows.append(row)
    return rows


class RowTemplate:
    """Rows of ``model`` that share most of their values: those are prepared once,
    from ``template``, and each row sets only the ``varying`` columns."""

    def __init__(self, model: type[Model], template: Model, varying: Sequence[str]) -> None:
        self.conn = connections[DEFAULT_DB_ALIAS]
        self.fields = insert_fields(model)
        shared = [f for f in self.fields if f.attname not in varying]
        if any(callable(f.default) for f in shared if f.has_default()):
            # A per-row default (uuid4, now...) must not be copied: list it in varying.
            raise ValueError(f"{model.__name__}: a column with a callable default is shared")
        self.base = prepare_rows([template], self.fields)[0]
        self.slots = [
            (i, f, _plain_types(f, self.conn))
            for i, f in enumerate(self.fields)
            if f.attname in varying
        ]

    def row(self, values: dict[str, Any]) -> list[Any]:
        """A row with ``values`` (attname: value, every varying column) prepared."""
        row = self.base.copy()
        for i, f, plain in self.slots:
            value = values[f.attname]
            row[i] = value if type(value) in plain else f.get_db_prep_save(value, self.conn)
        return row


_NONE = type(None)
_AUTO_DB_PREP = AutoFieldMixin.get_db_prep_value  # type: ignore[attr-defined]
_plain_cache: dict[tuple[Field[Any, Any], str], frozenset[type]] = {}


def _plain_types(field: Field[Any, Any], conn: Any) -> frozenset[type]:
    """Value types that ``field.get_db_prep_save`` returns unchanged on ``conn``.

    Decided from which implementations the field's class uses, so a custom field (or
    subclass overriding any of them) always goes through its own methods.
    """
    key = (field, conn.vendor)
    found = _plain_cache.get(key)
    if found is None:
        found = _plain_cache[key] = frozenset(_find_plain_types(field, conn))
    return found


def _find_plain_types(field: Field[Any, Any], conn: Any) -> set[type]:
    cls = type(field)
    if isinstance(field, ForeignKey) and cls.get_db_prep_save is ForeignKey.get_db_prep_save:
        # None is stored as NULL; an id is prepared by the target (primary key) field.
        target = _find_plain_types(field.target_field, conn)
        return {t for t in target if t is not str} | {_NONE}
    if cls.get_db_prep_save is not Field.get_db_prep_save:
        return set()
    prep, db_prep = cls.get_prep_value, cls.get_db_prep_value
    integers_unchanged = (
        type(conn.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
    )
    if db_prep is Field.get_db_prep_value:
        if prep in (CharField.get_prep_value, TextField.get_prep_value):
            return {str, _NONE}
        if prep is BooleanField.get_prep_value:
            return {bool, _NONE}
        if prep is FloatField.get_prep_value:
            return {float, _NONE}
    integer_prep = db_prep in (IntegerField.get_db_prep_value, _AUTO_DB_PREP)
    if integer_prep and prep is IntegerField.get_prep_value and integers_unchanged:
        return {int, _NONE}
    return set()


def insert_values(
    model: type[Model],
    fields: Sequence[str | Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT rows of values already prepared for the database (``fields`` as field
    names or fields; numbers and short strings need no preparing)."""
    if rows:
        resolved = [model._meta.get_field(f) if isinstance(f, str) else f for f in fields]
        sql = insert_sql(model, resolved, ignore_conflicts=ignore_conflicts)  # type: ignore[arg-type]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def insert_children(model: type[Model], objs: Sequence[Any], parent_column: str) -> None:
    """INSERT child rows of parents created in this transaction and set their ids.

    The parents are new, so every ``model`` row pointing at them is one of ``objs``;
    read back in id order, their ids come in the order the rows were inserted.
    """
    if not objs:
        return
    insert_rows(model, objs)
    parents = sorted({getattr(obj, parent_column) for obj in objs})
    ids: list[int] = []
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(parent_column)
    pk = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        for start in range(0, len(parents), READ_CHUNK):
            chunk = parents[start : start + READ_CHUNK]
            cursor.execute(
                f"SELECT {pk} FROM {table} WHERE {column} IN "  # noqa: S608 - quoted names
                f"({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            ids.extend(row[0] for row in cursor.fetchall())
    if len(ids) != len(objs):
        raise RuntimeError(f"{model.__name__}: inserted {len(objs)} rows, read back {len(ids)}")
    for obj, new_id in zip(objs, sorted(ids), strict=True):
        obj.pk = new_id
        obj._state.adding = False


def read_ids(model: type[Model], column: str, keys: Sequence[Any], **equal: Any) -> dict[Any, int]:
    """{key: id} of ``model`` rows whose ``column`` is one of ``keys`` (among the rows
    matching ``equal``); for a key on several rows, the newest (highest id) wins."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    pk = ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    where = "".join(f" AND {ops.quote_name(name)} = %s" for name in equal)
    found: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), READ_CHUNK):
            chunk = list(keys[start : start + READ_CHUNK])
            cursor.execute(
                f"SELECT {ops.quote_name(column)}, {pk} FROM {table} "  # noqa: S608
                f"WHERE {ops.quote_name(column)} IN ({', '.join(['%s'] * len(chunk))}){where} "
                f"ORDER BY {pk}",
                [*chunk, *equal.values()],
            )
            found.update(cursor.fetchall())
    return found


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Keep Python's cyclic garbage collector from re-scanning everything loaded.

    An import allocates ~100 objects a row, so the collector runs thousands of
    times and each full pass walks every object Django and Wagtail hold (5 s of
    a 35 s import). Freezing moves what exists now out of its view; the higher
    first threshold makes the young passes rarer. Both are undone on the way out.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 100_000), threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
