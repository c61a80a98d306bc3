"""Celery entry points for imports (run eagerly in development)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task

from .warm_spaces import import_warm_spaces


@shared_task(name="importers.import_warm_spaces")
def import_warm_spaces_task(path: str, publish: bool = True) -> dict[str, Any]:
    """Import a warm spaces CSV; the result is the report as a JSON-friendly dict."""
    # Paths arrive as strings because task arguments must be JSON-serialisable.
    return import_warm_spaces(Path(path), publish=publish).as_dict()
