"""First run: say which council this site serves (its name, area and home place).

    manage.py setup_council --name "Bournemouth, Christchurch and Poole Council" \
        --area E06000058 --home-place Bournemouth --example-postcode "BH1 1AA" \
        --example-place Christchurch

``--if-unset`` leaves a council that is already set up as it is, so `make run` can call
this on every start without undoing the council's own edits in the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.home.council import configure_council, is_configured


class Command(BaseCommand):
    help = "Set the council's name, area (a GSS code) and home place for the default site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The council's name, as shown")
        parser.add_argument("--area", required=True, help="The area's GSS code, e.g. E06000058")
        parser.add_argument("--home-place", required=True, help="A town in the area")
        parser.add_argument("--example-postcode", default="", help="A real local postcode")
        parser.add_argument("--example-place", default="", help="A local town for hints")
        parser.add_argument(
            "--if-unset", action="store_true", help="Do nothing if a council is already set up"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_unset"] and is_configured():
            self.stdout.write("The council is already set up; left as it is.")
            return
        try:
            branding = configure_council(
                name=options["name"],
                area_code=options["area"],
                home_place=options["home_place"],
                example_postcode=options["example_postcode"],
                example_place=options["example_place"],
            )
        except ValidationError as error:
            by_field = getattr(error, "message_dict", None)
            if by_field:
                raise CommandError(
                    "; ".join(f"{field}: {' '.join(texts)}" for field, texts in by_field.items())
                ) from error
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{branding.council_name}: area {branding.area_code}, "
                f"home place {branding.home_place}."
            )
        )
