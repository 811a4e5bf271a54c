"""Case-study search: quality on the evaluation set, then latency over 50,000 case studies.

    python bench/knowledge_search.py [--db sqlite|postgres] [--size 50000] [--queries 200]

1. Quality: loads tests/knowledge/eval_set.json (60 case studies in five languages, 40
   queries) into a fresh database, and prints recall@5 and MRR for fulltext, semantic and
   hybrid search.
2. Latency: adds synthetic published case studies up to --size (texts recombined from the
   evaluation set's sentences, with invented places and figures; vectors made by perturbing
   the real vectors of the evaluation set, so 50,000 texts need not be embedded), then times
   `queries.search_practices()` in-process for each mode: one query embedding, one matrix
   product, the SQL, and loading the first page of 20. Prints p50/p95 in milliseconds.

Prints Markdown tables; bench/knowledge_eval.md holds the figures of the last recorded run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# One BLAS thread: the matrix product is memory-bound, and spare threads spin-waiting for a
# core cost more than they give on a busy machine (12.7 ms vs 5.2 ms median at 50,000 rows).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db: str) -> None:
    tmp = tempfile.mkdtemp(prefix="concord-knowledge-bench-")
    os.environ["CONCORD_VAR_DIR"] = tmp
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    if db == "postgres":
        name = "concord_knowledge_bench"
        base = "postgres://postgres@127.0.0.1:5432"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(
                ["psql", f"{base}/postgres", "-qc", sql], check=True, capture_output=True
            )
        os.environ["DATABASE_URL"] = f"{base}/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def quality() -> tuple[dict, dict[str, dict]]:
    from concord.organisations.models import Organisation
    from tests.knowledge import evaluation

    organisation = Organisation.objects.create(name="Evaluation", country_id="SN", status="member")
    started = time.perf_counter()
    ids = evaluation.load_practices(organisation)
    print(f"loaded and embedded 60 case studies in {time.perf_counter() - started:.1f} s")
    results = {mode: evaluation.evaluate(ids, mode) for mode in ("fulltext", "semantic", "hybrid")}
    return ids, results


def synthesise(size: int, ids: dict[str, int], seed: int = 7) -> None:
    """Bulk-insert published case studies (and their search rows) up to `size`."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from concord.knowledge import fulltext, search
    from concord.knowledge.embeddings import from_bytes, get_embedder, to_bytes
    from concord.knowledge.models import Practice, SearchDocument
    from concord.organisations.models import Organisation
    from tests.knowledge import evaluation

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    items = evaluation.eval_set()["practices"]
    embedder = get_embedder()
    real = {}
    for document in SearchDocument.objects.filter(vector__isnull=False):
        real[document.practice_id] = from_bytes(bytes(document.vector), embedder.dim)[0]
    by_key = {item["key"]: (item, real.get(ids[item["key"]])) for item in items}
    places = ["north", "south", "east", "west", "upper", "lower", "central", "delta", "valley"]
    organisation = Organisation.objects.get(name="Evaluation")
    themes = dict(Practice.themes.through.objects.values_list("practice_id", "theme_id"))
    existing = Practice.objects.count()
    todo = size - existing
    batch = 2000
    now = timezone.now()
    started = time.perf_counter()
    while todo > 0:
        n = min(batch, todo)
        chosen = [rng.choice(items) for _ in range(n)]
        with transaction.atomic():
            practices = Practice.objects.bulk_create(
                Practice(
                    organisation=organisation,
                    title=f"{item['title']} ({rng.choice(places)} {rng.randint(1, 999)})",
                    summary=item["summary"] + " " + rng.choice(items)["summary"].split(".")[0],
                    language=item["language"],
                    setting=item["setting"],
                    status="published",
                    published_at=now,
                )
                for item in chosen
            )
            Practice.themes.through.objects.bulk_create(
                Practice.themes.through(practice_id=p.pk, theme_id=item["themes"][0])
                for p, item in zip(practices, chosen, strict=True)
            )
            Practice.countries.through.objects.bulk_create(
                Practice.countries.through(practice_id=p.pk, country_id=item["country"])
                for p, item in zip(practices, chosen, strict=True)
            )
            vectors = []
            for item in chosen:
                base = by_key[item["key"]][1]
                noisy = base + nrng.normal(0, 0.02, base.shape).astype(np.float32)
                vectors.append(noisy / np.linalg.norm(noisy))
            documents = SearchDocument.objects.bulk_create(
                SearchDocument(
                    practice_id=p.pk,
                    language=p.language,
                    title=p.title,
                    body=p.summary,
                    vector=to_bytes(v),
                    vector_model=embedder.name,
                    vector_source="synthetic",
                )
                for p, v in zip(practices, vectors, strict=True)
            )
            with connection.cursor() as cursor:
                fulltext.write(
                    cursor,
                    connection.vendor,
                    [(d.pk, d.language, d.title, d.body) for d in documents],
                )
            search.bump_index_version()
        todo -= n
    del themes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"synthesised up to {Practice.objects.count()} case studies in {time.perf_counter() - started:.0f} s"
    )


def latency(n_queries: int) -> dict[str, dict[str, float]]:
    from concord.knowledge import queries, search
    from concord.knowledge.embeddings import get_embedder
    from tests.knowledge import evaluation

    texts = [q["text"] for q in evaluation.eval_set()["queries"]]
    filters = [{}, {"theme": "oceans-coasts"}, {"language": "fr"}, {"group": "sids"}]
    search.semantic_matrix(get_embedder())  # the first query in a process loads the matrix
    result = {}
    for mode in ("fulltext", "semantic", "hybrid"):
        timings = []
        for i in range(n_queries):
            chosen = {"q": texts[i % len(texts)], "mode": mode, **filters[i % len(filters)]}
            search._cached_query_vector.cache_clear()  # measure the embedding every time
            started = time.perf_counter()
            found = queries.search_practices(queries.PracticeFilters(**chosen))
            found.page(0, 20)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        result[mode] = {
            "p50": statistics.median(timings),
            "p95": timings[int(0.95 * len(timings)) - 1],
            "max": timings[-1],
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup(args.db)
    ids, results = quality()
    print(f"\n### Quality ({args.db}, 60 case studies, 40 queries)\n")
    print("| mode | recall@5 | MRR | recall@5 of case studies in another language |")
    print("| --- | --- | --- | --- |")
    for mode, r in results.items():
        print(f"| {mode} | {r['recall']:.3f} | {r['mrr']:.3f} | {r['cross_language_recall']:.3f} |")
    synthesise(args.size, ids)
    timings = latency(args.queries)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n### Latency ({args.db}, {args.size:,} case studies, {args.queries} queries per mode,"
        f" {os.cpu_count()} cores, load average {load})\n"
    )
    print("| mode | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- |")
    for mode, t in timings.items():
        print(f"| {mode} | {t['p50']:.1f} | {t['p95']:.1f} | {t['max']:.1f} |")


if __name__ == "__main__":
    main()
