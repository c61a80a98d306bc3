"""Rebuild the recommender after listings or categories change (after commit, never in save).

Listings: directory's ``listings_changed`` event (publishing, unpublishing, moves and
deletes, and once per batch from a bulk import). Categories: the term model's own
save and delete.
"""

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

    from directory.events import listings_changed
    from directory.models import TaxonomyTerm

    listings_changed.connect(listing_changed, dispatch_uid="recommender-listings")
    post_save.connect(listing_changed, sender=TaxonomyTerm, dispatch_uid="recommender-term")
    post_delete.connect(listing_changed, sender=TaxonomyTerm, dispatch_uid="recommender-term-del")
