"""The listing index's outbox: a durable note of every listing the index still owes.

A listing change writes a row here in the same transaction as the change itself, so
a committed publish always leaves either an up-to-date index or a row. The row is
cleared only after the index has been written, by whichever gets there first: the
task queued after commit, the in-process fallback when the broker is down, or the
beat-run ``search.drain_listing_outbox``. A broker outage, a lost message or a
worker killed mid-task therefore delays an index update but never loses it.

Rows carry only a page id: reindexing an id brings the index to the listing's
current state (a listing no longer public, or deleted, is dropped), so the order
and kind of the changes behind a row do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ListingOutbox(models.Model):
    page_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "search"
        verbose_name_plural = "listing outbox"

    def __str__(self) -> str:
        return f"listing {self.page_id} since {self.queued_at:%Y-%m-%d %H:%M:%S}"


def record(page_ids: Iterable[int]) -> None:
    """Note these listings as owed to the index (inside the caller's transaction)."""
    ListingOutbox.objects.bulk_create(ListingOutbox(page_id=pk) for pk in sorted(set(page_ids)))


@contextmanager
def settling(page_ids: Iterable[int]) -> Iterator[None]:
    """Clear these listings' rows once the block (an index write) has succeeded.

    Only rows already committed when the block starts are cleared: a change that
    commits while the block reads the listing keeps its row for the next drain.
    """
    ids = sorted(set(page_ids))
    taken = list(ListingOutbox.objects.filter(page_id__in=ids).values_list("pk", flat=True))
    yield
    ListingOutbox.objects.filter(pk__in=taken).delete()


def grace() -> timedelta:
    """How long a row is left to its queued task before the drain takes it over."""
    return timedelta(seconds=getattr(settings, "SEARCH_OUTBOX_GRACE_SECONDS", 30))


def drain(write: Callable[[list[int]], object], *, batch: int = 1000) -> int:
    """Bring the index up to date for every row older than ``grace()``; returns ids done.

    ``write(ids)`` reindexes the ids. A failing write leaves its rows for next time.
    """
    cutoff = timezone.now() - grace()
    done = 0
    while True:
        ids = sorted(
            set(
                ListingOutbox.objects.filter(queued_at__lte=cutoff)
                .order_by("pk")
                .values_list("page_id", flat=True)[:batch]
            )
        )
        if not ids:
            return done
        with settling(ids):
            write(ids)
        done += len(ids)


def pending() -> int:
    return ListingOutbox.objects.count()
