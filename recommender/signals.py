"""Rebuild the recommender after listings or categories change (after commit, never in save)."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def listing_changed(sender: Any, **kwargs: Any) -> None:
    from recommender.tasks import request_rebuild

    # on_commit: a rolled-back publish must not trigger a build, and the task must
    # see the committed rows.
    transaction.on_commit(request_rebuild)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from directory.models import ServicePage, TaxonomyTerm

    page_published.connect(listing_changed, sender=ServicePage, dispatch_uid="recommender-pub")
    page_unpublished.connect(listing_changed, sender=ServicePage, dispatch_uid="recommender-unpub")
    post_save.connect(listing_changed, sender=TaxonomyTerm, dispatch_uid="recommender-term")
    post_delete.connect(listing_changed, sender=TaxonomyTerm, dispatch_uid="recommender-term-del")
