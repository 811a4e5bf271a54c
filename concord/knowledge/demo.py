"""This app's part of the demo dataset: about forty published case studies in five languages,
owned by demo member organisations, a few adaptations, and one awaiting review."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from concord.knowledge import search
from concord.knowledge.models import Adaptation, BuildingBlock, Practice
from concord.organisations.models import Organisation

DATA = Path(__file__).resolve().parent / "data" / "demo_case_studies.json"

BLOCKS = {
    "en": (
        "Community committees",
        "Local leaders who own the work",
        "Start small and show results within a season.",
    ),
    "fr": (
        "Comités villageois",
        "Des responsables locaux qui portent le travail",
        "Commencer petit et montrer des résultats en une saison.",
    ),
    "es": (
        "Comités comunitarios",
        "Líderes locales que se apropian del trabajo",
        "Empezar en pequeño y mostrar resultados en una temporada.",
    ),
    "pt": (
        "Comités comunitários",
        "Líderes locais que assumem o trabalho",
        "Começar pequeno e mostrar resultados numa estação.",
    ),
    "ar": (
        "لجان مجتمعية",
        "قادة محليون يتبنّون العمل",
        "البدء بخطوات صغيرة وإظهار النتائج خلال موسم واحد.",
    ),
}


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    members = list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER)
        .prefetch_related("representatives")
        .order_by("pk")
    )
    if not members:
        return {}
    by_country: dict[str, list[Organisation]] = {}
    for organisation in members:
        by_country.setdefault(organisation.country_id, []).append(organisation)
    items = json.loads(DATA.read_text(encoding="utf-8"))["practices"]
    now = timezone.now()
    practices = []
    for index, item in enumerate(items):
        owner = rng.choice(by_country.get(item["country"]) or members)
        author = next(iter(owner.representatives.all()), None)
        submitted = index == len(items) - 1  # the last one waits for the secretariat
        practice = Practice.objects.create(
            organisation=owner,
            title=item["title"],
            summary=item["summary"],
            language=item["language"],
            setting=item["setting"],
            status=Practice.Status.SUBMITTED if submitted else Practice.Status.PUBLISHED,
            adaptation="principal" if "adaptation" in item["themes"] else "",
            mitigation="principal" if "mitigation" in item["themes"] else "",
            created_by=author.user if author else None,
            submitted_at=now - timedelta(days=2),
            published_at=None if submitted else now - timedelta(days=rng.randint(3, 700)),
        )
        practice.themes.set(item["themes"])
        practice.countries.set([item["country"]])
        practice.sdgs.set([13])
        title, factors, lessons = BLOCKS[item["language"]]
        BuildingBlock.objects.create(
            practice=practice, title=title, enabling_factors=factors, lessons=lessons
        )
        practices.append(practice)
    published = [p for p in practices if p.status == Practice.Status.PUBLISHED]
    adaptations = 0
    for practice in rng.sample(published, min(8, len(published))):
        for organisation in rng.sample(members, 2):
            if organisation.pk == practice.organisation_id:
                continue
            Adaptation.objects.get_or_create(
                practice=practice,
                organisation=organisation,
                country_id=organisation.country_id,
                defaults={
                    "account": "We adapted this with our members; the first season went well."
                },
            )
            adaptations += 1
    for practice in published:
        search.index_practice(practice.pk)
        # ~40 short texts: a few seconds on two cores, so the demo searches by meaning at once.
        search.compute_vectors(practice.pk)
    return {"case studies": len(practices), "adaptations": adaptations}
