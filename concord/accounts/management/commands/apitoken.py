"""`concord apitoken create EMAIL [--name NAME]`: print a new personal API token."""

from django.core.management.base import BaseCommand, CommandError

from concord.accounts.models import User, normalise_email
from concord.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for an existing account and print it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line")

    def handle(self, *args, action, email, name, **options):
        user = User.objects.filter(email=normalise_email(email), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account has the address {email}.")
        _token, secret = create_api_token(user, name)
        self.stdout.write(secret)
