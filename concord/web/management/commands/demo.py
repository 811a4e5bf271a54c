"""`concord demo`: load the demo coalition (with --if-empty, only into an empty database)."""

from django.core.management.base import BaseCommand, CommandError

from concord.accounts.demo import DEMO_ADMIN_EMAIL, demo_password
from concord.web.demo import build_demo, is_empty


class Command(BaseCommand):
    help = (
        "Create a believable demo coalition: member organisations, representatives, a secretariat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")
        parser.add_argument("--size", type=int, default=500, help="How many organisations.")

    def handle(self, *args, if_empty, size, **options):
        if not is_empty():
            if if_empty:
                self.stdout.write("The database already holds data; the demo was not loaded.")
                return
            raise CommandError("The database already holds data; use an empty database.")
        counts = build_demo(size=size)
        summary = ", ".join(f"{value} {key}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        self.stdout.write(f"Secretariat login: {DEMO_ADMIN_EMAIL} / {demo_password()}")
