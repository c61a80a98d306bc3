"""Import the Open Innovations warm spaces listings as organisation and service pages.

One ``OrganisationPage`` per source directory (``source_title``), one
``ServicePage`` per row. Re-importing is an upsert keyed on (source, external_id);
a row whose hash has not changed is not touched at all, so a second run is quick.
Rows are written in batches through the shared pipeline (``pipeline.py``, ``writing/upsert.py``,
``writing/bulk.py``): a batch that fails is retried row by row, each in its own transaction,
so one bad row never stops the rest and nothing is left half-written.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from directory.categorise import Categoriser
from directory.models import TaxonomyTerm
from geography.gazetteer import Gazetteer
from importers.parsing.locations import open_gazetteer
from importers.pipeline import Item, Mapper, Options, run_pipeline
from importers.records import OrganisationRecord, ServiceRecord
from importers.report import ImportReport
from importers.sources.warm_spaces.rows import SOURCE, prepare_row
from importers.writing.upsert import ImportSetupError

ProgressCallback = Callable[[int, int], None]
ATTRIBUTION = "Open Innovations warm spaces aggregation"

__all__ = ["ATTRIBUTION", "ImportSetupError", "WarmSpacesMapper", "import_warm_spaces"]


def import_warm_spaces(
    path: Path,
    *,
    publish: bool = True,
    dry_run: bool = False,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
    bulk: bool = True,
    resume_after: int = 0,
    checkpoint: Callable[[Item], None] | None = None,
    restore_unpublished: bool = False,
) -> ImportReport:
    """Import (or with ``dry_run`` only check) a warm spaces CSV; return what happened.

    ``publish=False`` leaves new pages unpublished (``live=False``) and stores
    changes to existing pages as draft revisions. ``progress(done, total)`` is
    called after each row. ``bulk=False`` creates pages one at a time through
    Wagtail's add_child/save_revision/publish (the slow reference path).
    """
    report = ImportReport(source=Path(path).name, dry_run=dry_run)
    rows = _read_rows(Path(path), limit)
    mapper = WarmSpacesMapper(open_gazetteer(report.warnings))
    options = Options(
        publish=publish,
        dry_run=dry_run,
        bulk=bulk,
        resume_after=resume_after,
        restore_unpublished=restore_unpublished,
    )

    def row_progress(done: int, total: int | None) -> None:
        if progress is not None:
            progress(done, total or len(rows))

    items = (Item(number, row) for number, row in rows)
    return run_pipeline(
        mapper,
        items,
        report,
        options,
        total=len(rows),
        progress=row_progress,
        checkpoint=checkpoint,
    )


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


class WarmSpacesMapper(Mapper):
    """One warm spaces CSV row → one ServiceRecord under its source directory."""

    source = SOURCE

    def __init__(self, gazetteer: Gazetteer | None) -> None:
        self.gazetteer = gazetteer
        self.categoriser = Categoriser.from_db()
        self.term_ids = dict(TaxonomyTerm.objects.values_list("code", "pk"))

    def external_id(self, raw: Any) -> str:
        return (raw.get("id") or "").strip()

    def title(self, raw: Any) -> str:
        return " ".join((raw.get("title") or "").split())[:80]

    def prepare(self, number: int, raw: Any) -> ServiceRecord:
        listing = prepare_row(raw, number, self.gazetteer, self.categoriser)
        organisation = OrganisationRecord(
            external_id=listing.source_id,
            title=listing.source_title,
            fields={
                "description": (
                    f"Listings from the {listing.source_title} directory, collected by "
                    f"the {ATTRIBUTION}."
                ),
                "website": listing.source_url,
                "source_url": listing.source_url,
            },
        )
        return ServiceRecord(
            row_number=number,
            external_id=listing.external_id,
            organisation=organisation,
            page=listing.page,
            parts={
                "locations": [listing.location],
                "schedules": listing.schedules,
                "contacts": listing.contacts,
                "cost_options": listing.cost_options,
            },
            term_ids=[self.term_ids[c] for c in listing.term_codes if c in self.term_ids],
            row_hash=listing.row_hash,
            warnings=listing.warnings,
        )
