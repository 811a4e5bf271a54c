"""Periodic jobs, enqueued by `concord worker` when they are due.

Each entry is (name, interval, task). The row lock on ScheduledRun means that when
several workers run, each job is enqueued once per interval between them.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from concord.core import tasks
from concord.core.models import ScheduledRun

PERIODIC_JOBS = [
    ("retry-unsent-emails", timedelta(minutes=5), tasks.retry_unsent_emails),
    ("prune-finished-tasks", timedelta(days=1), tasks.prune_finished_tasks),
]


def enqueue_due_jobs(now=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for name, interval, job in PERIODIC_JOBS:
        with transaction.atomic():
            run, created = ScheduledRun.objects.select_for_update().get_or_create(
                name=name, defaults={"last_run_at": now}
            )
            if not created and run.last_run_at + interval > now:
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            transaction.on_commit(job.enqueue)
            enqueued.append(name)
    return enqueued
