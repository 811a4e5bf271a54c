"""Mailings' periodic job: start the scheduled ones that are due and release each sending
mailing's next messages at `MAILING_RATE` a minute (services/sending.py)."""

from datetime import timedelta

from django_tasks import task

from concord.mailings.services import sending


@task()
def send_mailings() -> int:
    return sending.release_all()


PERIODIC_JOBS = [
    ("send-mailings", timedelta(seconds=sending.TICK_SECONDS), send_mailings),
]
