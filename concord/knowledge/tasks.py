"""The knowledge app's periodic job: catch up on missing vectors. The vector refresh after a
change, `search.refresh_search`, lives beside the indexing it runs."""

from datetime import timedelta

from django.db.models import Q
from django_tasks import task

from concord.knowledge import search
from concord.knowledge.embeddings import get_embedder
from concord.knowledge.models import Practice, SearchDocument


@task()
def embed_missing_vectors(batch: int = 100) -> int:
    """Catch up on documents without a vector of the current model: a task lost with its
    worker, a model switched on later, or a new model configured. Bounded per run."""
    embedder = get_embedder()
    if embedder is None:
        return 0
    practice_ids = (
        SearchDocument.objects.filter(practice__status=Practice.Status.PUBLISHED)
        .filter(Q(vector__isnull=True) | ~Q(vector_model=embedder.name))
        .values_list("practice_id", flat=True)
        .distinct()[:batch]
    )
    return sum(search.compute_vectors(practice_id) for practice_id in list(practice_ids))


# Bounded batches every 10 minutes; `concord embed_vectors` catches up all at once.
PERIODIC_JOBS = [("embed-missing-vectors", timedelta(minutes=10), embed_missing_vectors)]
