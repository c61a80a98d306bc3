"""Concepts: a need or a kind of service, the phrases people use for it, the words
listings use for it, and the categories that serve it.

Staff edit them as snippets (``wagtail_hooks``); each save keeps a revision.
``LexiconState`` is one row whose ``version`` changes on every edit to a concept,
a phrase or a category, so each process's cached search lexicon knows to rebuild
(``vocabulary.lexicon.version``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, RevisionMixin


class ConceptKind(models.TextChoices):
    NEED = "need", "Need"
    SERVICE = "service", "Type of service"


class Side(models.TextChoices):
    PEOPLE = "people", "People say"
    LISTINGS = "listings", "Listings say"


class Concept(RevisionMixin, ClusterableModel):
    """A need ("money worries") or a type of service ("food bank")."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text=(
            "Stable identifier. A need whose identifier matches a \u201cwhat matters\u201d "
            "need's code gives that need its phrases."
        ),
    )
    kind = models.CharField(max_length=10, choices=ConceptKind.choices, default=ConceptKind.NEED)
    description = models.TextField(blank=True)
    taxonomy_terms = ParentalManyToManyField(
        "directory.TaxonomyTerm",
        blank=True,
        related_name="concepts",
        help_text="Categories that serve this; their names count as words listings say.",
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="concept")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("taxonomy_terms"),
        InlinePanel(
            "phrases",
            heading="Phrases",
            label="Phrase",
            help_text=(
                "\u201cPeople say\u201d: what a resident or caller types "
                "(\u201cstruggling to pay the gas\u201d). \u201cListings say\u201d: the "
                "words a listing uses (\u201cenergy advice\u201d). Searching a people-say "
                "phrase also finds the listing-say words, counted for less than the "
                "words typed."
            ),
        ),
    ]

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self) -> Any:
        return self._revisions


class ConceptPhrase(Orderable):
    concept = ParentalKey(Concept, on_delete=models.CASCADE, related_name="phrases")
    text = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=Side.choices, default=Side.PEOPLE)

    panels = [FieldPanel("text"), FieldPanel("side")]

    class Meta(Orderable.Meta):
        verbose_name = "phrase"

    def __str__(self) -> str:
        return self.text


class LexiconState(models.Model):
    """One row: changes whenever the lexicon's inputs do (see ``vocabulary.signals``)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"lexicon version {self.version}"
