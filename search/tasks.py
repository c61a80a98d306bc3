"""Celery tasks that keep the listing index in step with publishing.

Signals never call these directly: they queue them with ``enqueue`` after the
publishing transaction commits. If the broker is down, ``enqueue`` logs it (task
name and id count only, never page content or the broker URL) and runs the task in
this process instead, so publishing never fails because search is unreachable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from kombu.exceptions import OperationalError

from search.backends import get_search_backend

logger = logging.getLogger(__name__)


@shared_task(name="search.update_listing_index")
def update_listing_index(page_ids: list[int]) -> int:
    """Reindex these pages (pages no longer public are removed)."""
    return get_search_backend().index_pages(page_ids)


@shared_task(name="search.remove_from_listing_index")
def remove_from_listing_index(page_ids: list[int]) -> None:
    get_search_backend().remove_pages(page_ids)


@shared_task(name="search.rebuild_listing_index")
def rebuild_listing_index() -> int:
    return get_search_backend().rebuild()


def enqueue(task: Any, page_ids: Iterable[int]) -> None:
    """``task.delay(ids)``, falling back to running it inline if the broker fails."""
    ids = sorted({int(pk) for pk in page_ids})
    if not ids:
        return
    try:
        task.delay(ids)
        return
    except (OperationalError, OSError) as error:
        logger.warning(
            "Could not queue %s for %d listing(s) (%s); running it in-process instead.",
            task.name,
            len(ids),
            type(error).__name__,
        )
    try:
        task.run(ids)
    except Exception:
        # Publishing has already committed; a stale index is fixed by the next publish
        # or `manage.py rebuild_search_index`, so log and carry on.
        logger.exception("Search index task %s failed for %d listing(s).", task.name, len(ids))
