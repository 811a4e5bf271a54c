"""Who may do what with case studies: every rule in one place, as small can_* functions.

Representatives (admins or not) of a member organisation write its case studies; the
secretariat reviews them; any member organisation's representative records adaptations.
"""

from concord.knowledge.models import Practice
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_act_for, is_secretariat


def can_write_for(user, organisation: Organisation) -> bool:
    return can_act_for(user, organisation)


def can_edit(user, practice: Practice) -> bool:
    if practice.awaits_review:
        return False  # with the secretariat until it publishes or returns it
    return is_secretariat(user) or can_act_for(user, practice.organisation)


def can_submit(user, practice: Practice) -> bool:
    return practice.can_be_submitted and can_act_for(user, practice.organisation)


def can_review(user) -> bool:
    return is_secretariat(user)


def can_view(user, practice: Practice) -> bool:
    """Published case studies are public; others are seen by their authors and the secretariat."""
    if practice.status == Practice.Status.PUBLISHED:
        return True
    return is_secretariat(user) or can_act_for(user, practice.organisation)


def can_see_unreviewed_media(user, practice: Practice) -> bool:
    """A draft's photos and PDFs, or those added after publication and not yet reviewed."""
    return is_secretariat(user) or can_act_for(user, practice.organisation)


def can_record_adaptation(user, practice: Practice, organisation: Organisation) -> bool:
    return (
        practice.status == Practice.Status.PUBLISHED
        and organisation.pk != practice.organisation_id
        and can_act_for(user, organisation)
    )


def can_contact(user, practice: Practice) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and practice.status == "published"
    )
