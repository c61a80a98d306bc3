"""Create many pages at once, writing exactly the rows Wagtail's own path writes.

Wagtail creates a page with ``add_child`` + ``save_revision`` + ``publish``: about
a dozen queries and 35-50 ms a page. Here one batch costs a fixed number of bulk
statements (``sql_rows.py``: one prepared INSERT per table run with ``executemany``),
so an import of thousands of listings runs at hundreds a second.

What is written, per page (``tests/importers/test_bulk.py`` compares every column
with a page created the normal way):

* the ``wagtailcore_page`` row: treebeard path/depth (the next free steps under the
  organisation, whose ``numchild`` is bumped), ``url_path``, locale, translation key,
  ``draft_title``, ``live``, ``has_unpublished_changes``, ``first_published_at``,
  ``last_published_at``, ``latest_revision``, ``live_revision``,
  ``latest_revision_created_at``;
* the ``directory_servicepage`` row (multi-table inheritance: inserted separately
  with the page's id, as Django's ``bulk_create`` cannot do it);
* inline parts (their new ids read back: the revision content holds them) and
  category links;
* one ``Revision`` whose content is ``serializable_data()`` of the page as it was
  when ``save_revision`` would have run (not yet live, no revision; ``serialise.py``);
* ``wagtail.create`` and, when publishing, ``wagtail.publish`` log entries;
* reference index rows.

Wagtail's ``page_published`` signal is not sent per page: ``index_pages`` then does
in one call what its receivers do (listing index, recommender) plus Wagtail's
own search index.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from directory.models import OrganisationPage, ServicePage
from importers.records import PART_RELATIONS, ServiceRecord
from importers.writing.serialise import serializable_data
from importers.writing.sql_rows import (
    RowTemplate,
    insert_children,
    insert_rows,
    insert_values,
    read_ids,
)

if TYPE_CHECKING:
    from importers.writing.upsert import PageWriter

logger = logging.getLogger(__name__)

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


class BulkPageCreator:
    """Creates pages of one model (ServicePage or OrganisationPage) in bulk."""

    def __init__(self, model: type[Page], *, publish: bool) -> None:
        self.model = model
        self.publish = publish
        self.content_type = ContentType.objects.get_for_model(model)
        self.base_content_type = ContentType.objects.get_for_model(Page)
        self.page_fields = [f for f in Page._meta.concrete_fields if f.attname != "id"]
        self.local_fields = list(model._meta.local_concrete_fields)
        self.relations = [rel.get_accessor_name() for rel in get_all_child_relations(model)]

    def create_services(
        self, writer: PageWriter, ready: list[tuple[ServiceRecord, OrganisationPage]]
    ) -> list[ServicePage | None]:
        """Create the records' service pages; invalid ones are reported and give None.

        Must run inside ``transaction.atomic()``: on any database error the caller
        rolls the whole batch back.
        """
        results = [self._build_service(writer, record, org) for record, org in ready]
        self.create(
            [(page, org) for page, (_record, org) in zip(results, ready, strict=True) if page]
        )
        return results

    def create(self, placed: list[tuple[Any, Page]]) -> None:
        """Insert built, validated (page, parent) pairs. Inside ``transaction.atomic()``."""
        if not placed:
            return
        now = timezone.now()
        by_parent: dict[int, list[Any]] = defaultdict(list)
        parents: dict[int, Page] = {}
        for page, parent in placed:
            by_parent[parent.pk].append(page)
            parents[parent.pk] = parent
        pages = [page for page, _parent in placed]
        for parent_pk, children in by_parent.items():
            self._place(parents[parent_pk], children)
        self._insert_pages(pages, now)
        self._insert_parts(pages)
        revisions = self._insert_revisions(pages, now)
        self._link_revisions(pages, revisions)
        self._insert_logs(pages, revisions, now)
        self._insert_references(pages)

    # --- steps ------------------------------------------------------------------------

    def _build_service(
        self, writer: PageWriter, record: ServiceRecord, org: OrganisationPage
    ) -> ServicePage | None:
        page = ServicePage(**writer.page_fields(record))
        page.slug = writer.unique_slug(org, record.title, record.external_id)
        writer.set_parts(page, record)
        self.empty_other_relations(page)
        try:
            # What add_child's full_clean checks, less the queries: slugs are made
            # unique above and oruk_ids are checked by the caller.
            page.clean_fields(exclude=[*TREE_FIELDS, "oruk_id"])
            for relation in PART_RELATIONS:
                for part in getattr(page, relation).all():
                    part.clean_fields(exclude=["page"])
                    part.clean()
        except ValidationError as error:
            writer.slugs.get(org.pk, set()).discard(page.slug)
            writer.skip(record, f"invalid: {_describe(error)}")
            return None
        return page

    def empty_other_relations(self, page: Any) -> None:
        """Set inline relations the import does not fill (comments...) to empty, so
        serialising the page does not query for them."""
        for name in self.relations:
            if name not in PART_RELATIONS:
                getattr(page, name).set([])

    def _place(self, parent: Page, pages: list[Any]) -> None:
        """Give the pages the next free tree positions under their parent."""
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
            page.content_type = self.content_type
            page.draft_title = page.title
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))

    def _insert_pages(self, pages: list[Any], now: Any) -> None:
        for page in pages:
            page.live = self.publish
            page.has_unpublished_changes = not self.publish
            page.first_published_at = page.last_published_at = now if self.publish else None
        # The base table's columns straight from the (subclass) instances; the new ids
        # are then read back by path, which is unique.
        insert_rows(Page, pages, fields=self.page_fields)
        ids = read_ids(Page, "path", [page.path for page in pages])
        for page in pages:
            page.id = page.page_ptr_id = ids[page.path]
            page._state.adding = False
        # Multi-table inheritance: the child table's rows with the ids just allocated,
        # as Model.save would.
        insert_rows(self.model, pages, fields=self.local_fields)

    def _insert_parts(self, pages: list[Any]) -> None:
        if self.model is not ServicePage:
            return
        by_model: dict[type[Any], list[Any]] = defaultdict(list)
        links: list[tuple[int, int]] = []
        for page in pages:
            for relation in PART_RELATIONS:
                for part in getattr(page, relation).all():
                    part.page_id = page.pk
                    by_model[type(part)].append(part)
            links.extend((page.pk, term.pk) for term in page.taxonomy_terms.all())
        # The parts' ids are part of the revision content, so they are read back.
        for model, parts in by_model.items():
            insert_children(model, parts, "page_id")
        through = ServicePage.taxonomy_terms.through
        columns = [through._meta.get_field("servicepage"), through._meta.get_field("taxonomyterm")]
        insert_values(through, columns, links)  # type: ignore[arg-type]

    def _link_revisions(self, pages: list[Any], revisions: list[Revision]) -> None:
        rows = []
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = revision
            page.latest_revision_created_at = revision.created_at
            page.live_revision = revision if self.publish else None
            rows.append((revision.pk, page.live_revision_id, revision.created_at, page.pk))
        # One prepared UPDATE run for every row: much cheaper than bulk_update's CASE.
        table = connection.ops.quote_name(Page._meta.db_table)
        sql = (
            f"UPDATE {table} SET latest_revision_id = %s, live_revision_id = %s, "  # noqa: S608
            "latest_revision_created_at = %s WHERE id = %s"
        )
        field = Page._meta.get_field("latest_revision_created_at")
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    (rev, live, field.get_db_prep_value(at, connection), pk)
                    for rev, live, at, pk in rows
                ],
            )

    def _insert_revisions(self, pages: list[Any], now: Any) -> list[Revision]:
        revisions = []
        for page in pages:
            final = {name: getattr(page, name) for name in DRAFT_STATE}
            for name, value in DRAFT_STATE.items():
                setattr(page, name, value)
            content = serializable_data(page)
            for name, value in final.items():
                setattr(page, name, value)
            revisions.append(
                Revision(
                    content_type=self.content_type,
                    base_content_type=self.base_content_type,
                    object_id=str(page.pk),
                    content=content,
                    object_str=str(page),
                    created_at=now,
                )
            )
        insert_rows(Revision, revisions)
        # Each new page has exactly this one revision; in id order, so that a stale
        # row left for a reused page id (SQLite) cannot win.
        ids = read_ids(
            Revision,
            "object_id",
            [revision.object_id for revision in revisions],
            base_content_type_id=self.base_content_type.pk,
        )
        for revision in revisions:
            revision.pk = ids[revision.object_id]
            revision._state.adding = False
        return revisions

    def _insert_logs(self, pages: list[Any], revisions: list[Revision], now: Any) -> None:
        # As add_child logs the creation (no revision) and publish(log_action=True)
        # the publishing (with its revision).
        actions = ["wagtail.create", "wagtail.publish"] if self.publish else ["wagtail.create"]
        # The entries differ only in these columns; the rest is prepared once.
        varying = ["label", "action", "revision_id", "page_id", "data"]
        template = PageLogEntry(content_type=self.content_type, timestamp=now, content_changed=True)
        rows = RowTemplate(PageLogEntry, template, varying)
        insert_values(
            PageLogEntry,
            rows.fields,
            [
                rows.row(
                    {
                        "label": page.get_admin_display_title(),
                        "action": action,
                        "revision_id": revision.pk if action == "wagtail.publish" else None,
                        "page_id": page.pk,
                        "data": {},
                    }
                )
                for page, revision in zip(pages, revisions, strict=True)
                for action in actions
            ],
        )

    def _insert_references(self, pages: list[Any]) -> None:
        # New pages have no references yet, so this is create_or_update_for_object
        # without its per-page lookups of existing rows.
        rows: list[ReferenceIndex] = []
        for page in pages:
            references = set(ReferenceIndex._extract_references_from_object(page))
            rows.extend(
                ReferenceIndex(
                    content_type=self.content_type,
                    base_content_type=self.base_content_type,
                    object_id=page.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
                for to_content_type_id, to_object_id, model_path, content_path in references
            )
        insert_rows(ReferenceIndex, rows, ignore_conflicts=True)


#: Pages per listing-index write when the documents are built from memory.
INDEX_CHUNK = 1000


def index_pages(
    page_ids: Iterable[int],
    organisation_ids: Iterable[int],
    wagtail_backends: Iterable[Any],
    pages: Iterable[ServicePage] = (),
    *,
    notify: bool = True,
) -> None:
    """What ``page_published`` receivers and Wagtail's post_save indexing do, in bulk.

    ``pages``: the created pages as still held in memory (with their inline parts and
    terms). Their listing documents are then built from them, a batch at a time, and
    written with the backend's bulk ``index_documents``, rather than every page
    being read back from the database by the ``update_listing_index`` task.
    ``notify=False`` leaves telling the recommender to the caller (once per import).
    """
    from recommender.signals import listing_changed
    from search import tasks as search_tasks

    ids = sorted(set(page_ids))
    held = {page.pk: page for page in pages if page.pk is not None}
    # The pages still in memory are as written (title, summary, description are what
    # Wagtail's index reads); only the others are read back.
    read = {
        page.pk: page
        for page in ServicePage.objects.filter(pk__in=[i for i in ids if i not in held])
    }
    loaded = [held[pk] if pk in held else read[pk] for pk in ids if pk in held or pk in read]
    orgs = list(OrganisationPage.objects.filter(pk__in=set(organisation_ids)))
    for backend in wagtail_backends:
        backend.add_bulk(ServicePage, loaded)
        if orgs:
            backend.add_bulk(OrganisationPage, orgs)
    live = [page.pk for page in loaded if page.live]
    if not live:
        return
    wanted = set(live)
    in_memory = {pk: page for pk, page in held.items() if pk in wanted}
    rest = [pk for pk in live if pk not in in_memory]
    if in_memory:
        rest.extend(_write_listing_documents(list(in_memory.values())))
    if rest:
        transaction.on_commit(
            lambda: search_tasks.enqueue(search_tasks.update_listing_index, rest), robust=True
        )
    if notify:
        listing_changed(sender=ServicePage)


def _write_listing_documents(pages: list[ServicePage]) -> list[int]:
    """Index these in-memory pages directly; returns the ids left for the task."""
    from search.backends import get_search_backend
    from search.documents import documents_for_pages

    backend = get_search_backend()
    write = getattr(backend, "index_documents", None)
    if write is None:
        return [page.pk for page in pages]
    left: list[int] = []
    terms = None
    for start in range(0, len(pages), INDEX_CHUNK):
        chunk = pages[start : start + INDEX_CHUNK]
        try:
            if terms is None:
                from directory.models import TaxonomyTerm

                terms = {term.pk: term for term in TaxonomyTerm.objects.all()}
            documents = documents_for_pages(chunk, terms)
            with transaction.atomic():
                write(list(documents.values()))
        except Exception:
            # The pages are committed; leave their indexing to the task (which logs
            # and carries on if search is unreachable), as a normal publish would.
            logger.exception("Indexing %d imported listing(s) failed; queued instead.", len(chunk))
            left.extend(page.pk for page in chunk)
    return left


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
