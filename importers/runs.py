"""Run an ``ImportRun``: pick the importer, record progress, checkpoint and report.

The management commands, the Celery task and the admin page all go through
``execute_run`` so a run looks the same however it was started.

Resuming: after every written batch the run's ``checkpoint`` records the last item
done (and, for paged feeds, its page). ``execute_run(run_id, resume=True)`` (or
``--resume RUN_ID`` on the commands) runs the same import again from there: items
up to the checkpoint are not read again, and a paged feed restarts at that page.
Anything re-read is harmless anyway, because imports are idempotent upserts.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.db.models import F
from django.utils import timezone

from importers.models import ImportKind, ImportRun, ImportStatus
from importers.pipeline import Item
from importers.report import ImportReport
from importers.writing.upsert import ImportSetupError

PROGRESS_EVERY_SECONDS = 1.0


def execute_run(run_id: int, *, resume: bool = False) -> ImportReport | None:
    """Run the import a row describes; never raises for a bad input (it is reported)."""
    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), finished_at=None
    )
    checkpoint = dict(run.checkpoint) if resume else {}
    last_saved = [0.0]

    def progress(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last_saved[0] >= PROGRESS_EVERY_SECONDS or done == total:
            last_saved[0] = now
            ImportRun.objects.filter(pk=run.pk).update(processed=done, total=total)

    def save_checkpoint(item: Item) -> None:
        state = {"done": item.number, "page": item.page, "page_first": item.page_first}
        ImportRun.objects.filter(pk=run.pk).update(checkpoint=state)

    try:
        report = _dispatch(run, checkpoint, progress, save_checkpoint)
    except ImportSetupError as error:
        _finish(run, ImportStatus.FAILED, f"Nothing was imported: {error}")
        return None
    except Exception as error:  # the page must show something, whatever happened
        _finish(run, ImportStatus.FAILED, f"The import failed unexpectedly: {error!r}")
        raise
    status = ImportStatus.STOPPED if report.error else ImportStatus.DONE
    ImportRun.objects.filter(pk=run.pk).update(
        created=F("created") + report.created if resume else report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        skipped=report.skipped,
        duplicates=len(report.duplicates),
        processed=report.total + report.resumed_past,
    )
    _finish(run, status, report.summary())
    return report


def _finish(run: ImportRun, status: str, text: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, report=text, finished_at=timezone.now()
    )


def _dispatch(run: ImportRun, checkpoint: dict[str, Any], progress: Any, save: Any) -> ImportReport:
    common: dict[str, Any] = {
        "publish": run.publish,
        "dry_run": run.dry_run,
        "progress": progress,
        "checkpoint": save,
    }
    location: str | Path = run.url or Path(run.file_path)
    if run.kind == ImportKind.ORUK:
        from importers.sources.oruk import import_oruk

        return import_oruk(location, source=run.source or None, resume=checkpoint, **common)
    if not run.file_path:
        raise ImportSetupError("CSV imports need a file, not an address.")
    path = Path(run.file_path)
    if not path.is_file():
        raise ImportSetupError(f"The file {run.file_name or path.name} is no longer there.")
    resume_after = checkpoint.get("done", 0)
    if run.kind == ImportKind.CSV:
        from importers.sources.csv_listings import SOURCE, import_csv_listings

        return import_csv_listings(
            path, source=run.source or SOURCE, resume_after=resume_after, **common
        )
    from importers.sources.warm_spaces import import_warm_spaces

    return import_warm_spaces(path, resume_after=resume_after, **common)
