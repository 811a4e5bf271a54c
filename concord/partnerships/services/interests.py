"""Expressions of interest: sent to the poster, answered once, and an accepted one turned
into a partnership that introduces both sides.

Emails leave through the outbox once the transaction commits. Nobody's address is shown to
the other side before both have chosen to work together.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.core.emails import page_url, queue_email
from concord.core.errors import wrong_state
from concord.organisations.models import Organisation, Representative
from concord.partnerships import permissions
from concord.partnerships.models import (
    ExpressionOfInterest,
    Partner,
    Partnership,
    PartnershipRequest,
)


def _representatives(organisation: Organisation) -> list[User]:
    return [
        rep.user
        for rep in Representative.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _email(person: User, key: str, template: str, context: dict, page: str, pk: int) -> None:
    """One email to `person` in their language, linking to `page` (a URL name) in it."""
    queue_email(
        key=f"{key}:{person.pk}",
        to=person,
        template=f"partnerships/emails/{template}",
        context={**context, "url": page_url(page, pk)},
    )


def express_interest(
    user: User, organisation: Organisation, posted: PartnershipRequest, message: str
) -> ExpressionOfInterest:
    """`organisation` tells the poster it is interested; the poster's representatives are
    emailed through the outbox (nobody's address is shown to the other side)."""
    if not permissions.can_express_interest_for(user, organisation):
        raise PermissionDenied(_("Only representatives of a member organisation may do this."))
    if posted.organisation_id == organisation.pk:
        raise ValidationError(
            {"organisation": [_("An organisation cannot express interest in its own request.")]},
            code="own",
        )
    if not posted.is_open:
        raise wrong_state(_("This request is closed."), code="closed")
    errors = Errors()
    message = checks.text(errors, "message", message, limit=3000, required=True)
    errors.raise_if_any()
    duplicate = wrong_state(
        _("Your organisation has already expressed interest in this."), code="duplicate"
    )
    if ExpressionOfInterest.objects.filter(request=posted, organisation=organisation).exists():
        raise duplicate
    try:
        with transaction.atomic():
            interest = ExpressionOfInterest.objects.create(
                request=posted, organisation=organisation, message=message, created_by=user
            )
            log_event(
                "partnership_interest.expressed", interest, actor=user, request=posted.pk,
                organisation=organisation.pk,
            )  # fmt: skip
            context = {"interested": organisation.name, "title": posted.title, "message": message}
            for person in _representatives(posted.organisation):
                _email(
                    person, f"partnerships.interest:{interest.pk}", "interest_received", context,
                    "partnerships:request", posted.pk,
                )  # fmt: skip
    except IntegrityError:
        raise duplicate from None
    return interest


def _answer(
    user: User, interest: ExpressionOfInterest, status: str, *, notify: bool = True
) -> ExpressionOfInterest:
    if not permissions.can_answer_interest(user, interest):
        raise PermissionDenied(_("Only the requesting organisation may answer."))
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=interest.pk)
    if not locked.is_pending:
        raise wrong_state(
            _("This expression of interest has already been answered."), code="answered"
        )
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    log_event(f"partnership_interest.{status}", locked, actor=user)
    context = {"requester": interest.request.organisation.name, "title": interest.request.title}
    for person in _representatives(interest.organisation) if notify else []:
        _email(
            person, f"partnerships.interest_{status}:{locked.pk}", f"interest_{status}", context,
            "partnerships:request", interest.request_id,
        )  # fmt: skip
    return locked


def accept_interest(user: User, interest: ExpressionOfInterest) -> Partnership:
    """Accepting an expression of interest turns it into a partnership of the two."""
    with transaction.atomic():
        accepted = _answer(user, interest, ExpressionOfInterest.Status.ACCEPTED, notify=False)
        posted = interest.request
        now = timezone.now()
        # Both sides chose each other (one offered, the other accepted): agreed at once.
        partnership = Partnership.objects.create(
            title=posted.title,
            goals=posted.description,
            started_on=timezone.localdate(),
            request=posted,
            interest=accepted,
            created_by=user,
            agreed_at=now,
        )
        Partner.objects.create(
            partnership=partnership, organisation=posted.organisation, role=Partner.Role.LEAD,
            answer=Partner.Answer.ACCEPTED, answered_by=user, answered_at=now,
        )  # fmt: skip
        Partner.objects.create(
            partnership=partnership, organisation=interest.organisation,
            answer=Partner.Answer.ACCEPTED, answered_by_id=interest.created_by_id, answered_at=now,
        )  # fmt: skip
        log_event("partnership.recorded", partnership, actor=user, interest=accepted.pk)
        _introduce(partnership, posted.organisation, interest.organisation)
    return partnership


def _introduce(partnership: Partnership, *organisations: Organisation) -> None:
    """Both sides have now chosen to work together: each side's representatives receive the
    other side's names and addresses (never before), and the link to the partnership."""
    people = {org.pk: _representatives(org) for org in organisations}
    for ours in organisations:
        for theirs in organisations:
            if theirs.pk == ours.pk:
                continue
            contacts = [f"{p.name or p.email} <{p.email}>" for p in people[theirs.pk]]
            context = {
                "title": partnership.title, "ours": ours.name, "theirs": theirs.name,
                "contacts": contacts,
            }  # fmt: skip
            for person in people[ours.pk]:
                _email(
                    person, f"partnerships.introduced:{partnership.pk}:{theirs.pk}",
                    "partnership_started", context, "partnerships:partnership", partnership.pk,
                )  # fmt: skip


def decline_interest(user: User, interest: ExpressionOfInterest) -> ExpressionOfInterest:
    with transaction.atomic():
        return _answer(user, interest, ExpressionOfInterest.Status.DECLINED)
