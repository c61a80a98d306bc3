"""Celery tasks that keep the listing index in step with publishing.

Signals never call these directly: they note the listings in the outbox (in the
publishing transaction) and queue them with ``enqueue`` after it commits. If the
broker is down, ``enqueue`` logs it (task name and id count only, never page content
or the broker URL) and runs the task in this process instead, so publishing never
fails because search is unreachable. Each task clears the outbox rows it settles;
whatever is left (a lost message, a worker killed mid-task, search itself down) is
picked up by ``drain_listing_outbox``, which beat runs every minute.

``index_in_process`` is the bulk import's way in: documents built from the pages it
holds in memory, written now, a chunk at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from search import outbox
from search.backends import get_search_backend

logger = logging.getLogger(__name__)

#: Pages per listing-index write when the documents are built from memory.
INDEX_CHUNK = 1000


@shared_task(name="search.update_listing_index")
def update_listing_index(page_ids: list[int]) -> int:
    """Reindex these pages (pages no longer public are removed)."""
    with outbox.settling(page_ids):
        return get_search_backend().index_pages(page_ids)


@shared_task(name="search.remove_from_listing_index")
def remove_from_listing_index(page_ids: list[int]) -> None:
    with outbox.settling(page_ids):
        get_search_backend().remove_pages(page_ids)


@shared_task(name="search.drain_listing_outbox", ignore_result=True)
def drain_listing_outbox() -> int:
    """Reindex every listing the outbox still owes the index (run by beat)."""
    done = outbox.drain(get_search_backend().index_pages)
    if done:
        logger.info("Listing outbox: %d listing(s) reindexed.", done)
    return done


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
        # Publishing has already committed and the outbox still holds these ids, so
        # the next drain catches up: log and carry on.
        logger.exception("Search index task %s failed for %d listing(s).", task.name, len(ids))


def index_in_process(pages: Sequence[Any]) -> list[int]:
    """Index these in-memory live pages now; returns the ids left for the task.

    The pages are as just written (inline parts and terms held), so their documents
    are built from them rather than read back from the database page by page.
    """
    from directory.models import TaxonomyTerm
    from search.documents import documents_for_pages

    backend = get_search_backend()
    write = getattr(backend, "index_documents", None)
    if write is None:
        return [page.pk for page in pages]
    left: list[int] = []
    terms = None
    for start in range(0, len(pages), INDEX_CHUNK):
        chunk = list(pages[start : start + INDEX_CHUNK])
        try:
            if terms is None:
                terms = {term.pk: term for term in TaxonomyTerm.objects.all()}
            documents = documents_for_pages(chunk, terms)
            with transaction.atomic():
                write(list(documents.values()))
        except Exception:
            # The pages are written; leave their indexing to the task (which logs and
            # carries on if search is unreachable), as a normal publish would.
            logger.exception("Indexing %d imported listing(s) failed; queued instead.", len(chunk))
            left.extend(page.pk for page in chunk)
    return left


@shared_task(name="search.compact_search_snapshot", ignore_result=True)
def compact_search_snapshot() -> int:
    """Fold the database backend's snapshot delta into a new base shared on this
    machine (``search.backends.database.snapshot.compact``); other backends keep no
    snapshot. Returns the listings in the base (0 when there is none)."""
    from search.backends.database import DatabaseSearchBackend, snapshot

    if not isinstance(get_search_backend(), DatabaseSearchBackend):
        return 0
    return snapshot.compact()
