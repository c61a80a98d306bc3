"""Shared options and output for the import commands (not a command itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from importers.models import ImportRun, ImportStatus
from importers.pipeline import ProgressCallback
from importers.runs import execute_run


class ImportCommand(BaseCommand):
    kind = ""
    #: What the progress lines (at --verbosity 2) count.
    unit = "rows"

    def add_common_arguments(self, parser: CommandParser, *, source: bool = True) -> None:
        """``source=False`` for an importer whose upsert key is fixed."""
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--unpublished",
            action="store_true",
            help="Leave new pages unpublished and store changes as drafts.",
        )
        parser.add_argument(
            "--restore-unpublished",
            action="store_true",
            help="Publish again the listings a moderator unpublished (normally left alone).",
        )
        if source:
            parser.add_argument("--source", default="", help="Upsert key (default: per importer).")
        parser.add_argument(
            "--resume",
            type=int,
            metavar="RUN_ID",
            help="Carry on an earlier run from its checkpoint (see `--list-runs`).",
        )
        parser.add_argument("--list-runs", action="store_true", help="Show recent runs and exit.")

    def run(self, options: dict[str, Any], **fields: Any) -> None:
        if options["list_runs"]:
            for run in ImportRun.objects.filter(kind=self.kind)[:20]:
                self.stdout.write(f"{run.pk:5d} {run.created_at:%Y-%m-%d %H:%M} {run}")
            return
        if options["resume"]:
            found = ImportRun.objects.filter(pk=options["resume"], kind=self.kind).first()
            if found is None:
                raise CommandError(f"No {self.kind} import run {options['resume']}.")
            run = found
            resume = True
        else:
            run = ImportRun.objects.create(
                kind=self.kind,
                publish=not options["unpublished"],
                dry_run=options["dry_run"],
                restore_unpublished=options["restore_unpublished"],
                source=options.get("source", ""),
                **fields,
            )
            resume = False
        execute_run(run.pk, resume=resume, on_progress=self.progress_printer(options))
        run.refresh_from_db()
        style = self.style.SUCCESS if run.status == ImportStatus.DONE else self.style.WARNING
        self.stdout.write(style(run.report))
        self.stdout.write(f"(import run {run.pk}: {run.get_status_display()})")
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.report)

    def progress_printer(self, options: dict[str, Any]) -> ProgressCallback | None:
        if options["verbosity"] < 2:
            return None

        def show(done: int, total: int | None) -> None:
            if done % 50 == 0 or done == total:
                self.stdout.write(f"  {done}/{total or '?'} {self.unit}")

        return show
