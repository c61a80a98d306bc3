"""The loop every importer shares: read, check, map, spot duplicates, write in batches.

An importer supplies a ``Mapper`` (how to read an id and a title from a raw item,
and how to turn it into a ``ServiceRecord``) and an iterable of ``Item``s. This
module does the rest, the same way for every source:

* a missing or repeated id is reported, and the record skipped;
* a record that cannot be mapped (``SkipRecord`` or any error) is reported with the
  reason, and the rest carry on;
* likely duplicates across sources are reported (``duplicates.py``);
* records are written ``BATCH_SIZE`` at a time through ``PageWriter``;
* after each batch ``checkpoint(item)`` is called with the last item written, so a
  run that stops can be resumed: ``resume_after=N`` skips items numbered up to N
  without reading them again (see ``runs.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wagtail.signal_handlers import disable_reference_index_auto_update

from directory.bulk_sql import fewer_collections
from directory.models import TaxonomyTerm
from directory.taxonomy_seed import TAXONOMY_SLUG
from importers.coverage import DefaultArea, apply_default_area, is_reachable
from importers.records import ServiceRecord, SkipRecord, SourceError
from importers.report import ImportReport
from importers.writing.duplicates import DuplicateFinder
from importers.writing.upsert import PageWriter

BATCH_SIZE = 500
ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Item:
    """One raw record and where it came from (its number, and its feed page if paged)."""

    number: int
    raw: Any
    page: int = 1
    #: The number of the first item on ``page``: resuming a paged feed restarts there.
    page_first: int = 1


class Mapper:
    """Source-specific parts of an import. Subclasses override all three methods."""

    source: str = ""

    def external_id(self, raw: Any) -> str:
        raise NotImplementedError

    def title(self, raw: Any) -> str:
        raise NotImplementedError

    def prepare(self, number: int, raw: Any) -> ServiceRecord:
        """Map a raw item to a record, or raise SkipRecord with the reason."""
        raise NotImplementedError


@dataclass
class Options:
    publish: bool = True
    dry_run: bool = False
    bulk: bool = True
    limit: int | None = None
    resume_after: int = 0
    #: Publish again the listings a person unpublished (``PageWriter``).
    restore_unpublished: bool = False
    batch_size: int = BATCH_SIZE
    #: Service area for records with no located place and no area (``coverage``).
    default_area: DefaultArea | None = None


def run_pipeline(
    mapper: Mapper,
    items: Iterable[Item],
    report: ImportReport,
    options: Options,
    *,
    total: int | None = None,
    progress: ProgressCallback | None = None,
    checkpoint: Callable[[Item], None] | None = None,
) -> ImportReport:
    started = time.perf_counter()
    writer = PageWriter(
        mapper.source,
        report,
        publish=options.publish,
        dry_run=options.dry_run,
        bulk=options.bulk,
        restore_unpublished=options.restore_unpublished,
    )
    finder = DuplicateFinder.from_db()
    if options.default_area is not None:
        report.default_area = f"{options.default_area.name} ({options.default_area.gss_code})"
    our_terms = set(
        TaxonomyTerm.objects.filter(taxonomy__slug=TAXONOMY_SLUG).values_list("pk", flat=True)
    )
    seen: dict[str, int] = {}
    batch: list[ServiceRecord] = []
    last: Item | None = None
    done = 0

    def flush() -> None:
        writer.write(batch)
        batch.clear()
        if checkpoint is not None and last is not None and not options.dry_run:
            checkpoint(last)

    # Pages written the normal way each update the reference index three times; it is
    # done once per page in writer.finish() instead. The switch is thread-local.
    with fewer_collections(), disable_reference_index_auto_update():
        try:
            for item in items:
                if options.limit is not None and done >= options.limit:
                    break
                done += 1
                last = item
                if item.number <= options.resume_after:
                    report.resumed_past += 1
                    continue
                record = _prepare(mapper, item, seen, report)
                if record is not None:
                    _check_duplicates(finder, mapper.source, record, report)
                    if our_terms.isdisjoint(record.term_ids):
                        report.not_categorised(record.row_number, record.title)
                    _check_reachable(record, options.default_area, report)
                    batch.append(record)
                if len(batch) >= options.batch_size:
                    flush()
                if progress is not None:
                    progress(done, total)
        except SourceError as error:
            # Keep what was read before the source broke; the checkpoint lets a
            # resumed run carry on from there.
            report.error = str(error)
        flush()
    writer.finish()
    report.seconds = time.perf_counter() - started
    return report


def _prepare(
    mapper: Mapper, item: Item, seen: dict[str, int], report: ImportReport
) -> ServiceRecord | None:
    try:
        external_id = mapper.external_id(item.raw)
        title = mapper.title(item.raw)
    except Exception as error:
        report.skip(item.number, "", "", f"not a listing record: {error}")
        return None
    try:
        if not external_id:
            raise SkipRecord("no id")
        if external_id in seen:
            raise SkipRecord(
                f"duplicate id {external_id} (first on {report.unit} {seen[external_id]})"
            )
        seen[external_id] = item.number
        record = mapper.prepare(item.number, item.raw)
    except SkipRecord as reason:
        report.skip(item.number, external_id, title, str(reason))
        return None
    except Exception as error:  # one odd record must not stop the import
        report.skip(item.number, external_id, title, f"could not read it: {error!r}")
        return None
    for warning in record.warnings:
        report.warn(item.number, record.title, warning)
    return record


def _check_reachable(
    record: ServiceRecord, default_area: DefaultArea | None, report: ImportReport
) -> None:
    if is_reachable(record):
        return
    if default_area is not None:
        apply_default_area(record, default_area)
        report.defaulted += 1
    else:
        report.not_reachable(record.row_number, record.title)


def _check_duplicates(
    finder: DuplicateFinder, source: str, record: ServiceRecord, report: ImportReport
) -> None:
    org = record.organisation
    matches = finder.check(
        record.title,
        record.point,
        (source, org.external_id),
        (source, record.external_id),
        f"{record.title!r} ({org.title}, {report.unit} {record.row_number})",
    )
    if matches:
        report.duplicate(record.row_number, record.title, matches)
