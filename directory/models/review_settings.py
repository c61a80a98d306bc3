"""How often listings must be checked: a per-site setting council admins edit in Settings."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="date")
class ListingReviewSettings(BaseSiteSetting):
    """The review rule's numbers; the rule itself lives in ``directory.reviews``."""

    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long after it was last checked (or first published) a listing is "
        "due for review. Its organisation's editors are reminded 30 days before, on "
        "the day and 14 days after.",
    )
    grace_days = models.PositiveSmallIntegerField(
        "grace period (days)",
        default=60,
        validators=[MaxValueValidator(730)],
        help_text="Days after the review date before the listing is shown as possibly "
        "out of date, ranked lower in search and flagged to moderators. No listing is "
        "ever hidden automatically.",
    )

    panels = [FieldPanel("review_interval_months"), FieldPanel("grace_days")]

    class Meta:
        verbose_name = "listing reviews"


def _forget(**kwargs: Any) -> None:
    from directory import reviews

    reviews.forget_policy()


post_save.connect(_forget, sender=ListingReviewSettings, dispatch_uid="reviews-forget-save")
post_delete.connect(_forget, sender=ListingReviewSettings, dispatch_uid="reviews-forget-delete")
