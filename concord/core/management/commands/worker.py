"""`concord worker`: run background tasks and enqueue periodic jobs when they are due."""

import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from concord.core.schedule import enqueue_due_jobs


class Command(BaseCommand):
    help = "Run the background worker (tasks stored in the database) and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--no-schedule", action="store_true")

    def handle(self, *args, interval, batch, no_schedule, **options):
        stop = threading.Event()
        if not no_schedule:
            threading.Thread(target=self._schedule, args=(stop,), daemon=True).start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event) -> None:
        while not stop.wait(30):
            try:
                enqueue_due_jobs()
            finally:
                close_old_connections()
