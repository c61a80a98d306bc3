"""Load a web process's read-only caches once, in gunicorn's master, before it forks.

Every worker otherwise builds its own postcode gazetteer, search snapshot, spelling
lexicon and recommender artefacts on its first requests: seconds of CPU each at 100k
listings, all workers at once after a start, and again whenever ``max_requests``
recycles one. Forked from a warm master, a worker starts with them in memory pages it
shares with the others until it writes to them.

Nothing here is trusted for longer than before: the snapshot and lexicon are keyed on
the index generation, which every search checks, and the artefacts on their file's
modification time, so a publish after the fork is seen as soon as it is indexed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


def warm_process() -> None:
    """Load the caches, then drop database and cache connections (a forked worker
    must open its own). A part that cannot load is logged and left to load lazily;
    the server starts either way."""
    from django.core.cache import caches
    from django.db import connections

    started = time.perf_counter()
    try:
        for name, load in _loaders():
            try:
                load()
            except Exception:  # a missing gazetteer or index only slows the first request
                logger.warning("Warm-up: %s not loaded; workers load it on first use", name)
    finally:
        connections.close_all()
        for cache in caches.all(initialized_only=True):
            cache.close()
    logger.info("Warm-up done in %.1f s", time.perf_counter() - started)


def _loaders() -> list[tuple[str, Callable[[], object]]]:
    from geography.gazetteer import get_gazetteer
    from recommender.artefacts import load_artefacts
    from search.backends import get_search_backend

    return [
        ("the postcode gazetteer", get_gazetteer),
        ("the search index", lambda: get_search_backend().warm()),
        # Only what is saved: a rebuild is the worker's and beat's job, not the master's.
        ("the recommender artefacts", load_artefacts),
    ]
