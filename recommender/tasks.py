"""Celery task that rebuilds the recommender when listings change, debounced.

Publishing pages in bulk (an import) fires one signal per page. Each marks the
artefacts stale; only the first in a ``DEBOUNCE_SECONDS`` window queues the task,
which runs after the window and picks up every change made during it. In eager
mode (no broker) nothing is queued: the next results page rebuilds inline.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from recommender import artefacts, reranker

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 60
QUEUED_KEY = "recommender:rebuild-queued"


@shared_task(ignore_result=True)
def rebuild_recommender() -> int:
    """Rebuild the artefacts (and the re-ranker, if there is enough feedback)."""
    # Cleared first, so a change during the build queues the next rebuild.
    cache.delete(QUEUED_KEY)
    built = artefacts.rebuild()
    reranker.train_from_feedback()
    return len(built)


def request_rebuild() -> None:
    """Mark the artefacts stale and queue one rebuild; never raises (the broker may be down)."""
    try:
        artefacts.mark_stale()
    except OSError:
        logger.exception("Could not mark the recommender stale")
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return  # rebuilt on the next request instead: inline builds per publish are too slow
    if not cache.add(QUEUED_KEY, 1, timeout=DEBOUNCE_SECONDS * 2):
        return
    try:
        rebuild_recommender.apply_async(countdown=DEBOUNCE_SECONDS)
    except Exception:
        # Publishing must not fail because the queue is unavailable; the stale
        # marker stays, so the next successful queueing or a manual build catches up.
        cache.delete(QUEUED_KEY)
        logger.warning("Could not queue the recommender rebuild; the broker may be down")
