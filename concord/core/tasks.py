"""Background tasks shared by every app. Tasks take primary keys and call services."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from concord.core import emails


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
    return deleted


PERIODIC_JOBS = [
    ("retry-unsent-emails", timedelta(minutes=5), retry_unsent_emails),
    ("prune-finished-tasks", timedelta(days=1), prune_finished_tasks),
]
