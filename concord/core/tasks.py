"""Background tasks shared by every app. Tasks take primary keys and call services."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from concord.core import emails, heartbeat


@task()
def deliver_email(message_id: int) -> bool:
    return emails.deliver(message_id)


@task()
def retry_unsent_emails() -> int:
    """Deliver messages whose first attempt failed (e.g. the mail server was down)."""
    from concord.core.models import OutgoingEmail

    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        OutgoingEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=stale, attempts__lt=10
        ).values_list("pk", flat=True)[:500]
    )
    for message_id in ids:
        try:
            emails.deliver(message_id)
        except OSError:
            continue
    return len(ids)


@task()
def prune_finished_tasks() -> int:
    """Keep the task table small: drop results of tasks finished more than a week ago."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted + heartbeat.prune_heartbeats()


def _release_email_claim(result) -> None:
    """A dead worker's claim on a message it was sending would keep the message back for
    `emails.CLAIM`; release it so the task, run again, sends at once.

    Only the claim that attempt made is released: deliver() claims as the task starts, so its
    claim ends within a few seconds of started_at + CLAIM. Anyone else's claim is either
    older (then this attempt could not have claimed) or made after that claim expired, so it
    ends later than started_at + 2 * CLAIM.
    """
    from concord.core.models import OutgoingEmail

    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    message_id = args[0] if args else kwargs.get("message_id")
    if message_id is None or result.started_at is None:
        return
    claim_ends = result.started_at + emails.CLAIM
    OutgoingEmail.objects.filter(
        pk=message_id,
        sent_at__isnull=True,
        claimed_until__gte=claim_ends,
        claimed_until__lte=claim_ends + timedelta(seconds=15),
    ).update(claimed_until=None)


def _before_requeue(result) -> None:
    if result.task_path == deliver_email.module_path:
        _release_email_claim(result)


@task()
def requeue_lost_tasks() -> list[str]:
    """Run again the tasks whose worker died mid-way (see core/heartbeat.py)."""
    return heartbeat.requeue_lost_tasks(on_requeue=_before_requeue)


PERIODIC_JOBS = [
    ("retry-unsent-emails", timedelta(minutes=5), retry_unsent_emails),
    ("prune-finished-tasks", timedelta(days=1), prune_finished_tasks),
    # Often, so a task lost with its worker runs again within about STALE_AFTER + 15 s; the
    # job costs one query on the RUNNING tasks (usually none).
    ("requeue-lost-tasks", timedelta(seconds=10), requeue_lost_tasks),
]
