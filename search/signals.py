"""Index sync: the listing index follows directory's ``listings_changed`` event.

A change a person makes is only *scheduled* here, with ``transaction.on_commit``
(never inside ``save()``), so the task sees committed rows and a rolled-back publish
indexes nothing. Its listings are first noted in the outbox, inside the publishing
transaction, so the update survives a broker outage or a lost task (``outbox``).
A bulk import asks for its pages to be indexed in process, from memory; whatever
cannot be done that way is scheduled like any other change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from directory.events import Change, listings_changed

from . import outbox, tasks


def _schedule(task: Any, page_ids: list[int]) -> None:
    if page_ids:
        outbox.record(page_ids)
        transaction.on_commit(lambda: tasks.enqueue(task, page_ids), robust=True)


@receiver(listings_changed, dispatch_uid="search-listings-changed")
def listings_changed_handler(
    sender: Any,
    page_ids: list[int],
    change: Change,
    in_process: bool = False,
    pages: Sequence[Any] = (),
    **kwargs: Any,
) -> None:
    if change == Change.REMOVED:
        _schedule(tasks.remove_from_listing_index, page_ids)
        return
    if in_process and pages:
        held = {page.pk for page in pages}
        left = tasks.index_in_process(pages)
        left.extend(pk for pk in page_ids if pk not in held)
        page_ids = sorted(left)
    _schedule(tasks.update_listing_index, page_ids)
