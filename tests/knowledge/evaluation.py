"""The evaluation set (eval_set.json) and its measures, shared by the tests and
bench/knowledge_search.py: load the 60 case studies, run the 40 queries, score the rankings."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from concord.knowledge import queries, search
from concord.knowledge.models import Practice
from concord.organisations.models import Organisation

EVAL_SET = Path(__file__).resolve().parent / "eval_set.json"


def eval_set() -> dict:
    return json.loads(EVAL_SET.read_text(encoding="utf-8"))


def load_practices(organisation: Organisation, *, vectors: bool = True) -> dict[str, int]:
    """Create and index the case studies; returns {key: practice id}."""
    ids = {}
    for item in eval_set()["practices"]:
        practice = Practice.objects.create(
            organisation=organisation,
            title=item["title"],
            summary=item["summary"],
            language=item["language"],
            setting=item["setting"],
            status=Practice.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        practice.themes.set(item["themes"])
        practice.countries.set([item["country"]])
        search.index_practice(practice.pk)
        ids[item["key"]] = practice.pk
    if vectors:
        for practice_id in ids.values():
            search.compute_vectors(practice_id)
    return ids


def relevant_ids(ids: dict[str, int]) -> dict[str, set[int]]:
    """{topic: ids of the case studies on it}."""
    by_topic: dict[str, set[int]] = {}
    for item in eval_set()["practices"]:
        by_topic.setdefault(item["topic"], set()).add(ids[item["key"]])
    return by_topic


def evaluate(ids: dict[str, int], mode: str, k: int = 5) -> dict[str, float]:
    """Mean recall@k and MRR over the queries, and the share of relevant case studies found
    in the top k that are written in another language than the query."""
    relevant = relevant_ids(ids)
    language = {ids[item["key"]]: item["language"] for item in eval_set()["practices"]}
    recalls, reciprocal, cross_found, cross_total = [], [], 0, 0
    for query in eval_set()["queries"]:
        wanted = relevant[query["topic"]]
        ranked = queries.search_practices(queries.PracticeFilters(q=query["text"], mode=mode)).ids
        top = ranked[:k]
        recalls.append(len(wanted & set(top)) / len(wanted))
        rank = next((i for i, pk in enumerate(ranked, start=1) if pk in wanted), None)
        reciprocal.append(1.0 / rank if rank else 0.0)
        others = {pk for pk in wanted if language[pk] != query["language"]}
        cross_total += len(others)
        cross_found += len(others & set(top))
    n = len(recalls)
    return {
        "recall": sum(recalls) / n,
        "mrr": sum(reciprocal) / n,
        "cross_language_recall": cross_found / cross_total if cross_total else 0.0,
        "queries": n,
    }
