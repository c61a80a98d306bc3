"""manage.py import_oruk URL_OR_FILE: import an Open Referral UK feed (v1 or 3.0).

manage.py import_oruk ../shared/data/oruk/north_lincolnshire_v1.json --dry-run
manage.py import_oruk https://example.org/api/services --unpublished
manage.py import_oruk --resume 12          # carry on run 12 from its checkpoint
manage.py import_oruk FEED --default-area E06000013   # services with no place: that council
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from importers.coverage import DefaultArea, DefaultAreaError
from importers.management.commands._run_command import ImportCommand
from importers.models import ImportKind
from importers.sources.oruk import is_url


class Command(ImportCommand):
    help = "Import an ORUK v1/3.0 feed from a URL or a file (bare array, envelope or ndjson)."
    kind = ImportKind.ORUK
    unit = "records"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", nargs="?", help="Feed URL (http/https) or file path.")
        self.add_common_arguments(parser)
        parser.add_argument(
            "--default-area",
            default="",
            metavar="GSS_CODE",
            help=(
                "Service area (a council's GSS code, e.g. the publishing council's) for "
                "services with no location and no service area, so postcode searches find them."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        location = options["location"]
        if not location and not (options["resume"] or options["list_runs"]):
            raise CommandError("Give a feed URL or file, or --resume RUN_ID.")
        fields: dict[str, Any] = {}
        if options["default_area"] and not options["resume"]:
            try:
                area = DefaultArea.lookup(options["default_area"])
            except DefaultAreaError as error:
                raise CommandError(f"--default-area: {error}") from error
            fields["default_area_gss"] = area.gss_code
        if location and is_url(location):
            fields["url"] = location
        elif location:
            path = Path(location)
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            fields.update(file_path=str(path.resolve()), file_name=path.name)
        self.run(options, **fields)
