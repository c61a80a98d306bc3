"""Every private Wagtail, treebeard and modelcluster detail the bulk page writer uses.

``bulk.py`` writes the rows Wagtail's ``add_child`` + ``save_revision`` + ``publish``
would write, without running them. For that it must know things those libraries do
not promise to keep, and all of them are here: treebeard's path encoding
(``Page.steplen``, ``_str2int``, ``_get_path``), the fields Wagtail manages itself,
a page's state when ``save_revision`` first serialises it, the revision and log
rows, ``ReferenceIndex``'s private extractors, and modelcluster's
``serializable_data`` step by step (a page's revision content, faster).

They were verified against the versions in ``SUPPORTED``
(``tests/importers/test_bulk.py`` compares every column with a page created the
normal way). On import this module compares those with the installed versions; on
any other, ``BULK_WRITER_SUPPORTED`` is False, a warning is logged, and
``PageWriter`` creates every page through Wagtail's normal path: slower, never
wrong. After an upgrade, run the bulk tests and add the new series here.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import metadata
from typing import Any

from django.db.models import DateField, DateTimeField, F, Field, Model, TimeField
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
)
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, RevisionMixin

logger = logging.getLogger(__name__)

#: Distribution -> the release series (major.minor) the bulk writer was verified with.
SUPPORTED: dict[str, frozenset[str]] = {
    "wagtail": frozenset({"8.0"}),
    "django-modelcluster": frozenset({"6.5"}),
    "django-treebeard": frozenset({"5.3"}),
}


def installed_versions() -> dict[str, str]:
    versions = {}
    for name in SUPPORTED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def unsupported(versions: Mapping[str, str]) -> list[str]:
    """``"name version"`` for each installed version outside ``SUPPORTED``."""
    return [
        f"{name} {version}"
        for name, version in versions.items()
        if ".".join(version.split(".")[:2]) not in SUPPORTED.get(name, frozenset())
    ]


def check_versions() -> bool:
    """Whether the installed versions are verified ones; logs why not otherwise."""
    found = unsupported(installed_versions())
    if found:
        logger.warning(
            "The bulk page writer is not verified with %s; imports create pages "
            "through Wagtail's normal path instead.",
            ", ".join(found),
        )
    return not found


BULK_WRITER_SUPPORTED = check_versions()

#: Fields Wagtail itself manages; never validated from import data.
TREE_FIELDS = [
    "path", "depth", "numchild", "url_path", "translation_key", "locale", "content_type",
    "latest_revision", "live_revision", "owner", "locked_by", "alias_of", "page_ptr",
    "slug", "draft_title",
]  # fmt: skip
#: Values a page has at the moment ``save_revision`` serialises it for the first time.
DRAFT_STATE = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "last_published_at": None,
    "live_revision": None,
    "latest_revision": None,
    "latest_revision_created_at": None,
}


def child_relation_names(model: type[Model]) -> list[str]:
    """The accessors of the model's inline (modelcluster) child relations."""
    return [rel.get_accessor_name() for rel in get_all_child_relations(model)]


# --- the page row -------------------------------------------------------------------


def place_children(parent: Page, pages: list[Any], content_type: Any) -> None:
    """Give the pages the next free tree positions under their parent, as add_child."""
    # Lock the parent so a concurrent add_child cannot take the same positions.
    locked = Page.objects.select_for_update().get(pk=parent.pk)
    last = (
        Page.objects.filter(path__startswith=locked.path, depth=locked.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last[-Page.steplen :]) if last else 0
    for page in pages:
        step += 1
        page.path = Page._get_path(locked.path, locked.depth + 1, step)
        page.depth = locked.depth + 1
        page.numchild = 0
        page.url_path = f"{locked.url_path}{page.slug}/"
        page.locale_id = locked.locale_id
        page.translation_key = uuid.uuid4()
        page.content_type = content_type
        page.draft_title = page.title
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def set_publishing_state(pages: list[Any], *, publish: bool, now: dt.datetime) -> None:
    """The columns ``publish()`` (or a first draft revision) leaves on a new page."""
    for page in pages:
        page.live = publish
        page.has_unpublished_changes = not publish
        page.first_published_at = page.last_published_at = now if publish else None


def link_revisions(pages: list[Any], revisions: list[Revision], *, publish: bool) -> None:
    """Point each page at its (first) revision, live when published."""
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.live_revision = revision if publish else None


# --- revisions, log entries, references --------------------------------------------


def first_revision(page: Any, content_type: Any, base_content_type: Any, now: Any) -> Revision:
    """The revision ``save_revision`` makes of a page just added (its content as then)."""
    final = {name: getattr(page, name) for name in DRAFT_STATE}
    for name, value in DRAFT_STATE.items():
        setattr(page, name, value)
    content = serializable_data(page)
    for name, value in final.items():
        setattr(page, name, value)
    return Revision(
        content_type=content_type,
        base_content_type=base_content_type,
        object_id=str(page.pk),
        content=content,
        object_str=str(page),
        created_at=now,
    )


def log_entries(
    pages: list[Any], revisions: list[Revision], *, publish: bool, content_type: Any, now: Any
) -> tuple[PageLogEntry, list[dict[str, Any]]]:
    """The entries add_child and ``publish(log_action=True)`` write: what they share
    (a template row) and each one's own values."""
    # add_child logs the creation (no revision), publish the publishing (with it).
    actions = ["wagtail.create", "wagtail.publish"] if publish else ["wagtail.create"]
    template = PageLogEntry(content_type=content_type, timestamp=now, content_changed=True)
    rows = [
        {
            "label": page.get_admin_display_title(),
            "action": action,
            "revision_id": revision.pk if action == "wagtail.publish" else None,
            "page_id": page.pk,
            "data": {},
        }
        for page, revision in zip(pages, revisions, strict=True)
        for action in actions
    ]
    return template, rows


def reference_rows(
    pages: list[Any], content_type: Any, base_content_type: Any
) -> list[ReferenceIndex]:
    """``create_or_update_for_object`` for new pages (no existing rows to look up)."""
    rows: list[ReferenceIndex] = []
    for page in pages:
        references = set(ReferenceIndex._extract_references_from_object(page))
        rows.extend(
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=page.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        )
    return rows


# --- revision content: modelcluster's serializable_data, faster ----------------------
#
# Wagtail stores ``serializable_data()`` (modelcluster's) as each revision's content.
# modelcluster prepares every field of the page and of each inline child through
# ``pre_save``, a time-zone check and ``is_protected_type`` or ``value_to_string``:
# for ~90 values a listing that was an eighth of the bulk import. Here each model's
# fields are classified once; a value whose result is known from its type alone
# (None, numbers, dates, times, plain strings of plain fields) is used as is, and
# everything else still goes through modelcluster's own ``get_field_value``. Models
# that override any of that serialisation are left to their own
# ``serializable_data()``.

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
