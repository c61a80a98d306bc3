"""manage.py import_warm_spaces: load the warm spaces listings into the directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from importers.sources.warm_spaces import ImportSetupError, import_warm_spaces

DEFAULT_FILE = Path("listings") / "warm_spaces_bh.csv"


class Command(BaseCommand):
    help = (
        "Import warm spaces listings (Open Innovations aggregation) as organisation and "
        "service pages. Re-running updates changed rows and leaves unchanged ones alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"CSV to import (default DIRECTORY_SHARED_DATA/{DEFAULT_FILE}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--unpublished",
            action="store_true",
            help="Leave new pages unpublished and store changes as drafts.",
        )
        parser.add_argument("--limit", type=int, default=None, help="Import only N rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        shared = Path(settings.DIRECTORY_SHARED_DATA)
        path: Path = options["file"] or shared / DEFAULT_FILE
        if not path.is_file():
            # A fresh checkout without the shared data must still start cleanly.
            where = path if options["file"] or shared.is_dir() else shared
            self.stdout.write(
                self.style.WARNING(f"Shared data not found at {where}; the site will start empty.")
            )
            return

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1 and (done % 50 == 0 or done == total):
                self.stdout.write(f"  {done}/{total} rows")

        try:
            report = import_warm_spaces(
                path,
                publish=not options["unpublished"],
                dry_run=options["dry_run"],
                limit=options["limit"],
                progress=progress,
            )
        except ImportSetupError as error:
            self.stderr.write(self.style.ERROR(str(error)))
            return
        style = self.style.WARNING if report.skipped else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
