"""Working groups' periodic job: the daily digest (notify.py)."""

from datetime import timedelta

from django_tasks import task

from concord.groups import notify


@task()
def send_group_digests() -> int:
    return notify.send_digests()


PERIODIC_JOBS = [
    ("group-digests", timedelta(days=1), send_group_digests),
]
