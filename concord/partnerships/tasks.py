"""Background work for partnerships. Tasks take primary keys and call services."""

from datetime import timedelta

from django_tasks import task

from concord.partnerships import digests, vectors


@task()
def embed_request(request_id: int) -> bool:
    return vectors.embed("request", request_id)


@task()
def embed_organisation(organisation_id: int) -> bool:
    return vectors.embed("organisation", organisation_id)


@task()
def send_weekly_digests() -> int:
    """Each person's digest for this ISO week; the outbox key makes a second run a no-op."""
    return digests.send_weekly_digests()


PERIODIC_JOBS = [
    # Checked every few hours; each person gets at most one digest per ISO week.
    ("partnerships-weekly-digest", timedelta(hours=6), send_weekly_digests),
]
