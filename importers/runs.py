"""Run an ``ImportRun``: pick the importer, record progress, checkpoint and report.

The management commands, the Celery task and the admin page all go through
``execute_run`` so a run looks the same however it was started.

Resuming: after every written batch the run's ``checkpoint`` records the last item
done (and, for paged feeds, its page). ``execute_run(run_id, resume=True)`` (or
``--resume RUN_ID`` on the commands) runs the same import again from there: items
up to the checkpoint are not read again, and a paged feed restarts at that page.
Anything re-read is harmless anyway, because imports are idempotent upserts.

A run whose process died (killed, or a worker lost mid-task) would say "running"
for ever: its ``heartbeat_at`` moves with its progress, and ``stop_abandoned_runs``
(from the admin pages and from beat) marks one that has not moved for
``IMPORT_HEARTBEAT_TIMEOUT_MINUTES`` as stopped, which the admin offers to resume.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from importers.coverage import DefaultArea, DefaultAreaError
from importers.models import ImportKind, ImportRun, ImportStatus
from importers.pipeline import Item, ProgressCallback
from importers.report import ImportReport
from importers.writing.upsert import ImportSetupError

PROGRESS_EVERY_SECONDS = 1.0


def execute_run(
    run_id: int, *, resume: bool = False, on_progress: ProgressCallback | None = None
) -> ImportReport | None:
    """Run the import a row describes; never raises for a bad input (it is reported).

    ``on_progress(done, total)`` is told about every item, for a command to echo.
    """
    run = ImportRun.objects.get(pk=run_id)
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.RUNNING, started_at=now, finished_at=None, heartbeat_at=now
    )
    checkpoint = dict(run.checkpoint) if resume else {}
    last_saved = [0.0]

    def progress(done: int, total: int | None) -> None:
        if on_progress is not None:
            on_progress(done, total)
        now = time.monotonic()
        if now - last_saved[0] >= PROGRESS_EVERY_SECONDS or done == total:
            last_saved[0] = now
            ImportRun.objects.filter(pk=run.pk).update(
                processed=done, total=total, heartbeat_at=timezone.now()
            )

    def save_checkpoint(item: Item) -> None:
        state = {"done": item.number, "page": item.page, "page_first": item.page_first}
        ImportRun.objects.filter(pk=run.pk).update(checkpoint=state, heartbeat_at=timezone.now())

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
        uncategorised=report.uncategorised,
        unreachable=report.unreachable,
        processed=report.total + report.resumed_past,
    )
    _finish(run, status, report.summary())
    return report


def stop_abandoned_runs() -> int:
    """Mark running imports with no heartbeat for a while as stopped; returns how many."""
    timeout = timedelta(minutes=settings.IMPORT_HEARTBEAT_TIMEOUT_MINUTES)
    cutoff = timezone.now() - timeout
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    minutes = settings.IMPORT_HEARTBEAT_TIMEOUT_MINUTES
    return ImportRun.objects.filter(silent, status=ImportStatus.RUNNING).update(
        status=ImportStatus.STOPPED,
        finished_at=timezone.now(),
        report=(
            f"The import stopped: its process gave no sign of life for {minutes} minutes "
            "(it was probably restarted or killed). Resume it to carry on from its last "
            "checkpoint; nothing is written twice."
        ),
    )


def _finish(run: ImportRun, status: str, text: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, report=text, finished_at=timezone.now()
    )


def _default_area(run: ImportRun) -> DefaultArea | None:
    if not run.default_area_gss:
        return None
    try:
        return DefaultArea.lookup(run.default_area_gss)
    except DefaultAreaError as error:  # checked when the run was asked for; gone since?
        raise ImportSetupError(f"Default service area: {error}") from error


def _dispatch(run: ImportRun, checkpoint: dict[str, Any], progress: Any, save: Any) -> ImportReport:
    common: dict[str, Any] = {
        "publish": run.publish,
        "dry_run": run.dry_run,
        "limit": run.limit,
        "restore_unpublished": run.restore_unpublished,
        "progress": progress,
        "checkpoint": save,
    }
    location: str | Path = run.url or Path(run.file_path)
    if run.kind == ImportKind.ORUK:
        from importers.sources.oruk import import_oruk

        return import_oruk(
            location,
            source=run.source or None,
            resume=checkpoint,
            default_area=_default_area(run),
            **common,
        )
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
