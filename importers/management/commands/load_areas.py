"""manage.py load_areas: the UK, councils and wards that services can cover."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from importers.sources.areas import AreasMissing, load_areas


class Command(BaseCommand):
    help = (
        "Load areas (United Kingdom, upper-tier councils, local authority districts and "
        "wards) from DIRECTORY_SHARED_DATA/areas. Safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", type=Path, default=None, help="Shared data folder (default from settings)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        shared = options["data"] or Path(settings.DIRECTORY_SHARED_DATA)
        started = time.perf_counter()
        try:
            report = load_areas(shared)
        except AreasMissing as error:
            self.stdout.write(self.style.WARNING(f"{error}; no areas loaded."))
            return
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} ({seconds:.1f}s)"))
