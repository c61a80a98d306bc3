"""The anonymous signposting log.

Each row says that on a day, staff in a role gave out listings for some needs in a
postcode district, by a channel. It never holds a name, contact detail, full postcode
or free text: needs are only words from the directory's own vocabulary
(``needs.extract_needs``) and places are only a district (``BH8``) or a town.
"""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    PRINT = "print", "Printed"
    PDF = "pdf", "PDF"
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    COPY = "copy", "Copied to case notes"
    SEARCH = "search", "Search (nothing nearby)"


class EventKind(models.TextChoices):
    SIGNPOST = "signpost", "Signposted"
    GAP = "gap", "Searched, nothing nearby"


class SignpostingEvent(models.Model):
    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.SIGNPOST)
    occurred_on = models.DateField(db_index=True)
    district = models.CharField(
        max_length=40, blank=True, help_text="Postcode district (BH8) or a town; never more."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    role = models.CharField(max_length=50, blank=True)
    radius_miles = models.FloatField(null=True, blank=True)
    listing_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.kind} {self.district or '-'} {self.channel}"


class SignpostingNeed(models.Model):
    event = models.ForeignKey(SignpostingEvent, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=80, db_index=True)

    def __str__(self) -> str:
        return self.need


class SignpostedListing(models.Model):
    event = models.ForeignKey(SignpostingEvent, on_delete=models.CASCADE, related_name="listings")
    # A plain id, not a foreign key: history outlives a deleted listing.
    page_id = models.PositiveIntegerField(db_index=True)

    def __str__(self) -> str:
        return str(self.page_id)
