"""Write ServiceRecords as organisation and service pages: the upsert every importer shares.

Keyed on (source, external_id). A record whose hash has not changed is not touched.
New services go through the bulk path (``bulk.py``: one transaction per batch, the
same rows Wagtail would write); if a batch fails, each of its records is retried on
its own through Wagtail's normal ``add_child`` / ``save_revision`` / ``publish`` path,
each in its own transaction, so one bad record never stops or half-writes the rest.
Changed services are updated through the normal path (new revision, published or
left as a draft).

Pages created in bulk are announced once per batch (Wagtail's search index, and
directory's ``listings_changed`` event with the pages just written); pages written
the normal way announce themselves through Wagtail's publishing signals. The
reference index of normal-path pages is updated once in ``finish()``.

If ``wagtail_private`` does not support the installed Wagtail, every new page goes
through the normal path instead of the bulk one.

A page a person unpublished is never published again unless the run asks for it
(``council_decisions``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import ReferenceIndex, Site
from wagtail.search.backends import get_search_backends

from directory.models import (
    CostOption,
    OrganisationPage,
    ServiceAreaCoverage,
    ServiceContact,
    ServiceLanguage,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
    TaxonomyTerm,
)
from directory.permissions import ensure_organisation_editors
from directory.taxonomy_seed import TAXONOMY_SLUG
from importers.records import PART_RELATIONS, ServiceRecord
from importers.report import ImportReport
from importers.writing import wagtail_private
from importers.writing.council_decisions import CouncilDecisions, person_chosen_terms

logger = logging.getLogger(__name__)

PART_MODELS: dict[str, type[Any]] = {
    "locations": ServiceLocation,
    "schedules": ServiceSchedule,
    "contacts": ServiceContact,
    "cost_options": CostOption,
    "languages": ServiceLanguage,
    "service_areas": ServiceAreaCoverage,
}


class ImportSetupError(RuntimeError):
    """The import cannot start at all (no home page, unreadable or unusable input)."""


def home_page() -> Any:
    """The default site's root page, which organisations go under.

    Asked of Wagtail's Site rather than the project's home page model, so importers
    do not depend on the project shell.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ImportSetupError("There is no home page to put organisations under; run migrate.")
    return site.root_page.specific


class PageWriter:
    """Upserts ServiceRecords for one ``source``; call ``write`` per batch, then ``finish``."""

    def __init__(
        self,
        source: str,
        report: ImportReport,
        *,
        publish: bool = True,
        dry_run: bool = False,
        bulk: bool = True,
        restore_unpublished: bool = False,
    ) -> None:
        self.source = source
        self.report = report
        self.publish = publish
        self.dry_run = dry_run
        # The bulk writer only runs on the Wagtail versions it was verified with.
        self.bulk = bulk and wagtail_private.BULK_WRITER_SUPPORTED
        self.home = home_page()
        self.terms = {t.pk: t for t in TaxonomyTerm.objects.select_related("taxonomy")}
        self.our_terms = {
            pk for pk, term in self.terms.items() if term.taxonomy.slug == TAXONOMY_SLUG
        }
        # Preloaded once so unchanged records cost no queries at all.
        self.existing: dict[str, tuple[int, str]] = {
            ext: (pk, digest)
            for pk, ext, digest in ServicePage.objects.filter(source=source).values_list(
                "pk", "external_id", "source_hash"
            )
        }
        self.orgs: dict[str, OrganisationPage] = {
            org.external_id: org for org in OrganisationPage.objects.filter(source=source)
        }
        self.decisions = CouncilDecisions(
            source, report, publish=publish and not dry_run, restore=restore_unpublished
        )
        self.planned_orgs: set[str] = set()
        self.slugs: dict[int, set[str]] = {}
        self.touched: list[int] = []
        self.bulk_created: list[int] = []
        self.bulk_orgs: list[int] = []
        self._creator: Any = None

    # --- public ---------------------------------------------------------------

    def write(self, records: list[ServiceRecord]) -> None:
        """Apply one batch. Never raises for a bad record: it is reported as skipped."""
        new: list[ServiceRecord] = []
        for record in records:
            existing = self.existing.get(record.external_id)
            if (
                existing is not None
                and existing[1] == record.row_hash
                and not self.restoring(existing[0], record)
            ):
                self.report.unchanged += 1
            elif self.dry_run:
                self._count_dry_run(record, existing is not None)
            elif existing is not None:
                self._one(record, lambda r, pk=existing[0]: self._update(pk, r), "updated")
            else:
                new.append(record)
        if not new:
            return
        if self.bulk:
            self._bulk_create(new)
        else:
            for record in new:
                self._one(record, self._create, "created")

    def finish(self) -> None:
        """Bring the indexes up to date for everything this import wrote."""
        if self.dry_run or not self.touched:
            return
        from importers.writing.bulk import index_pages

        normal = sorted(set(self.touched) - set(self.bulk_created))
        # Pages written the normal way had their references indexing switched off
        # (disable_reference_index_auto_update); the bulk path wrote its own rows.
        with transaction.atomic():
            for page in ServicePage.objects.filter(pk__in=normal):
                ReferenceIndex.create_or_update_for_object(page)
        if self.bulk_orgs:
            index_pages([], self.bulk_orgs, get_search_backends(with_auto_update=True))

    # --- organisations -----------------------------------------------------------

    def organisation(self, record: ServiceRecord) -> OrganisationPage:
        """The record's organisation page, created (and published if asked) when new."""
        key = record.organisation.external_id
        org = self.orgs.get(key)
        if org is not None and (org.live or not self.publish) and org.editors_group_id:
            return org
        if org is None:
            org = OrganisationPage.objects.filter(source=self.source, external_id=key).first()
        if org is None:
            try:
                org = self._create_organisation(record)
            finally:
                # add_child changes the home page's tree fields; never reuse stale ones.
                self.home.refresh_from_db()
            self.report.organisations_created += 1
        elif (
            self.publish and not org.live and self.decisions.may_publish(org.pk, org.title, record)
        ):
            # Imported unpublished before; publishing its services now needs it live.
            org.save_revision().publish(log_action=True)
        elif org.editors_group_id is None:
            ensure_organisation_editors(org)
        # Publishing saves a copy made from the revision, so re-read the live row.
        org = OrganisationPage.objects.get(pk=org.pk)
        self.orgs[key] = org
        return org

    @transaction.atomic
    def _create_organisation(self, record: ServiceRecord) -> OrganisationPage:
        spec = record.organisation
        fields = dict(spec.fields)
        oruk_id = fields.pop("oruk_id", None)
        org = OrganisationPage(
            title=spec.title,
            slug=self.unique_slug(self.home, spec.title, spec.external_id),
            source=self.source,
            external_id=spec.external_id,
            live=False,
            **fields,
        )
        if oruk_id and not OrganisationPage.objects.filter(oruk_id=oruk_id).exists():
            org.oruk_id = oruk_id
        self.home.add_child(instance=org)
        revision = org.save_revision()
        if self.publish:
            revision.publish(log_action=True)
        ensure_organisation_editors(org)
        return org

    # --- services, the normal (one page at a time) path --------------------------

    def _one(self, record: ServiceRecord, action: Any, counter: str) -> None:
        try:
            with transaction.atomic():
                page = action(record)
        except Exception as error:  # one odd record must not stop the import
            self.skip(record, f"could not save: {error!r}")
            # The record's transaction rolled back; cached tree state may be stale.
            self.orgs.pop(record.organisation.external_id, None)
            self.slugs.clear()
            return
        setattr(self.report, counter, getattr(self.report, counter) + 1)
        self.existing[record.external_id] = (page.pk, record.row_hash)
        self.touched.append(page.pk)

    def _create(self, record: ServiceRecord) -> ServicePage:
        org = self.organisation(record)
        page = ServicePage(
            **self.page_fields(record),
            slug=self.unique_slug(org, record.title, record.external_id),
            live=False,
        )
        self.set_parts(page, record)
        org.add_child(instance=page)
        # add_child has just run full_clean on this very content.
        revision = page.save_revision(clean=False)
        if self.publish:
            revision.publish(log_action=True)
        return page

    def _update(self, pk: int, record: ServiceRecord) -> ServicePage:
        self.organisation(record)  # published first, if this run publishes
        page = ServicePage.objects.get(pk=pk)
        for name, value in self.page_fields(record).items():
            if name != "oruk_id":  # a page keeps its id for life
                setattr(page, name, value)
        self.set_parts(page, record, chosen=person_chosen_terms(page))
        revision = page.save_revision(log_action=True)
        if self.publish and self.decisions.may_publish(pk, page.title, record):
            revision.publish(log_action=True)
        else:
            # A draft revision does not touch the page row; record the hash anyway so
            # the next run knows this record was already applied (as a draft).
            ServicePage.objects.filter(pk=pk).update(source_hash=record.row_hash)
        return page

    def page_fields(self, record: ServiceRecord) -> dict[str, Any]:
        fields = dict(record.page)
        fields.update(
            source=self.source, external_id=record.external_id, source_hash=record.row_hash
        )
        if fields.get("oruk_id") is None:
            fields.pop("oruk_id", None)
        return fields

    def set_parts(
        self, page: ServicePage, record: ServiceRecord, chosen: list[int] | None = None
    ) -> None:
        """Write the record's inline parts and categories onto ``page`` (in memory).

        ``chosen`` are the categories a person saved on the page: they replace the
        record's categories of our taxonomy (the feed's own categories still apply)."""
        # set() on these in-memory (modelcluster) relations replaces the inline children,
        # as a re-import should; they are written when the page or revision is saved.
        for relation in PART_RELATIONS:
            model = PART_MODELS[relation]
            values = record.parts.get(relation, [])
            # An explicit order, as the admin's inline panels would save it.
            getattr(page, relation).set(
                [model(**value, sort_order=order) for order, value in enumerate(values)]
            )
        term_ids = record.term_ids
        if chosen:
            term_ids = [pk for pk in term_ids if pk not in self.our_terms]
            term_ids += [pk for pk in chosen if pk in self.our_terms and pk not in term_ids]
        missing = set(term_ids) - self.terms.keys()
        if missing:  # created by this import (an ORUK feed's own categories)
            self.terms.update({t.pk: t for t in TaxonomyTerm.objects.filter(pk__in=missing)})
        page.taxonomy_terms.set([self.terms[pk] for pk in term_ids if pk in self.terms])

    # --- services, the bulk path -----------------------------------------------------

    def _bulk_create(self, records: list[ServiceRecord]) -> None:
        from importers.writing.bulk import BulkPageCreator

        if self._creator is None:
            self._creator = BulkPageCreator(ServicePage, publish=self.publish)
        self._bulk_create_organisations(records)
        ready: list[tuple[ServiceRecord, OrganisationPage]] = []
        for record in records:
            try:
                ready.append((record, self.organisation(record)))
            except Exception as error:
                self.skip(record, f"could not create its organisation: {error!r}")
        if not ready:
            return
        slugs_before = {pk: set(taken) for pk, taken in self.slugs.items()}
        skipped_before = len(self.report.skipped_records)
        try:
            with transaction.atomic():
                pages = self._creator.create_services(self, ready)
        except Exception as error:
            # Nothing of the batch was kept; retry record by record so only the bad
            # one is lost, and the report says which and why (once).
            logger.warning("Bulk batch failed (%r); retrying one record at a time.", error)
            del self.report.skipped_records[skipped_before:]
            self.slugs = slugs_before
            for record, _org in ready:
                self._one(record, self._create, "created")
            return
        for (record, _org), page in zip(ready, pages, strict=True):
            if page is None:
                continue  # invalid: already reported by the creator
            self.report.created += 1
            self.existing[record.external_id] = (page.pk, record.row_hash)
            self.touched.append(page.pk)
            self.bulk_created.append(page.pk)
        # Announce the batch now, with the pages in memory, rather than holding
        # thousands of pages until finish(). The batch is committed (or inside the
        # caller's transaction, with which the index rows then commit or roll back).
        from importers.writing.bulk import index_pages

        created = [page for page in pages if page is not None]
        if created:
            index_pages(
                [page.pk for page in created],
                [],
                get_search_backends(with_auto_update=True),
                created,
            )

    def _bulk_create_organisations(self, records: list[ServiceRecord]) -> None:
        """Create the batch's new organisations in one go (published if asked).

        If that fails, nothing is kept and ``organisation()`` creates each the
        normal way instead.
        """
        from importers.writing.bulk import BulkPageCreator

        specs = {}
        for record in records:
            key = record.organisation.external_id
            if key not in self.orgs and key not in specs:
                specs[key] = record.organisation
        if not specs:
            return
        wanted = {spec.fields.get("oruk_id") for spec in specs.values()} - {None}
        taken = set(
            OrganisationPage.objects.filter(oruk_id__in=wanted).values_list("oruk_id", flat=True)
        )
        creator = BulkPageCreator(OrganisationPage, publish=self.publish)
        orgs = []
        slugs_before = set(self.slugs.get(self.home.pk, set()))
        for key, spec in specs.items():
            fields = dict(spec.fields)
            oruk_id = fields.pop("oruk_id", None)
            org = OrganisationPage(title=spec.title, source=self.source, external_id=key, **fields)
            if oruk_id and oruk_id not in taken:
                org.oruk_id = oruk_id
                taken.add(oruk_id)
            org.slug = self.unique_slug(self.home, spec.title, key)
            creator.empty_other_relations(org)
            orgs.append(org)
        try:
            with transaction.atomic():
                for org in orgs:
                    org.clean_fields(exclude=[*wagtail_private.TREE_FIELDS, "oruk_id"])
                creator.create([(org, self.home) for org in orgs])
                for org in orgs:
                    ensure_organisation_editors(org)
        except Exception as error:
            logger.warning("Bulk organisations failed (%r); creating them one by one.", error)
            self.slugs[self.home.pk] = slugs_before
            return
        finally:
            self.home.refresh_from_db()
        for org in orgs:
            self.orgs[org.external_id] = org
            self.bulk_orgs.append(org.pk)
        self.report.organisations_created += len(orgs)

    # --- helpers ------------------------------------------------------------------------

    def restoring(self, page_id: int, record: ServiceRecord) -> bool:
        """An unchanged record is written again to publish a withdrawn page, if asked."""
        org = self.orgs.get(record.organisation.external_id)
        return self.decisions.restoring(page_id, org.pk if org else None)

    def skip(self, record: ServiceRecord, reason: str) -> None:
        self.report.skip(record.row_number, record.external_id, record.title, reason)

    def _count_dry_run(self, record: ServiceRecord, exists: bool) -> None:
        key = record.organisation.external_id
        if key not in self.orgs and key not in self.planned_orgs:
            self.planned_orgs.add(key)
            self.report.organisations_created += 1
        if exists:
            self.report.updated += 1
        else:
            self.report.created += 1

    def unique_slug(self, parent: Any, title: str, external_id: str) -> str:
        taken = self.slugs.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self.slugs[parent.pk] = taken
        base = slugify(title)[:80].strip("-") or slugify(external_id)[:80] or "listing"
        slug = base
        if slug in taken:
            slug = f"{base}-{slugify(external_id)}"[:255].strip("-")
        counter = 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        return slug
