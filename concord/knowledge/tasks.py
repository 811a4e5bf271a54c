"""Background work for search: index a case study and compute its vectors after a change."""

from django_tasks import task

from concord.knowledge import search


@task()
def refresh_search(practice_id: int) -> int:
    """Idempotent: brings the search documents in line, then embeds what changed."""
    search.index_practice(practice_id)
    return search.compute_vectors(practice_id)


PERIODIC_JOBS: list = []
