"""Create many pages at once, writing exactly the rows Wagtail's own path writes.

Wagtail creates a page with ``add_child`` + ``save_revision`` + ``publish``: about
a dozen queries and 35-50 ms a page. Here one batch costs a fixed number of bulk
statements (``directory.bulk_sql``: one prepared INSERT per table run with
``executemany``), so an import of thousands of listings runs at hundreds a second.

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
  when ``save_revision`` would have run (not yet live, no revision);
* ``wagtail.create`` and, when publishing, ``wagtail.publish`` log entries;
* reference index rows.

How each of those rows looks is Wagtail's private business: that knowledge lives in
``wagtail_private.py``, which also decides whether this path may run at all.

Wagtail's ``page_published`` signal is not sent per page: ``index_pages`` adds the
pages to Wagtail's own search index and sends directory's ``listings_changed`` once
for the batch (see ``directory/events.py`` for why).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from directory.bulk_sql import (
    RowTemplate,
    insert_children,
    insert_rows,
    insert_values,
    read_ids,
)
from directory.events import send_listings_changed
from directory.models import OrganisationPage, ServicePage
from importers.records import PART_RELATIONS, ServiceRecord
from importers.writing import wagtail_private

if TYPE_CHECKING:
    from importers.writing.upsert import PageWriter

logger = logging.getLogger(__name__)


class BulkPageCreator:
    """Creates pages of one model (ServicePage or OrganisationPage) in bulk."""

    def __init__(self, model: type[Page], *, publish: bool) -> None:
        self.model = model
        self.publish = publish
        self.content_type = ContentType.objects.get_for_model(model)
        self.base_content_type = ContentType.objects.get_for_model(Page)
        self.page_fields = [f for f in Page._meta.concrete_fields if f.attname != "id"]
        self.local_fields = list(model._meta.local_concrete_fields)
        self.relations = wagtail_private.child_relation_names(model)

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
            wagtail_private.place_children(parents[parent_pk], children, self.content_type)
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
            page.clean_fields(exclude=[*wagtail_private.TREE_FIELDS, "oruk_id"])
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

    def _insert_pages(self, pages: list[Any], now: Any) -> None:
        wagtail_private.set_publishing_state(pages, publish=self.publish, now=now)
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
        wagtail_private.link_revisions(pages, revisions, publish=self.publish)
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
                    (
                        page.latest_revision_id,
                        page.live_revision_id,
                        field.get_db_prep_value(page.latest_revision_created_at, connection),
                        page.pk,
                    )
                    for page in pages
                ],
            )

    def _insert_revisions(self, pages: list[Any], now: Any) -> list[Revision]:
        revisions = [
            wagtail_private.first_revision(page, self.content_type, self.base_content_type, now)
            for page in pages
        ]
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
        template, entries = wagtail_private.log_entries(
            pages, revisions, publish=self.publish, content_type=self.content_type, now=now
        )
        if not entries:
            return
        # The entries differ only in their own values; the rest is prepared once.
        rows = RowTemplate(PageLogEntry, template, list(entries[0]))
        insert_values(PageLogEntry, rows.fields, [rows.row(entry) for entry in entries])

    def _insert_references(self, pages: list[Any]) -> None:
        rows = wagtail_private.reference_rows(pages, self.content_type, self.base_content_type)
        insert_rows(ReferenceIndex, rows, ignore_conflicts=True)


def index_pages(
    page_ids: Iterable[int],
    organisation_ids: Iterable[int],
    wagtail_backends: Iterable[Any],
    pages: Iterable[ServicePage] = (),
) -> None:
    """What publishing does for the pages beyond their rows, once for a whole batch.

    Wagtail's own search index gets them (its post_save indexing never ran), and the
    live ones go out in one ``listings_changed``, in process: ``pages``, the created
    pages as still held in memory (with their inline parts and terms), travel with
    it, so the listing index is built from them rather than read back page by page.
    """
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
    live = [page for page in loaded if page.live]
    send_listings_changed(
        ServicePage,
        [page.pk for page in live],
        in_process=True,
        pages=[page for page in live if page.pk in held],
    )


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
