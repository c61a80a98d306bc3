"""Fields shared by pages that can come from an external source (an import)."""

from __future__ import annotations

import uuid

from django.db import models


class ExternallySourced(models.Model):
    """Where a record came from, so re-importing updates it instead of duplicating it.

    ``source`` plus ``external_id`` is the upsert key; ``source_hash`` lets an
    unchanged row be skipped, which keeps repeat imports quick.
    """

    oruk_id = models.UUIDField("Open Referral id", default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=100, blank=True, db_index=True)
    external_id = models.CharField(max_length=255, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    exclude_fields_in_copy = ["oruk_id", "external_id", "source_hash"]

    class Meta:
        abstract = True
        constraints = [
            # The importers' upsert key, enforced so a race can never create duplicates.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="%(class)s_unique_source_external_id",
            )
        ]
