"""What the knowledge app holds about one person, for their download (`personal_data`).
Beside queries.py rather than in it, which is at the length limit."""

from concord.knowledge.models import Adaptation, Practice, Translation


def personal_data(user) -> dict:
    """Case studies, versions and adaptations the person wrote (kept by the organisation)."""
    mine = Practice.objects.filter(created_by=user).select_related("organisation")
    return {
        "case_studies": [
            {
                "title": p.title,
                "organisation": p.organisation.name,
                "status": p.status,
                "summary": p.summary,
                "created": p.created_at,
            }
            for p in mine.order_by("created_at", "pk")
        ],
        "case_study_translations": list(
            Translation.objects.filter(translated_by=user)
            .values("practice__title", "language", "title")
            .order_by("pk")
        ),
        "adaptations": list(
            Adaptation.objects.filter(created_by=user)
            .values("practice__title", "country_id", "place", "account", "created_at")
            .order_by("pk")
        ),
    }
