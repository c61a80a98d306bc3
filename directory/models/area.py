"""Administrative areas, identified by GSS codes, that a service can cover."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

#: GSS code for the United Kingdom: a service that covers it is national.
UNITED_KINGDOM_GSS = "K02000001"


class AreaType(models.TextChoices):
    NATIONAL = "national", "National (whole UK)"
    UPPER_TIER = "upper_tier", "Upper-tier local authority"
    LOCAL_AUTHORITY = "local_authority", "Local authority district"
    WARD = "ward", "Electoral ward"


class Area(index.Indexed, models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=255)
    area_type = models.CharField(max_length=20, choices=AreaType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("gss_code"),
        FieldPanel("area_type"),
        FieldPanel("parent"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("gss_code"),
        index.FilterField("area_type"),
    ]

    class Meta:
        ordering = ["area_type", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_area_type_display()})"
