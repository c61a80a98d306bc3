"""Resource lists: the printed (or emailed) list of local services left with a person.

Staff lists live in the database and belong to one user. A resident's list lives in
their session (see ``stores.SessionListStore``) until they email it to themselves, when
it is copied here with no owner so the emailed link keeps working.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_share_token() -> str:
    # 32 random bytes: far beyond guessing, and URL-safe for the emailed link.
    return secrets.token_urlsafe(32)


def share_lifetime() -> dt.timedelta:
    """How long an emailed link works (``RESOURCE_LIST_SHARE_DAYS``, default 90 days)."""
    return dt.timedelta(days=getattr(settings, "RESOURCE_LIST_SHARE_DAYS", 90))


class ResourceListQuerySet(models.QuerySet["ResourceList"]):
    def shared_live(self) -> ResourceListQuerySet:
        """Shared copies whose link still works: not withdrawn and not expired."""
        return self.filter(
            share_token__isnull=False, created_at__gte=timezone.now() - share_lifetime()
        )

    def shared_expired(self) -> ResourceListQuerySet:
        return self.filter(
            share_token__isnull=False, created_at__lt=timezone.now() - share_lifetime()
        )


class ResourceList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resource_lists",
        help_text="Empty for a resident's list copied from their session when emailed.",
    )
    title = models.CharField(max_length=200)
    postcode = models.CharField(
        max_length=10, blank=True, help_text="The person's postcode, for distances."
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_resource_lists",
        help_text="The staff member who emailed this copy; they can withdraw its link.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceListQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def ensure_share_token(self) -> str:
        if not self.share_token:
            self.share_token = new_share_token()
            self.save(update_fields=["share_token", "updated_at"])
        return self.share_token

    @property
    def share_expires_at(self) -> dt.datetime:
        return self.created_at + share_lifetime()


class ResourceListItem(models.Model):
    resource_list = models.ForeignKey(ResourceList, on_delete=models.CASCADE, related_name="items")
    # SET_NULL so a deleted listing leaves a "no longer available" row, not a broken list.
    page = models.ForeignKey(
        "directory.ServicePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField(
        max_length=255, help_text="The title when added, shown if the listing has gone."
    )
    note = models.TextField(blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.page_title
