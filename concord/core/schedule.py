"""Periodic jobs, enqueued by `concord worker` when they are due.

Each app lists its jobs as `PERIODIC_JOBS = [(name, interval, task), ...]` in its tasks.py.
The row lock on ScheduledRun means that when several workers run, each job is enqueued once
per interval between them.
"""

from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from concord.core.models import ScheduledRun


def all_periodic_jobs() -> list:
    jobs = []
    for app in apps.get_app_configs():
        if not app.name.startswith("concord."):
            continue
        try:
            module = import_module(f"{app.name}.tasks")
        except ModuleNotFoundError:
            continue
        jobs.extend(getattr(module, "PERIODIC_JOBS", []))
    return jobs


def enqueue_due_jobs(now=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for name, interval, job in all_periodic_jobs():
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
