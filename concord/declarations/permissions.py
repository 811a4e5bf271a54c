"""Who may do what with declarations, in one place.

The secretariat manages every declaration; a declaration's drafting committee (named members)
manages that one. Signing rules (eligibility) are checked in services.check_eligibility.
"""

from concord.accounts.queries import verified_addresses
from concord.declarations.models import Declaration
from concord.events.queries import takes_part
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_act_for, is_secretariat, organisations_acted_for


def can_create_declarations(user) -> bool:
    return is_secretariat(user)


def can_manage(user, declaration: Declaration) -> bool:
    if is_secretariat(user):
        return True
    if not (user and user.is_authenticated):
        return False
    return declaration.committee.filter(pk=user.pk).exists()


def can_view(user, declaration: Declaration) -> bool:
    """Drafts are seen by those who manage them; everything else is public."""
    return declaration.status != Declaration.Status.DRAFT or can_manage(user, declaration)


def is_signer(user, signature) -> bool:
    """The signature was made by this signed-in person or with one of their verified
    addresses: they may withdraw it or hide their name."""
    if not (user and user.is_authenticated):
        return False
    return signature.user_id == user.pk or signature.email in verified_addresses(user)


def can_see_brought(user, organisation: Organisation) -> bool:
    """What an organisation's share links brought (its count, its signers' countries) is
    for its own representatives, while it is a member, and for the secretariat."""
    return is_secretariat(user) or can_act_for(user, organisation)


# --- Drafting together (drafting/) -------------------------------------------------------


def _period(declaration: Declaration):
    # The reverse one-to-one raises when absent; a declaration without a period has no audience.
    return getattr(declaration, "comment_period", None)


def can_take_part(user, declaration: Declaration) -> bool:
    """In the audience of the declaration's comment period (whatever its deadline): member
    organisations' representatives, the drafting group's, or the adopting event's
    participants. The committee reads and decides; it need not be in the audience."""
    period = _period(declaration)
    if period is None or not (user and user.is_authenticated):
        return False
    if period.audience == period.Audience.MEMBERS:
        return organisations_acted_for(user).exists()
    if period.audience == period.Audience.GROUP:
        return organisations_acted_for(user).filter(pk__in=period.organisations.all()).exists()
    return takes_part(declaration, email=user.email, user=user)


def can_comment(user, declaration: Declaration) -> bool:
    """May comment and propose amendments now (the service says why not)."""
    period = _period(declaration)
    return period is not None and period.accepts_input() and can_take_part(user, declaration)


def can_decide(user, declaration: Declaration) -> bool:
    """The drafting committee (those who manage the declaration) accepts, merges, rejects."""
    return can_manage(user, declaration)


def can_see_drafting(user, declaration: Declaration) -> bool:
    """A draft's paragraphs, comments and amendments: the committee and the audience; once
    the text is frozen, everyone too if its drafting history is public."""
    if can_manage(user, declaration) or can_take_part(user, declaration):
        return True
    return declaration.texts_frozen and declaration.drafting_history_public


def can_edit_comment(user, comment) -> bool:
    """Nobody edits another's comment, the committee included."""
    return bool(user and user.is_authenticated and comment.author_id == user.pk)


def drafting_organisations(user, declaration: Declaration):
    """The organisations the person may support or propose for: those they act for, within
    the drafting group when there is one."""
    organisations = organisations_acted_for(user)
    period = _period(declaration)
    if period is not None and period.audience == period.Audience.GROUP:
        organisations = organisations.filter(pk__in=period.organisations.all())
    return organisations


def can_endorse(user, declaration: Declaration, organisation: Organisation) -> bool:
    """A member organisation's representative co-sponsors for it, from among those who see
    the draft (its audience and its committee)."""
    return can_act_for(user, organisation) and can_see_drafting(user, declaration)


def can_manage_addressees(user, declaration: Declaration) -> bool:
    """Addressees, deliveries, responses and pledges: those who manage the declaration."""
    return can_manage(user, declaration)
