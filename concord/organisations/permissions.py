"""Who may do what with organisations: every rule in one place, as small can_* functions.

Roles: the secretariat (platform staff, `user.is_staff`), an organisation admin and a
representative (rows of Representative). Anyone else is an outsider.

A list that would ask a `can_*` once per row (a query each) asks its set form instead, written
beside it here, so both say the same (tests/security/test_permission_sets.py checks it).
"""

from django.db.models import QuerySet

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


def organisations_acted_for(user) -> QuerySet[Organisation]:
    """The organisations `can_act_for` allows, in one query (the member organisations the
    person represents, whatever their role)."""
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        status=Organisation.Status.MEMBER, representatives__user=user
    )


def organisations_administered(user) -> QuerySet[Organisation]:
    """The organisations whose admin the person is, whatever their status: those `can_edit`
    allows, leaving aside the secretariat's right over all of them."""
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        representatives__user=user, representatives__role=Representative.Role.ADMIN
    )
