"""Who may do what with declarations, in one place.

The secretariat manages every declaration; a declaration's drafting committee (named members)
manages that one. Signing rules (eligibility) are checked in services.check_eligibility.
"""

from concord.declarations.models import Declaration
from concord.organisations.permissions import is_secretariat


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
