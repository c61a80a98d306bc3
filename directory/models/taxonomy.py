"""Hierarchical taxonomy terms (ORUK ``taxonomy`` and ``taxonomy_term``)."""

from __future__ import annotations

import uuid

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Taxonomy(models.Model):
    """A vocabulary, e.g. our community-asset categories or the LGA Services List."""

    oruk_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("uri"),
        FieldPanel("version"),
    ]

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(index.Indexed, models.Model):
    oruk_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(max_length=100, help_text="Stable identifier used in URLs and feeds.")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    lga_service_id = models.CharField(
        "LGA service list identifier",
        max_length=20,
        blank=True,
        help_text="The matching Local Government Services List (LGSL) identifier, if one exists.",
    )
    synonyms = models.TextField(
        blank=True,
        help_text="Other words people use for this, one per line. Search and suggestions use them.",
    )

    panels = [
        FieldPanel("taxonomy"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("lga_service_id"),
        FieldPanel("synonyms"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("taxonomy"),
    ]

    class Meta:
        ordering = ["taxonomy", "parent_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def descendant_ids(self) -> set[int]:
        """This term's id plus every id beneath it, so a parent filter includes children."""
        found = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(
                TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = [pk for pk in frontier if pk not in found]
            found.update(frontier)
        return found
