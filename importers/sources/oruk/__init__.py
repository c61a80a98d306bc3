"""Import an Open Referral UK feed (v1 or 3.0) from a URL or a file.

    from importers.sources.oruk import import_oruk
    report = import_oruk("https://example.org/api/services", publish=False)
    report = import_oruk(Path("north_lincolnshire_v1.json"), dry_run=True)

Feeds are read a record at a time (``feed``), mapped (``mapping``, with the
inline parts in ``parts`` and shared areas and terms in ``reference``) and written
in batches (``importers.pipeline``): see those modules. ``source`` names the
feed for the upsert key; it defaults to ``oruk:<file stem or host>``, so importing
the same feed again updates what it created before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from importers.coverage import DefaultArea
from importers.parsing.locations import open_gazetteer
from importers.pipeline import Item, Options, ProgressCallback, run_pipeline
from importers.report import ImportReport
from importers.sources.oruk.feed import read_file, read_url
from importers.sources.oruk.mapping import OrukMapper, source_name
from importers.sources.oruk.reference import ReferenceData


def is_url(location: str | Path) -> bool:
    return isinstance(location, str) and urlsplit(location).scheme in ("http", "https")


def feed_label(location: str | Path) -> str:
    if is_url(location):
        parts = urlsplit(str(location))
        return parts.netloc + parts.path.rstrip("/")
    return Path(location).stem


def import_oruk(
    location: str | Path,
    *,
    source: str | None = None,
    publish: bool = True,
    dry_run: bool = False,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
    checkpoint: Callable[[Item], None] | None = None,
    resume: dict[str, int] | None = None,
    restore_unpublished: bool = False,
    default_area: DefaultArea | None = None,
) -> ImportReport:
    """Import (or with ``dry_run`` only check) a feed; return what happened.

    ``resume`` is a checkpoint from an earlier run of the same feed
    (``{"done": n, "page": p, "page_first": f}``): records up to ``done`` are not
    read again, and a paged URL feed restarts at page ``p``.
    A feed that cannot be read (or stops being readable) sets ``report.error``.
    ``default_area`` is given to services with no located place and no service area
    (see ``importers.coverage``); the report counts those still left unreachable.
    """
    label = feed_label(location)
    report = ImportReport(source=label, dry_run=dry_run, unit="record")
    gazetteer = open_gazetteer(report.warnings)
    mapper = OrukMapper(
        source or source_name(urlsplit(str(location)).netloc if is_url(location) else label),
        label,
        gazetteer,
        ReferenceData(dry_run=dry_run),
    )
    resume = resume or {}
    options = Options(
        publish=publish,
        dry_run=dry_run,
        limit=limit,
        resume_after=resume.get("done", 0),
        restore_unpublished=restore_unpublished,
        default_area=default_area,
    )
    if is_url(location):
        items = read_url(
            str(location),
            start_page=resume.get("page", 1),
            first_number=resume.get("page_first", 1),
            skip_until=resume.get("done", 0),
            warnings=report.warnings,
        )
    else:
        items = read_file(Path(location))
    return run_pipeline(mapper, items, report, options, progress=progress, checkpoint=checkpoint)
