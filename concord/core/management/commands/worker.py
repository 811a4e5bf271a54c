"""`concord worker`: run background tasks and enqueue periodic jobs when they are due.

Beside `db_worker`, a thread writes this worker's heartbeat every few seconds and enqueues the
periodic jobs that are due. The heartbeat is what lets another worker run again a task this one
was running if this process dies (see core/heartbeat.py).
"""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from concord.core import heartbeat
from concord.core.schedule import enqueue_due_jobs

logger = logging.getLogger("concord.worker")


class Command(BaseCommand):
    help = "Run the background worker (tasks stored in the database) and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not enqueue periodic jobs (the heartbeat is still written).",
        )

    def handle(self, *args, interval, batch, no_schedule, **options):
        worker_id = heartbeat.new_worker_id()
        # Seen alive before the first task is claimed, so no task of ours ever looks lost.
        heartbeat.beat(worker_id)
        close_old_connections()
        stop = threading.Event()
        thread = threading.Thread(
            target=self._keep_alive,
            args=(stop, worker_id, not no_schedule),
            name="concord-heartbeat",
            daemon=True,
        )
        thread.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                worker_id=worker_id,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
            thread.join(timeout=heartbeat.HEARTBEAT_EVERY.total_seconds() * 2)
            try:
                heartbeat.forget(worker_id)
            finally:
                close_old_connections()

    def _keep_alive(self, stop: threading.Event, worker_id: str, schedule: bool) -> None:
        """Beat, enqueue due jobs, sleep; never die of an error (a silent thread would make
        this worker look dead and its tasks would run twice)."""
        every = heartbeat.HEARTBEAT_EVERY.total_seconds()
        while not stop.is_set():
            try:
                heartbeat.beat(worker_id)
                if schedule:
                    enqueue_due_jobs()
            except Exception:
                logger.exception("Worker %s could not write its heartbeat or schedule", worker_id)
            finally:
                close_old_connections()
            stop.wait(every)
