"""Periodic jobs for partnerships; the tasks a save queues live beside their work
(`vectors.py`)."""

from datetime import timedelta

from django_tasks import task

from concord.partnerships import digests


@task()
def send_weekly_digests() -> int:
    """Each person's digest for this ISO week; the outbox key makes a second run a no-op."""
    return digests.send_weekly_digests()


PERIODIC_JOBS = [
    # Checked every few hours; each person gets at most one digest per ISO week.
    ("partnerships-weekly-digest", timedelta(hours=6), send_weekly_digests),
]
