from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from recommender.models import SuggestionFeedback
from recommender.reranker import MIN_LABELS, train_from_feedback


class Command(BaseCommand):
    help = "Train the feedback re-ranker (needs enough labels of both kinds)."

    def handle(self, *args: Any, **options: Any) -> None:
        model = train_from_feedback()
        count = SuggestionFeedback.objects.count()
        if model is None:
            self.stdout.write(
                f"Not trained: {count} labels (need {MIN_LABELS}, both helpful and not suitable)."
            )
        else:
            self.stdout.write(f"Re-ranker trained on {count} labels.")
