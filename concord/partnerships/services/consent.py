"""Consent of the organisations a partnership names: nobody lists an organisation as a
partner without it. Each named organisation's admins are emailed (through the outbox) and one
of them accepts or declines; once every one has answered and at least two accepted, the
partnership is public (`Partnership.is_agreed`), listing only those that accepted.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.emails import page_url, queue_email
from concord.core.errors import wrong_state
from concord.organisations.models import Organisation, Representative
from concord.partnerships import permissions
from concord.partnerships.models import Partner, Partnership


def admins_of(organisation: Organisation) -> list[User]:
    return [
        rep.user
        for rep in Representative.objects.filter(
            organisation=organisation, role=Representative.Role.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    ]


def ask_partners(user: User, partnership: Partnership) -> None:
    """Inside the transaction that records `partnership`: the organisations `user` is an admin
    of have accepted by recording it; every other one's admins are asked by email."""
    members = list(partnership.members.select_related("organisation"))
    now = timezone.now()
    for member in members:
        if permissions.can_answer_for(user, member.organisation):
            member.answer, member.answered_by, member.answered_at = (
                Partner.Answer.ACCEPTED, user, now,
            )  # fmt: skip
            member.save(update_fields=["answer", "answered_by", "answered_at"])
    for member in members:
        if not member.awaits_answer:
            continue
        others = [m.organisation.name for m in members if m.pk != member.pk]
        for person in admins_of(member.organisation):
            queue_email(
                key=f"partnerships.named:{partnership.pk}:{member.organisation_id}:{person.pk}",
                to=person,
                template="partnerships/emails/partnership_named",
                context={
                    "title": partnership.title,
                    "organisation": member.organisation.name,
                    # Translated as the message renders, not in the sender's language.
                    "role": Partner.Role(member.role).label,
                    "others": ", ".join(others),
                    "url": page_url("partnerships:partnership", partnership.pk),
                },
            )
    _settle(partnership)


def _settle(partnership: Partnership) -> None:
    """Agreed once nobody is left to answer and at least two organisations work together."""
    answers = list(partnership.members.values_list("answer", flat=True))
    if Partner.Answer.PENDING in answers or answers.count(Partner.Answer.ACCEPTED) < 2:
        return
    partnership.agreed_at = timezone.now()
    partnership.save(update_fields=["agreed_at"])
    log_event("partnership.agreed", partnership)


def answer_partnership(
    user: User, partnership: Partnership, organisation: Organisation, *, accept: bool
) -> Partner:
    """An admin of a named organisation accepts or declines its place, once."""
    if not permissions.can_answer_for(user, organisation):
        raise PermissionDenied(_("Only an admin of the named organisation may answer."))
    with transaction.atomic():
        member = (
            Partner.objects.select_for_update()
            .filter(partnership=partnership, organisation=organisation)
            .first()
        )
        if member is None:
            raise PermissionDenied(_("This partnership does not name your organisation."))
        if not member.awaits_answer:
            raise wrong_state(_("Your organisation has already answered."), code="answered")
        member.answer = Partner.Answer.ACCEPTED if accept else Partner.Answer.DECLINED
        member.answered_by, member.answered_at = user, timezone.now()
        member.save(update_fields=["answer", "answered_by", "answered_at"])
        log_event(
            f"partnership.partner_{member.answer}", partnership, actor=user,
            organisation=organisation.pk,
        )  # fmt: skip
        _settle(partnership)
    return member
