"""A page's revision content, exactly as ``page.serializable_data()`` makes it, faster.

Wagtail stores ``serializable_data()`` (modelcluster's) as each revision's content.
modelcluster prepares every field of the page and of each inline child through
``pre_save``, a time-zone check and ``is_protected_type`` or ``value_to_string``:
for ~90 values a listing that was an eighth of the bulk import. Here each model's
fields are classified once; a value whose result is known from its type alone (None,
numbers, dates, times, plain strings of plain fields) is used as is, and everything
else still goes through modelcluster's own ``get_field_value``. Models that override
any of that serialisation are left to their own ``serializable_data()``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import DateField, DateTimeField, Field, Model, TimeField
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
)
from wagtail.models import RevisionMixin

#: Types ``get_field_value`` returns unchanged (protected types; not datetime, whose
#: time zone it converts, nor subclasses: the check is on the exact type).
_AS_IS = frozenset({type(None), bool, int, float, Decimal, dt.date, dt.time})
#: How a field's value is found: the related id; the attribute, as is when of a type
#: above or a string; the attribute, as is when of a type above; modelcluster's way.
_RELATED, _PLAIN, _READ, _OTHER = 0, 1, 2, 3


def serializable_data(obj: Model) -> dict[str, Any]:
    """``obj.serializable_data()``, for a page (or other ClusterableModel)."""
    if not _standard(type(obj)):
        return obj.serializable_data()  # type: ignore[attr-defined,no-any-return]
    return _cluster_data(obj)


@cache
def _standard(model: type[Model]) -> bool:
    """Whether ``model`` serialises with modelcluster's code, unchanged."""
    defining = [c for c in model.__mro__ if "serializable_data" in c.__dict__]
    return defining in ([RevisionMixin, ClusterableModel], [ClusterableModel])


def _cluster_data(obj: Model) -> dict[str, Any]:
    # ClusterableModel.serializable_data, step for step.
    data = _fields_data(obj)
    for name, nested in _child_relations(type(obj)):
        children = getattr(obj, name).all()
        if nested:
            data[name] = [serializable_data(child) for child in children]
        else:
            data[name] = [_fields_data(child) for child in children]
    for field_name in _child_m2m(type(obj)):
        data[field_name] = [child.pk for child in getattr(obj, field_name).all()]
    return data


@cache
def _child_relations(model: type[Model]) -> list[tuple[str, bool]]:
    return [
        (rel.get_accessor_name(), hasattr(rel.related_model, "serializable_data"))
        for rel in get_all_child_relations(model)
    ]


@cache
def _child_m2m(model: type[Model]) -> list[str]:
    return [field.name for field in get_all_child_m2m_relations(model) if field.serialize]


def _fields_data(obj: Model) -> dict[str, Any]:
    # modelcluster's get_serializable_data_for_fields, with its per-value work skipped
    # where the outcome is known.
    data: dict[str, Any] = {}
    for key, field, kind in _plan(type(obj)):
        value = getattr(obj, field.attname)
        if (
            kind == _RELATED
            or (kind != _OTHER and type(value) in _AS_IS)
            or (kind == _PLAIN and type(value) is str)
        ):
            data[key] = value
        else:
            data[key] = get_field_value(field, obj)
    return data


@cache
def _plan(model: type[Model]) -> list[tuple[str, Field[Any, Any], int]]:
    pk_field: Any = model._meta.pk
    # As modelcluster does: a multi-table child uses its topmost parent's pk.
    while pk_field.remote_field and pk_field.remote_field.parent_link:
        pk_field = pk_field.remote_field.model._meta.pk
    own: list[Any] = list(model._meta.fields)
    fields = [("pk", pk_field)] + [(f.name, f) for f in own if f.serialize]
    return [(key, field, _kind(field)) for key, field in fields]


def _kind(field: Field[Any, Any]) -> int:
    if field.remote_field is not None:
        return _RELATED
    cls = type(field)
    reads = cls.pre_save is Field.pre_save or (
        # Their pre_save only differs when the field sets "now" itself.
        cls.pre_save in _DATE_PRE_SAVES
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )
    if not reads:
        return _OTHER
    # Field.value_to_string is str() of the attribute: a string stays itself.
    return _PLAIN if cls.value_to_string is Field.value_to_string else _READ


_DATE_PRE_SAVES = (DateField.pre_save, DateTimeField.pre_save, TimeField.pre_save)
