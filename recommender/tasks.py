"""Celery tasks that rebuild the recommender when listings change, debounced by beat.

Listings change in runs: pages published one by one, and an import sends one
``listings_changed`` per batch. Each event only marks the artefacts stale (a file
next to them, so the mark outlives a broker outage or a restart). Beat runs
``rebuild_recommender_if_stale`` every ``RECOMMENDER_REBUILD_CHECK_SECONDS``, which
rebuilds once for every change made since the last build.

Nothing is queued with a countdown: a worker holding a delayed task when Redis went
away exited (Celery and kombu 5.7), and every publish used to queue one. In eager
mode (no broker) the next results page rebuilds inline instead.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from recommender import artefacts, reranker

logger = logging.getLogger(__name__)

BUILDING_KEY = "recommender:rebuilding"
#: Longer than any build takes; only stops two workers building at once.
BUILDING_TIMEOUT_SECONDS = 30 * 60


@shared_task(ignore_result=True)
def rebuild_recommender() -> int:
    """Rebuild the artefacts (and the re-ranker, if there is enough feedback)."""
    built = artefacts.rebuild()
    reranker.train_from_feedback()
    return len(built)


@shared_task(name="recommender.rebuild_if_stale", ignore_result=True)
def rebuild_recommender_if_stale() -> int:
    """Rebuild if listings changed since the last build (or there is none); beat runs it."""
    current = artefacts.load_artefacts()
    if current is not None and not artefacts.is_stale(current):
        return 0
    if not cache.add(BUILDING_KEY, 1, timeout=BUILDING_TIMEOUT_SECONDS):
        return 0  # another worker is building; a change during its build stays stale
    try:
        return rebuild_recommender.run()
    finally:
        cache.delete(BUILDING_KEY)


def request_rebuild() -> None:
    """Mark the artefacts stale; never raises and never touches the broker."""
    try:
        artefacts.mark_stale()
    except OSError:
        logger.exception("Could not mark the recommender stale")
