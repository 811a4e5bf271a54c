"""What the knowledge app holds about one person: what they wrote, for their "my Concord"
page (`practices_written_by`) and their download (`personal_data`). Beside queries.py rather
than in it, which is at the length limit."""

from django.db.models import QuerySet

from concord.knowledge.models import Adaptation, Practice, Translation


def practices_written_by(user) -> QuerySet[Practice]:
    """The case studies the person started, any status, the last changed first (one query).
    Their organisation's other case studies are on `queries.practices_of`."""
    if not (user and user.is_authenticated):
        return Practice.objects.none()
    return (
        Practice.objects.filter(created_by=user)
        .select_related("organisation")
        .order_by("-updated_at", "-pk")
    )


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
