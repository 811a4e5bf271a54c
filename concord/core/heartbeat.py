"""Worker heartbeats, and running again the tasks a dead worker left behind.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-task (kill -9, out of memory, a lost machine) would leave the task RUNNING
for ever. Each `concord worker` therefore has an id (passed to `db_worker`, which records it in
the task's `worker_ids`) and writes a `WorkerHeartbeat` row every few seconds. The periodic job
`requeue_lost_tasks` puts back to READY every RUNNING task whose last worker has not been seen
for `STALE_AFTER`, so another worker runs it again. Tasks are written to be idempotent (they
skip work already done), which is what makes running one twice safe.

Run workers with `concord worker`: a bare `db_worker` writes no heartbeat, so its tasks count
as lost once they have run longer than `STALE_AFTER`.
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# How often a worker says it is alive (its scheduler thread wakes this often).
HEARTBEAT_EVERY = timedelta(seconds=5)
# A worker not seen for this long is taken as dead: four missed beats, never a slow one.
STALE_AFTER = timedelta(seconds=20)
# A task that has taken down this many workers is marked FAILED instead of being run again.
MAX_ATTEMPTS = 5


class WorkerLost(Exception):
    """Recorded on a task given up after its worker died MAX_ATTEMPTS times."""


def new_worker_id() -> str:
    """Unique across the pool, and readable in the admin: host, process id, random suffix."""
    host = socket.gethostname().split(".")[0][:30] or "worker"
    return f"{host}-{os.getpid()}-{get_random_string(12)}"[:64]


def beat(worker_id: str, now: datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": now or timezone.now()}
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its row (it leaves no task RUNNING)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def prune_heartbeats(now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=7)
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    return deleted


def requeue_lost_tasks(
    now: datetime | None = None,
    on_requeue: Callable[[DBTaskResult], None] | None = None,
) -> list[str]:
    """Put back to READY the RUNNING tasks whose worker is gone; returns their ids.

    A task is lost when its last worker has no heartbeat newer than STALE_AFTER and it
    started more than STALE_AFTER ago. `on_requeue(result)` runs in the same transaction just
    before the task becomes READY again (to release what the dead worker held). Each task is
    updated only if it is still the same RUNNING attempt, so two workers running this job at
    once requeue it once.
    """
    now = now or timezone.now()
    stale = now - STALE_AFTER
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale).only(
            "id", "task_path", "args_kwargs", "worker_ids", "started_at"
        )
    )
    if not running:
        return []
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=stale).values_list("worker_id", flat=True)
    )
    requeued = []
    for result in running:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        if worker_id in alive:
            continue
        same_attempt = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= MAX_ATTEMPTS:
            given_up = same_attempt.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"{WorkerLost.__name__}: the workers running this task stopped without "
                    f"finishing it {len(result.worker_ids)} times (last: {worker_id}); "
                    "it is not run again.\n"
                ),
            )
            if given_up:
                logger.error(
                    "Task %s (%s) failed: lost its worker %d times",
                    result.pk,
                    result.task_path,
                    len(result.worker_ids),
                )
            continue
        with transaction.atomic():
            if on_requeue is not None:
                on_requeue(result)
            if not same_attempt.update(status=TaskResultStatus.READY, started_at=None):
                transaction.set_rollback(True)
                continue
        logger.warning(
            "Task %s (%s) was running on worker %s, not seen since %s; queued again",
            result.pk,
            result.task_path,
            worker_id or "?",
            stale.isoformat(timespec="seconds"),
        )
        requeued.append(str(result.pk))
    return requeued
