"""Check every listing's website and email domain now, for a council without Celery beat.

    python manage.py check_links

Does what the daily ``lifecycle.check_links`` task does; the broken links then show in
the admin under "Broken links".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lifecycle.linkcheck import check_all_links


class Command(BaseCommand):
    help = "Check every listing's website and email domain and record the broken ones."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = check_all_links()
        if summary is None:
            raise CommandError("A link check is already running; try again when it ends.")
        self.stdout.write(
            f"Checked {summary.links} link(s) on {summary.listings} listing(s): "
            f"{summary.broken} broken."
        )
