"""What-matters data: editable need mappings, staff feedback and saved plans.

Nothing here holds a resident's answers unless they choose "Save this plan", and
feedback records only the suggestion's scoring features, never who it was for.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel


class MappingKind(models.TextChoices):
    NEED = "need", "Need (what matters most)"
    INTEREST = "interest", "Interest suggestion"


class NeedMapping(models.Model):
    """One answer a person can pick, mapped to categories and the words for it."""

    kind = models.CharField(max_length=10, choices=MappingKind.choices, default=MappingKind.NEED)
    code = models.SlugField(max_length=50, unique=True, help_text="Stable identifier; not shown.")
    label = models.CharField(max_length=120, help_text="The choice as the resident sees it.")
    reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why a suggestion is shown, e.g. \u201cYou said you'd like to meet people\u201d.",
    )
    taxonomy_terms = models.ManyToManyField(
        "directory.TaxonomyTerm",
        blank=True,
        related_name="need_mappings",
        help_text="Listings in these categories (or beneath them) serve this need.",
    )
    keywords = models.TextField(
        blank=True,
        help_text=(
            "Interests only: words and phrases people and listings use for this, "
            "separated by commas, e.g. \u201cknitting, sewing, craft group\u201d. A "
            "listing matches a phrase only when it has all of its words together. A "
            "need\u2019s phrases are edited once, on its concept under Concepts (the "
            "concept whose identifier is this need\u2019s code), and serve search too."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("kind"),
        FieldPanel("label"),
        FieldPanel("reason"),
        FieldPanel("taxonomy_terms"),
        FieldPanel("keywords"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["kind", "sort_order", "label"]
        verbose_name = "what matters need"

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.kind == MappingKind.NEED and self.keywords.strip():
            raise ValidationError(
                {
                    "keywords": (
                        "A need\u2019s phrases live on its concept: add them under Concepts, "
                        f"to the concept \u201c{self.code}\u201d, where search uses them too."
                    )
                }
            )


class FeedbackLabel(models.TextChoices):
    HELPFUL = "helpful", "Helpful"
    NOT_SUITABLE = "not_suitable", "Not suitable"


class SuggestionFeedback(models.Model):
    """A staff judgement on one suggestion: features and label only, no personal data."""

    listing = models.ForeignKey(
        "directory.ServicePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    features = models.JSONField(default=dict)
    label = models.CharField(max_length=20, choices=FeedbackLabel.choices)
    role = models.CharField(max_length=100, blank=True)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = "suggestion feedback"
        verbose_name_plural = "suggestion feedback"

    def __str__(self) -> str:
        return f"{self.get_label_display()} ({self.created_on})"


def new_plan_token() -> str:
    # 32 random bytes: the URL is the only key to the plan, so it must not be guessable.
    return secrets.token_urlsafe(32)


def plan_lifetime() -> dt.timedelta:
    """How long a saved plan is kept (``SAVED_PLAN_DAYS``, default 90 days)."""
    return dt.timedelta(days=getattr(settings, "SAVED_PLAN_DAYS", 90))


def answers_to_keep(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers a saved plan may hold: no free text, and no place finer than a
    postcode district ("BH1"), because the plan outlives the session and has no owner.

    A town or village name from the gazetteer is kept as it is; the typed text, the
    point and the ward are not.
    """
    from geography.gazetteer.text import postcode_district

    kept = {key: value for key, value in answers.items() if key != "interest_text"}
    location = answers.get("location") or {}
    label = str(location.get("label", ""))
    district = postcode_district(label)
    if district is None and any(char.isdigit() for char in label):
        label = ""  # a grid reference or coordinates: as precise as a postcode
    if location:
        kept["location"] = {"label": district or label}
    return kept


class SavedPlanQuerySet(models.QuerySet["SavedPlan"]):
    def current(self) -> SavedPlanQuerySet:
        return self.filter(created_at__gte=timezone.now() - plan_lifetime())

    def expired(self) -> SavedPlanQuerySet:
        return self.filter(created_at__lt=timezone.now() - plan_lifetime())


class SavedPlan(models.Model):
    """Answers and suggestions a person chose to keep, reachable only by its token.

    Only ``answers_to_keep`` is stored, and a plan expires after ``plan_lifetime``.
    """

    token = models.CharField(max_length=64, unique=True, default=new_plan_token, editable=False)
    answers = models.JSONField(default=dict)
    suggestions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Saved plan of {self.created_at:%Y-%m-%d}"

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + plan_lifetime()
