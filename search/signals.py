"""Index sync: publishing, unpublishing, moving and deleting pages update the index.

Each handler only *schedules* work with ``transaction.on_commit`` (never inside
``save()``), so the task sees committed rows and a rolled-back publish indexes
nothing. An organisation's services follow it: publishing, unpublishing or moving an
organisation reindexes its services (they are only public under a live
organisation), and deleting it removes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from directory.models import OrganisationPage, ServicePage

from . import tasks


def _schedule(task: Any, page_ids: Iterable[int]) -> None:
    ids = sorted(set(page_ids))
    if ids:
        transaction.on_commit(lambda: tasks.enqueue(task, ids), robust=True)


def _service_ids_under(page: Any) -> list[int]:
    return list(ServicePage.objects.descendant_of(page).values_list("pk", flat=True))


@receiver(page_published)
def page_published_handler(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ServicePage):
        _schedule(tasks.update_listing_index, [instance.pk])
    elif isinstance(instance, OrganisationPage):
        _schedule(tasks.update_listing_index, _service_ids_under(instance))


@receiver(page_unpublished)
def page_unpublished_handler(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ServicePage):
        _schedule(tasks.remove_from_listing_index, [instance.pk])
    elif isinstance(instance, OrganisationPage):
        # Reindexing drops services whose organisation is no longer live.
        _schedule(tasks.update_listing_index, _service_ids_under(instance))


@receiver(post_page_move)
def page_moved_handler(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ServicePage):
        _schedule(tasks.update_listing_index, [instance.pk])
    elif isinstance(instance, OrganisationPage):
        _schedule(tasks.update_listing_index, _service_ids_under(instance))


@receiver(pre_delete, sender=OrganisationPage)
def organisation_deleting(sender: Any, instance: OrganisationPage, **kwargs: Any) -> None:
    # Collect the ids now: after the delete there is no tree to ask.
    _schedule(tasks.remove_from_listing_index, _service_ids_under(instance))


@receiver(post_delete, sender=ServicePage)
def service_deleted(sender: Any, instance: ServicePage, **kwargs: Any) -> None:
    if instance.pk is not None:
        _schedule(tasks.remove_from_listing_index, [instance.pk])
