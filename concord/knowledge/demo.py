"""This app's part of the demo dataset: published case studies in the nine languages of the
interface, each by a demo member of the city it tells about, some with translations, one
awaiting review, and adaptations by members elsewhere that work on the same subject."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from concord.knowledge import search
from concord.knowledge.models import Adaptation, BuildingBlock, Practice, Translation
from concord.organisations import demo as organisations_demo

DATA = Path(__file__).resolve().parent / "data" / "demo_case_studies.json"
# Themes every other case study has: sharing them says nothing about the subject.
GENERIC_THEMES = {"adaptation", "mitigation"}


def owner_for(item: dict):
    """The member of the case study's city that works on all its themes (an anchor)."""
    return organisations_demo.member(item["country"], item["city"], item["themes"])


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    now = timezone.now()
    practices, translations = {}, 0
    items = data["practices"]
    for index, item in enumerate(items):
        owner = owner_for(item)
        if owner is None:
            continue  # a small demo has no member there: leave the story out, not misplace it
        author = owner.representatives.select_related("user").order_by("pk").first()
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
        BuildingBlock.objects.create(practice=practice, **data["blocks"][item["language"]])
        for language, text in item.get("translations", {}).items():
            Translation.objects.create(
                practice=practice,
                language=language,
                title=text["title"],
                summary=text["summary"],
                translated_by=author.user if author else None,
            )
            translations += 1
        practices[item["title"]] = practice

    adaptations = 0
    for entry in data["adaptations"]:
        practice = practices.get(entry["practice"])
        if practice is None or not practice.is_published:
            continue
        subject = {t.slug for t in practice.themes.all()} - GENERIC_THEMES
        adapter = organisations_demo.member(entry["country"], entry["city"], sorted(subject))
        if adapter is None or adapter.pk == practice.organisation_id:
            continue
        person = adapter.representatives.select_related("user").order_by("pk").first()
        Adaptation.objects.create(
            practice=practice,
            organisation=adapter,
            country_id=adapter.country_id,
            place=adapter.city,
            account=entry["account"],
            created_by=person.user if person else None,
        )
        adaptations += 1
    for practice in practices.values():
        if practice.is_published:
            search.index_practice(practice.pk)
            # ~70 short texts: a few seconds on two cores, so the demo searches by meaning at once.
            search.compute_vectors(practice.pk)
    return {
        "case studies": len(practices),
        "translations": translations,
        "adaptations": adaptations,
    }
