"""Who may do what with partnerships and funding calls: every rule in one place.

A person acts for an organisation when they represent a member organisation
(`organisations.permissions.can_act_for`). Funding calls are entered by the secretariat or
by funders (people given the `partnerships.add_fundingcall` permission, e.g. through a
"Funders" group in the back office).
"""

from django.db.models import QuerySet

from concord.organisations.models import Organisation, Representative
from concord.organisations.permissions import (
    can_act_for,
    is_secretariat,
    organisations_acted_for,
    organisations_administered,
    role_in,
)
from concord.partnerships.models import (
    ExpressionOfInterest,
    Partner,
    Partnership,
    PartnershipRequest,
)


def can_post_for(user, organisation: Organisation) -> bool:
    return can_act_for(user, organisation)


def can_manage_request(user, request: PartnershipRequest) -> bool:
    return is_secretariat(user) or can_act_for(user, request.organisation)


def can_express_interest_for(user, organisation: Organisation) -> bool:
    return can_act_for(user, organisation)


def can_answer_interest(user, interest: ExpressionOfInterest) -> bool:
    return can_act_for(user, interest.request.organisation)


def organisations_answering_interests(user) -> QuerySet[Organisation]:
    """The organisations whose requests' interests `can_answer_interest` lets the person
    answer, in one query."""
    return organisations_acted_for(user)


def can_see_interest(user, interest: ExpressionOfInterest) -> bool:
    return (
        is_secretariat(user)
        or can_act_for(user, interest.request.organisation)
        or can_act_for(user, interest.organisation)
    )


def can_record_partnership(user, organisations: list[Organisation]) -> bool:
    return is_secretariat(user) or any(can_act_for(user, org) for org in organisations)


def can_work_on(user, partnership: Partnership) -> bool:
    """Add deliverables and file progress reports: the representatives of the partners that
    accepted (an organisation named by someone else has no say before it accepts)."""
    partners = [
        member.organisation
        for member in partnership.members.all()
        if member.answer == Partner.Answer.ACCEPTED
    ]
    return is_secretariat(user) or any(can_act_for(user, org) for org in partners)


def can_answer_for(user, organisation: Organisation) -> bool:
    """Accept or decline a place in a partnership: only the named organisation's admins (not
    even the secretariat speaks for it)."""
    return organisation.is_member and role_in(user, organisation) == Representative.Role.ADMIN


def organisations_answered_for(user) -> QuerySet[Organisation]:
    """The organisations `can_answer_for` allows, in one query (for "waiting for me")."""
    return organisations_administered(user).filter(status=Organisation.Status.MEMBER)


def is_involved(user, partnership: Partnership) -> bool:
    """Who recorded it, the named organisations' representatives and the secretariat."""
    if not (user and user.is_authenticated):
        return False
    if is_secretariat(user) or partnership.created_by_id == user.pk:
        return True
    named = [member.organisation_id for member in partnership.members.all()]
    return Representative.objects.filter(user=user, organisation_id__in=named).exists()


def can_see_partnership(user, partnership: Partnership) -> bool:
    """Public once every named organisation has answered; before, only the people involved."""
    return partnership.is_agreed or is_involved(user, partnership)


def can_enter_funding_calls(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return is_secretariat(user) or user.has_perm("partnerships.add_fundingcall")


def can_track_applications(user, organisation: Organisation) -> bool:
    return can_act_for(user, organisation)


def can_see_funding_matches(user, organisation: Organisation) -> bool:
    """Which calls an organisation is eligible for is public for members."""
    return organisation.is_member or is_secretariat(user)
