from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cms.workflows.demo_users import create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role. Passwords are printed once, when created."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Give every demo user a new password."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = create_demo_users(reset_passwords=options["reset_passwords"])
        new = [login for login in logins if login.password]
        if not new:
            self.stdout.write(
                "Demo users already exist (passwords were shown when they were created; "
                "run `manage.py create_demo_users --reset-passwords` for new ones)."
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo logins for http://127.0.0.1:8000/admin/"))
        self.stdout.write("  (shown once — note them now)")
        for login in new:
            extra = f"  [{login.note}]" if login.note else ""
            self.stdout.write(
                f"  {login.role.value:<26} {login.username:<18} {login.password}{extra}"
            )
