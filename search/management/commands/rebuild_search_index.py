"""``manage.py rebuild_search_index``: rebuild the listing index from live pages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from search.backends import get_search_backend


class Command(BaseCommand):
    help = (
        "Rebuild the search index (settings.DIRECTORY_SEARCH_BACKEND) from every live, "
        "public service page. Searches keep using the old index until it finishes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backend", choices=["database", "elasticsearch"], help="Override the setting."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = get_search_backend(options.get("backend"))
        bar = tqdm(
            desc=f"Indexing ({backend.name})",
            unit="listing",
            disable=options["no_progress"],
            file=self.stderr._out,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            count = backend.rebuild(progress=progress)
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} listings with {backend.name}."))
