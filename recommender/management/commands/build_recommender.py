from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from recommender import artefacts, reranker


class Command(BaseCommand):
    help = "Build the what-matters recommender artefacts from live listings (and the re-ranker)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        built = artefacts.rebuild()
        model = reranker.train_from_feedback()
        self.stdout.write(
            f"Built recommender for {len(built)} listings in {time.perf_counter() - started:.1f} s "
            f"into {artefacts.artefact_dir()}; re-ranker "
            + ("trained." if model is not None else "not trained (not enough feedback yet).")
        )
