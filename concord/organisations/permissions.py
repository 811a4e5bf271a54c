"""Who may do what with organisations: every rule in one place, as small can_* functions.

Roles: the secretariat (platform staff, `user.is_staff`), an organisation admin and a
representative (rows of Representative). Anyone else is an outsider.
"""

from concord.organisations.models import Organisation, Representative


def is_secretariat(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def role_in(user, organisation: Organisation) -> str | None:
    if not (user and user.is_authenticated):
        return None
    return (
        Representative.objects.filter(organisation=organisation, user=user)
        .values_list("role", flat=True)
        .first()
    )


def can_apply(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view(user, organisation: Organisation) -> bool:
    """Members are public; applications are seen by the applicants and the secretariat."""
    if organisation.status == Organisation.Status.MEMBER:
        return True
    return is_secretariat(user) or role_in(user, organisation) is not None


def can_edit(user, organisation: Organisation) -> bool:
    return is_secretariat(user) or role_in(user, organisation) == Representative.Role.ADMIN


def can_manage_representatives(user, organisation: Organisation) -> bool:
    return can_edit(user, organisation)


def can_review_applications(user) -> bool:
    return is_secretariat(user)


def can_act_for(user, organisation: Organisation) -> bool:
    """May sign or speak on behalf of the organisation (an admin or a representative)."""
    return organisation.is_member and role_in(user, organisation) is not None
