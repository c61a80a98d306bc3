"""Import the Open Innovations warm spaces listings as organisation and service pages.

One ``OrganisationPage`` per source directory (``source_title``), one
``ServicePage`` per row. Re-importing is an upsert keyed on (source, external_id);
a row whose hash has not changed is not touched at all, so a second run is quick.
Every row is written in its own transaction, so one bad row never stops the rest.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from directory.models import (
    CostOption,
    OrganisationPage,
    ServiceContact,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
    TaxonomyTerm,
)
from directory.permissions import ensure_organisation_editors
from search.gazetteer import Gazetteer, GazetteerUnavailable, get_gazetteer

from .categorise import Categoriser
from .report import ImportReport
from .warm_spaces_rows import SOURCE, Listing, SkipRow, prepare_row

ProgressCallback = Callable[[int, int], None]
ATTRIBUTION = "Open Innovations warm spaces aggregation"


class ImportSetupError(RuntimeError):
    """The import cannot start at all (no home page, unreadable file)."""


def import_warm_spaces(
    path: Path,
    *,
    publish: bool = True,
    dry_run: bool = False,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import (or with ``dry_run`` only check) a warm spaces CSV; return what happened.

    ``publish=False`` leaves new pages unpublished (``live=False``) and stores
    changes to existing pages as draft revisions. ``progress(done, total)`` is
    called after each row.
    """
    started = time.perf_counter()
    report = ImportReport(source=Path(path).name, dry_run=dry_run)
    rows = _read_rows(Path(path), limit)
    home = _home_page()
    gazetteer = _gazetteer(report)
    importer = _Importer(home, gazetteer, report, publish=publish, dry_run=dry_run)
    # Each page is saved three times (add_child, save_revision, publish); indexing its
    # references once at the end instead of per save cuts a fifth off a first import.
    # The switch is thread-local, so other requests keep updating the index as usual.
    with disable_reference_index_auto_update():
        for index, (row_number, row) in enumerate(rows, start=1):
            importer.import_row(row_number, row)
            if progress is not None:
                progress(index, len(rows))
    importer.update_reference_index()
    report.seconds = time.perf_counter() - started
    return report


def _read_rows(path: Path, limit: int | None) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows: list[tuple[int, dict[str, str]]] = []
            # Row numbers as a spreadsheet shows them: the header is row 1.
            for row_number, row in enumerate(reader, start=2):
                if limit is not None and len(rows) >= limit:
                    break
                rows.append((row_number, {k: v or "" for k, v in row.items() if k}))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportSetupError(f"Cannot read {path}: {error}") from error
    return rows


def _home_page() -> Any:
    from cms.home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise ImportSetupError("There is no home page to put organisations under; run migrate.")
    return home


def _gazetteer(report: ImportReport) -> Gazetteer | None:
    try:
        return get_gazetteer()
    except GazetteerUnavailable as error:
        # Rows with their own coordinates can still be imported; say so once.
        report.warnings.append(f"Postcodes not checked: {error}")
        return None


class _Importer:
    def __init__(
        self,
        home: Any,
        gazetteer: Gazetteer | None,
        report: ImportReport,
        *,
        publish: bool,
        dry_run: bool,
    ) -> None:
        self.home = home
        self.gazetteer = gazetteer
        self.report = report
        self.publish = publish
        self.dry_run = dry_run
        self.categoriser = Categoriser.from_db()
        self.terms = {term.code: term for term in TaxonomyTerm.objects.all()}
        # Preloaded once so unchanged rows cost no queries at all.
        self.existing: dict[str, tuple[int, str]] = {
            ext: (pk, digest)
            for pk, ext, digest in ServicePage.objects.filter(source=SOURCE).values_list(
                "pk", "external_id", "source_hash"
            )
        }
        self.orgs: dict[str, OrganisationPage] = {
            org.external_id: org for org in OrganisationPage.objects.filter(source=SOURCE)
        }
        self.planned_orgs: set[str] = set()
        self.slugs: dict[int, set[str]] = {}
        self.seen_ids: dict[str, int] = {}
        self.touched: list[int] = []

    def update_reference_index(self) -> None:
        for page in ServicePage.objects.filter(pk__in=self.touched):
            ReferenceIndex.create_or_update_for_object(page)

    def import_row(self, row_number: int, row: dict[str, str]) -> None:
        title = " ".join((row.get("title") or "").split())[:80]
        external_id = (row.get("id") or "").strip()
        try:
            if external_id in self.seen_ids:
                raise SkipRow(
                    f"duplicate id {external_id} (first on row {self.seen_ids[external_id]})"
                )
            if external_id:
                self.seen_ids[external_id] = row_number
            listing = prepare_row(row, row_number, self.gazetteer, self.categoriser)
        except SkipRow as reason:
            self.report.skip(row_number, external_id, title, str(reason))
            return
        except Exception as error:  # one odd row must not stop the import
            self.report.skip(row_number, external_id, title, f"could not read row: {error!r}")
            return
        for warning in listing.warnings:
            self.report.warn(row_number, listing.page["title"], warning)
        try:
            self._upsert(listing)
        except Exception as error:
            self.report.skip(row_number, external_id, title, f"could not save: {error!r}")
            # The row's transaction rolled back; cached tree state may be stale.
            self.orgs.pop(listing.source_id, None)
            self.slugs.clear()

    def _upsert(self, listing: Listing) -> None:
        existing = self.existing.get(listing.external_id)
        if existing is not None and existing[1] == listing.row_hash:
            self.report.unchanged += 1
            return
        if self.dry_run:
            if listing.source_id not in self.orgs and listing.source_id not in self.planned_orgs:
                self.planned_orgs.add(listing.source_id)
                self.report.organisations_created += 1
            if existing is None:
                self.report.created += 1
            else:
                self.report.updated += 1
            return
        org = self._organisation(listing)
        with transaction.atomic():
            if existing is None:
                page = self._create(org, listing)
                self.report.created += 1
            else:
                page = self._update(existing[0], listing)
                self.report.updated += 1
        self.existing[listing.external_id] = (page.pk, listing.row_hash)
        self.touched.append(page.pk)

    def _organisation(self, listing: Listing) -> OrganisationPage:
        org = self.orgs.get(listing.source_id)
        if org is not None and (org.live or not self.publish) and org.editors_group_id:
            return org
        if org is None:
            org = OrganisationPage.objects.filter(
                source=SOURCE, external_id=listing.source_id
            ).first()
        if org is None:
            try:
                org = self._create_organisation(listing)
            finally:
                # add_child changes the home page's tree fields; never reuse stale ones.
                self.home.refresh_from_db()
            self.report.organisations_created += 1
        elif self.publish and not org.live:
            # Imported unpublished before; publishing its services now needs it live.
            org.save_revision().publish(log_action=False)
        elif org.editors_group_id is None:
            ensure_organisation_editors(org)
        # Publishing saves a copy made from the revision, so re-read the live row.
        org = OrganisationPage.objects.get(pk=org.pk)
        self.orgs[listing.source_id] = org
        return org

    @transaction.atomic
    def _create_organisation(self, listing: Listing) -> OrganisationPage:
        org = OrganisationPage(
            title=listing.source_title,
            slug=self._unique_slug(self.home, listing.source_title, listing.source_id),
            description=(
                f"Listings from the {listing.source_title} directory, collected by "
                f"the {ATTRIBUTION}."
            ),
            website=listing.source_url,
            source=SOURCE,
            external_id=listing.source_id,
            source_url=listing.source_url,
            live=False,
        )
        self.home.add_child(instance=org)
        revision = org.save_revision()
        if self.publish:
            revision.publish(log_action=False)
        ensure_organisation_editors(org)
        return org

    def _create(self, org: OrganisationPage, listing: Listing) -> ServicePage:
        page = ServicePage(
            **listing.page,
            slug=self._unique_slug(org, listing.page["title"], listing.external_id),
            source_hash=listing.row_hash,
            live=False,
        )
        self._set_parts(page, listing)
        org.add_child(instance=page)
        # add_child has just run full_clean on this very content.
        revision = page.save_revision(clean=False)
        if self.publish:
            revision.publish(log_action=False)
        return page

    def _update(self, pk: int, listing: Listing) -> ServicePage:
        page = ServicePage.objects.get(pk=pk)
        for name, value in listing.page.items():
            setattr(page, name, value)
        page.source_hash = listing.row_hash
        self._set_parts(page, listing)
        revision = page.save_revision()
        if self.publish:
            revision.publish(log_action=False)
        else:
            # A draft revision does not touch the page row; record the hash anyway so
            # the next run knows this row was already applied (as a draft).
            ServicePage.objects.filter(pk=pk).update(source_hash=listing.row_hash)
        return page

    def _set_parts(self, page: ServicePage, listing: Listing) -> None:
        # set() on these in-memory (modelcluster) relations replaces the inline children,
        # as a re-import should; they are written when the page or revision is saved.
        page.locations.set([ServiceLocation(**listing.location)])
        page.schedules.set([ServiceSchedule(**schedule) for schedule in listing.schedules])
        page.contacts.set([ServiceContact(**contact) for contact in listing.contacts])
        page.cost_options.set([CostOption(**cost) for cost in listing.cost_options])
        page.taxonomy_terms.set([self.terms[c] for c in listing.term_codes if c in self.terms])

    def _unique_slug(self, parent: Any, title: str, external_id: str) -> str:
        taken = self.slugs.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self.slugs[parent.pk] = taken
        base = slugify(title)[:80].strip("-") or slugify(external_id) or "listing"
        slug = base
        if slug in taken:
            slug = f"{base}-{slugify(external_id)}"[:255]
        counter = 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        return slug
