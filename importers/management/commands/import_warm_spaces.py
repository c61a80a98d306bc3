"""manage.py import_warm_spaces: load the warm spaces listings into the directory.

manage.py import_warm_spaces                  # the shared BH file; safe to re-run
manage.py import_warm_spaces --file other.csv --dry-run
manage.py import_warm_spaces --resume 12      # carry on run 12 from its checkpoint
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from importers.management.commands._run_command import ImportCommand
from importers.models import ImportKind

DEFAULT_FILE = Path("listings") / "warm_spaces_bh.csv"


class Command(ImportCommand):
    help = (
        "Import warm spaces listings (Open Innovations aggregation) as organisation and "
        "service pages. Re-running updates changed rows and leaves unchanged ones alone."
    )
    kind = ImportKind.WARM_SPACES

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"CSV to import (default DIRECTORY_SHARED_DATA/{DEFAULT_FILE}).",
        )
        parser.add_argument("--limit", type=int, default=None, help="Import only N rows.")
        # The upsert key is fixed: every warm spaces file updates the same listings.
        self.add_common_arguments(parser, source=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["resume"] or options["list_runs"]:
            self.run(options)
            return
        shared = Path(settings.DIRECTORY_SHARED_DATA)
        path: Path = options["file"] or shared / DEFAULT_FILE
        if not path.is_file():
            # A fresh checkout without the shared data must still start cleanly.
            where = path if options["file"] or shared.is_dir() else shared
            self.stdout.write(
                self.style.WARNING(f"Shared data not found at {where}; the site will start empty.")
            )
            return
        self.run(
            options, file_path=str(path.resolve()), file_name=path.name, limit=options["limit"]
        )
