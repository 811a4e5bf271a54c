"""Who hears about a case study: its authors (the owning organisation's representatives) and
the secretariat, with links back to the site."""

from django.db.models import QuerySet
from django.utils import timezone

from concord.core.emails import page_url, queue_email
from concord.knowledge.models import Practice
from concord.organisations.models import Representative


def representatives_of(organisation_id: int) -> QuerySet[Representative]:
    return Representative.objects.filter(
        organisation_id=organisation_id, user__is_active=True
    ).select_related("user")


def notify_authors(practice: Practice, event: str) -> None:
    stamp = timezone.now().isoformat()
    for rep in representatives_of(practice.organisation_id):
        queue_email(
            key=f"practice.{event}:{practice.pk}:{stamp}:{rep.user_id}",
            to=rep.user,
            template=f"knowledge/emails/{event}",
            context={"practice": practice, "url": page_url("knowledge:detail", practice.pk)},
        )
