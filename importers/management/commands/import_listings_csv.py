"""manage.py import_listings_csv FILE: import listings from the CSV template.

The columns are documented in importers/CSV_TEMPLATE.md; the template is
importers/templates_csv/listings_template.csv.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from importers.management.commands._run_command import ImportCommand
from importers.models import ImportKind


class Command(ImportCommand):
    help = "Import listings from a CSV in the council's listings template."
    kind = ImportKind.CSV

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path)
        self.add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        fields: dict[str, Any] = {}
        if path is not None:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            fields.update(file_path=str(path.resolve()), file_name=path.name)
        elif not (options["resume"] or options["list_runs"]):
            raise CommandError("Give a CSV file, or --resume RUN_ID.")
        self.run(options, **fields)
