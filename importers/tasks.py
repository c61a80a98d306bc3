"""Celery entry points for imports (run eagerly in development).

``start_run`` is how the admin starts or resumes a run: if the broker cannot take
the task, the run is marked failed with a message saying so (nothing was imported),
rather than the page failing and the run waiting as "pending" for ever. An import
is too long to run inside a web request instead.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_DOWN = (
    "Nothing was imported: the task queue could not be reached, so the import could not "
    "start. Try again in a few minutes; if it keeps happening, ask for the Celery broker "
    "(Redis) to be checked."
)


@shared_task(name="importers.run_import")
def run_import_task(run_id: int, resume: bool = False) -> dict[str, Any] | None:
    """Run the import an ``ImportRun`` row describes (ORUK feed, CSV template, warm
    spaces); progress, checkpoint and report are written to that row."""
    from importers.runs import execute_run

    report = execute_run(run_id, resume=resume)
    return report.as_dict() if report is not None else None


@shared_task(name="importers.stop_abandoned_runs", ignore_result=True)
def stop_abandoned_runs_task() -> int:
    """Beat's check for runs whose process died (see ``runs.stop_abandoned_runs``)."""
    from importers.runs import stop_abandoned_runs

    return stop_abandoned_runs()


def start_run(run_id: int, *, resume: bool = False) -> None:
    """Queue the run; if the broker is down, mark it failed with a clear message."""
    from django.utils import timezone

    from importers.models import ImportRun, ImportStatus

    try:
        run_import_task.delay(run_id, resume)
    except (OperationalError, OSError) as error:
        logger.warning("Could not queue import run %d (%s).", run_id, type(error).__name__)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportStatus.FAILED, report=BROKER_DOWN, finished_at=timezone.now()
        )
