"""``manage.py build_gazetteer [--force] [--output DIR]``: build the postcode store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from geography.gazetteer import build_gazetteer, configured_paths, reset_gazetteer


class Command(BaseCommand):
    help = (
        "Build the offline UK gazetteer (postcodes, postcode areas, places) into "
        "settings.GAZETTEER_DIR. Skips the work when the store is already current."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild even if current.")
        parser.add_argument("--output", type=Path, help="Write here instead of GAZETTEER_DIR.")

    def handle(self, *args: Any, **options: Any) -> None:
        store_dir, shared_dir = configured_paths()
        output = options["output"] or store_dir
        if not shared_dir.is_dir():
            self.stderr.write(
                self.style.WARNING(
                    f"Shared data not found at {shared_dir}: LAD names and places will be missing."
                )
            )
        report = build_gazetteer(
            output,
            shared_dir if shared_dir.is_dir() else None,
            force=options["force"],
            log=lambda msg: self.stdout.write(msg),
        )
        reset_gazetteer()
        verb = "Already current" if report.skipped else "Built"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {report.postcodes:,} postcodes "
                f"({report.with_coords:,} with coordinates), "
                f"{report.outward_codes:,} outward codes, {report.sectors:,} sectors, "
                f"{report.places:,} places; {report.size_bytes / 1e6:.0f} MB in "
                f"{report.output_dir} [{report.fingerprint}] ({report.seconds:.1f}s)"
            )
        )
