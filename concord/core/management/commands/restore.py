"""`concord restore PATH`: replace the whole database with a backup (see core/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.core import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup at PATH (made by `concord backup`). "
        "Stop `concord serve` and `concord worker` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to restore.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, interactive, database, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"There is no backup file at {source}.")
        if interactive:
            answer = input(
                f"Every table of the {database!r} database will be replaced by {source}. "
                "Stop the server and the worker first. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            outcome = backups.restore(source, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {outcome.engine} database {outcome.database} from {outcome.path} "
                f"({outcome.tables} tables). Run `concord migrate` if the backup is from an "
                "older version, then start the server and the worker."
            )
        )
