"""Reads: the mailings and audiences a person may see, and the public archive."""

from django.db.models import Q, QuerySet

from concord.mailings import permissions
from concord.mailings.models import Audience, Mailing
from concord.organisations.permissions import is_secretariat


def mailings_for(user) -> QuerySet[Mailing]:
    if is_secretariat(user):
        return Mailing.objects.all()
    return Mailing.objects.filter(
        organisation__in=[o.pk for o in permissions.admin_organisations(user)]
    )


def audiences_for(user) -> list[Audience]:
    """The saved audiences this person may send to."""
    if is_secretariat(user):
        return list(Audience.objects.all())
    mine = Audience.objects.filter(
        organisation__in=[o.pk for o in permissions.admin_organisations(user)]
    )
    return [audience for audience in mine if permissions.can_use_audience(user, audience)]


def archive() -> QuerySet[Mailing]:
    """Public mailings that went out, newest first, with their versions."""
    return (
        Mailing.objects.filter(public=True)
        .filter(Q(status=Mailing.Status.SENT) | Q(status=Mailing.Status.SENDING))
        .order_by("-send_at", "-pk")
        .prefetch_related("texts")
    )
