from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from directory.models import TaxonomyTerm
from recommender.models import NeedMapping
from recommender.needs import SEED_PATH, load_need_mappings


class Command(BaseCommand):
    help = (
        "Load needs and interests from recommender/needs_seed.json into NeedMapping. "
        "Idempotent; rows with the same code are reset to the file."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_need_mappings(NeedMapping, TaxonomyTerm, SEED_PATH)
        total = NeedMapping.objects.count()
        self.stdout.write(f"{created} need mappings created, {total} in total.")
