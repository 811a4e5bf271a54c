"""The declarations' periodic jobs. Tasks that run one piece of work sit beside it: the PDF
build in pdf.py, the CSV import in imports.py, the signature intake in intake.py."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from concord.declarations.intake import process_signature_intake
from concord.declarations.log import sealing
from concord.declarations.services import scheduled


@task()
def close_due_declarations() -> list[str]:
    return scheduled.close_due_declarations()


@task()
def notify_reached_goals() -> list[str]:
    return scheduled.notify_reached_goals()


@task()
def reconcile_tallies() -> list[str]:
    return scheduled.reconcile_tallies()


@task()
def delete_expired_signatures() -> int:
    return scheduled.delete_expired_signatures()


@task()
def seal_logs() -> list[str]:
    return sealing.seal_waiting()


PERIODIC_JOBS = [
    # Each acceptance enqueues a run itself; this catches what a lost task left behind.
    ("process-signature-intake", timedelta(minutes=1), process_signature_intake),
    ("close-due-declarations", timedelta(minutes=1), close_due_declarations),
    ("notify-reached-goals", timedelta(minutes=1), notify_reached_goals),
    ("reconcile-tallies", timedelta(minutes=10), reconcile_tallies),
    ("delete-expired-signatures", timedelta(minutes=10), delete_expired_signatures),
    # A signed head at most this often while signatures arrive (and on closing, at once).
    ("seal-logs", timedelta(minutes=settings.LOG_HEAD_MINUTES), seal_logs),
]
