"""`concord backup PATH`: copy the whole database to one file (see core/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.core import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH: an SQLite file (online backup API) or a "
        "PostgreSQL custom-format dump (pg_dump). Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to write.")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, force, database, **options):
        try:
            outcome = backups.backup(Path(path), force=force, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {outcome.engine} database {outcome.database} "
                f"({outcome.tables} tables) to {outcome.path} ({outcome.size:,} bytes)."
            )
        )
