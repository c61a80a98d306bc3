"""The domain event "listings changed", and the Wagtail signals directory turns into it.

``listings_changed`` is the one thing search and the recommender listen to when
listings change. Its arguments:

* ``page_ids``: the service pages affected, sorted, never empty;
* ``change``: ``Change.CHANGED`` (published, edited, moved, or its organisation
  was: reindex, which drops what is no longer public) or ``Change.REMOVED``
  (unpublished or deleted: drop);
* ``in_process``: ``False`` for a page a person publishes (receivers schedule their
  work with ``transaction.on_commit``, so a rolled-back publish changes nothing and
  the task sees committed rows); ``True`` for a bulk import, which wants the work
  done now, in its own process and transaction, from ``pages`` (what a receiver
  cannot do that way it still schedules after commit);
* ``pages``: the service pages as the sender holds them in memory (possibly empty),
  so a receiver need not read them back.

Pages a person publishes, unpublishes, moves or deletes go through Wagtail, whose
signals (``page_published``, ``page_unpublished``, ``post_page_move``, deletes) keep
firing as usual; ``connect()`` turns those into this event. An organisation's change
fans out to its services: they are only public under a live organisation. Adding,
changing or removing a view restriction (a password or group) is a change too: a
private listing is not public, and Wagtail sends no publish signal for it.

The bulk import path writes pages without Wagtail's ``publish()``, so Wagtail sends
no ``page_published`` for them. Sending it per page would cost a signal round and a
queued task per listing (thousands for one import); the importer sends
``listings_changed`` once per batch instead, ``in_process=True`` with the pages it
has just written, and search indexes them from memory in one bulk write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from directory.models import OrganisationPage, ServicePage


class Change(StrEnum):
    CHANGED = "changed"
    REMOVED = "removed"


listings_changed = Signal()


def send_listings_changed(
    sender: Any,
    page_ids: Iterable[int],
    change: Change = Change.CHANGED,
    *,
    in_process: bool = False,
    pages: Sequence[ServicePage] = (),
) -> None:
    """Tell every subscriber these listings changed; nothing is sent for no ids."""
    ids = sorted({int(pk) for pk in page_ids})
    if ids:
        listings_changed.send(
            sender=sender, page_ids=ids, change=change, in_process=in_process, pages=tuple(pages)
        )


def _service_ids_under(page: Any) -> list[int]:
    return list(ServicePage.objects.descendant_of(page).values_list("pk", flat=True))


def _affected(instance: Any) -> list[int]:
    if isinstance(instance, ServicePage):
        return [instance.pk]
    if isinstance(instance, OrganisationPage):
        return _service_ids_under(instance)
    return []


def _published_or_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    send_listings_changed(type(instance), _affected(instance))


def _unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    # An unpublished organisation's services stay live but are no longer public:
    # reindexing them drops them.
    change = Change.REMOVED if isinstance(instance, ServicePage) else Change.CHANGED
    send_listings_changed(type(instance), _affected(instance), change)


def _organisation_deleting(sender: Any, instance: OrganisationPage, **kwargs: Any) -> None:
    # Collected now: after the delete there is no tree to ask.
    send_listings_changed(sender, _service_ids_under(instance), Change.REMOVED)


def _service_deleted(sender: Any, instance: ServicePage, **kwargs: Any) -> None:
    if instance.pk is not None:
        send_listings_changed(sender, [instance.pk], Change.REMOVED)


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    # A restriction applies to the page and everything below it. On delete the row's
    # page may already be gone (a page delete cascades), in which case so are its ids.
    page_id = instance.page_id
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is not None:
        ids = ServicePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
        send_listings_changed(PageViewRestriction, ids)


def connect() -> None:
    """Turn Wagtail's page signals into ``listings_changed`` (from ``ready()``)."""
    page_published.connect(_published_or_moved, dispatch_uid="directory-listings-published")
    post_page_move.connect(_published_or_moved, dispatch_uid="directory-listings-moved")
    page_unpublished.connect(_unpublished, dispatch_uid="directory-listings-unpublished")
    pre_delete.connect(
        _organisation_deleting, sender=OrganisationPage, dispatch_uid="directory-org-deleting"
    )
    post_delete.connect(
        _service_deleted, sender=ServicePage, dispatch_uid="directory-service-deleted"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"directory-restriction-{signal is post_save}",
        )
