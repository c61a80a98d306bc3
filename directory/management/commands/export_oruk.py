"""Write the whole published directory as ORUK ndjson or as the listings CSV.

    python manage.py export_oruk --format ndjson --output var/oruk-services.ndjson
    python manage.py export_oruk --format csv --output -        # to standard output

The output is streamed a chunk of services at a time, so memory stays flat; the
file is written beside its final name and moved into place when complete, so a
reader never sees half an export.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.oruk import exports


class Command(BaseCommand):
    help = "Export published listings as ORUK 3.0 ndjson (one full service a line) or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("ndjson", "csv"), default="ndjson")
        parser.add_argument(
            "--output", required=True, help="File to write, or '-' for standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lines = exports.ndjson_export() if options["format"] == "ndjson" else exports.csv_lines()
        output = options["output"]
        if output == "-":
            count = self._write(lines, sys.stdout)
        else:
            count = self._write_file(lines, Path(output))
        what = "services" if options["format"] == "ndjson" else "lines"
        self.stderr.write(f"Wrote {count} {what} to {output}.")

    @staticmethod
    def _write(lines: Iterator[str], stream: Any) -> int:
        count = 0
        for text in lines:
            stream.write(text)
            count += text.count("\n")
        return count

    def _write_file(self, lines: Iterator[str], path: Path) -> int:
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            # newline="" so the csv module's \r\n row endings are written as they are.
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                count = self._write(lines, stream)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count
