"""Who may do what with declarations, in one place.

The secretariat manages every declaration; a declaration's drafting committee (named members)
manages that one. Signing rules (eligibility) are checked in services.check_eligibility.
"""

from concord.accounts.queries import verified_addresses
from concord.declarations.models import Declaration
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_act_for, is_secretariat


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
