"""Celery entry points for imports (run eagerly in development)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task

from importers.sources.warm_spaces import import_warm_spaces


@shared_task(name="importers.import_warm_spaces")
def import_warm_spaces_task(path: str, publish: bool = True) -> dict[str, Any]:
    """Import a warm spaces CSV; the result is the report as a JSON-friendly dict."""
    # Paths arrive as strings because task arguments must be JSON-serialisable.
    return import_warm_spaces(Path(path), publish=publish).as_dict()


@shared_task(name="importers.run_import")
def run_import_task(run_id: int, resume: bool = False) -> dict[str, Any] | None:
    """Run the import an ``ImportRun`` row describes (ORUK feed, CSV template, warm
    spaces); progress, checkpoint and report are written to that row."""
    from importers.runs import execute_run

    report = execute_run(run_id, resume=resume)
    return report.as_dict() if report is not None else None
