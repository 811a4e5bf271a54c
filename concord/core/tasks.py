"""Core's periodic jobs. One-off tasks live beside the work they run (`emails.deliver_email`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from concord.core import emails, heartbeat, idempotency
from concord.core.models import OutgoingEmail


@task()
def retry_unsent_emails() -> int:
    """Deliver messages whose first attempt failed (e.g. the mail server was down)."""
    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        OutgoingEmail.objects.filter(
            sent_at__isnull=True,
            refused_at__isnull=True,
            held=False,
            created_at__lt=stale,
            attempts__lt=10,
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
    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted + heartbeat.prune_heartbeats()


@task()
def requeue_lost_tasks() -> list[str]:
    """Run again the tasks whose worker died mid-way (see core/heartbeat.py)."""
    return heartbeat.requeue_lost_tasks(on_requeue=emails.release_lost_claim)


@task()
def clear_old_email_bodies() -> int:
    """Retention: a delivered email's body is kept EMAIL_RETENTION_DAYS, then emptied."""
    return emails.clear_delivered_bodies(settings.EMAIL_RETENTION_DAYS)


@task()
def forget_idempotency_keys() -> int:
    """Delete the answers kept for Idempotency-Keys once they are a day old."""
    return idempotency.forget_old()


PERIODIC_JOBS = [
    ("retry-unsent-emails", timedelta(minutes=5), retry_unsent_emails),
    ("prune-finished-tasks", timedelta(days=1), prune_finished_tasks),
    ("clear-old-email-bodies", timedelta(hours=1), clear_old_email_bodies),
    ("forget-idempotency-keys", timedelta(hours=1), forget_idempotency_keys),
    # Often, so a task lost with its worker runs again within about STALE_AFTER + 15 s; the
    # job costs one query on the RUNNING tasks (usually none).
    ("requeue-lost-tasks", timedelta(seconds=10), requeue_lost_tasks),
]
