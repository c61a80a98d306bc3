"""Which listings each index write changed, so that search snapshots can be updated
by a small delta instead of being rebuilt (``search.backends.database.snapshot``).

``index_writer`` adds one row per listing it inserted, replaced or deleted, in the
same transaction as the rows and the new ``IndexState.generation``. ``seq`` only
grows, so a snapshot built when the log ended at ``seq = S`` knows exactly which
listings have changed since: those of the rows after S. A row with
``page_id = EVERYTHING`` means "too much changed to list" (the index was cleared or
bulk-loaded): a snapshot older than it must be rebuilt in full. Compaction deletes
rows a new base snapshot has absorbed, leaving such a row in their place, so an
older snapshot elsewhere can tell that its changes are gone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

#: ``page_id`` of a row that stands for every listing.
EVERYTHING = 0
#: A write changing more listings than this logs EVERYTHING instead of each id.
MAX_LOGGED = 2000


class IndexChange(models.Model):
    seq = models.BigAutoField(primary_key=True)
    page_id = models.BigIntegerField()
    #: The ``IndexState.generation`` the write set: a snapshot built at ``seq`` and
    #: labelled with another generation belongs to another history (a rolled-back
    #: write's), and must not be brought up to date by a delta.
    generation = models.BigIntegerField()

    class Meta:
        app_label = "search"

    def __str__(self) -> str:
        return f"change {self.seq}: listing {self.page_id}"


def record(page_ids: Iterable[int], generation: int, everything: bool = False) -> None:
    """Log a write that set ``generation`` (inside its transaction)."""
    ids = sorted(set(page_ids))
    if everything or len(ids) > MAX_LOGGED:
        ids = [EVERYTHING]
    IndexChange.objects.bulk_create(IndexChange(page_id=pk, generation=generation) for pk in ids)


def generation_at(seq: int) -> int | None:
    """The generation the write logged at ``seq`` set (None: no such row)."""
    return IndexChange.objects.filter(seq=seq).values_list("generation", flat=True).first()


def last_seq() -> int:
    """The newest row's ``seq`` (0 for an empty log)."""
    row = IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(row or 0)


def changed_since(seq: int, upto: int) -> set[int] | None:
    """The listings changed by the rows in (``seq``, ``upto``], or None when one of
    them is EVERYTHING."""
    ids = set(
        IndexChange.objects.filter(seq__gt=seq, seq__lte=upto).values_list("page_id", flat=True)
    )
    return None if EVERYTHING in ids else ids


def prune_through(seq: int) -> None:
    """Forget the rows up to ``seq`` (absorbed by a base snapshot), leaving the last
    of them as an EVERYTHING marker for any snapshot older than it."""
    last = IndexChange.objects.filter(seq__lte=seq).order_by("-seq").first()
    if last is None:
        return
    IndexChange.objects.filter(seq__lte=last.seq).delete()
    IndexChange.objects.create(seq=last.seq, page_id=EVERYTHING, generation=last.generation)
