"""Forgetting a person who deletes their account: their places in organisations.

Someone must still manage each member organisation, so the last admin hands over first;
what a person wrote for an organisation stays with it, unsigned.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import wrong_state
from concord.organisations.models import Invitation, Organisation, Representative


def organisations_left_without_admin(user: User) -> list[Organisation]:
    """Member organisations `user` is the last admin of: they would be left with nobody to
    manage them, so the person must hand over before leaving the platform."""
    return [
        representation.organisation
        for representation in Representative.objects.filter(
            user=user,
            role=Representative.Role.ADMIN,
            organisation__status=Organisation.Status.MEMBER,
        ).select_related("organisation")
        if not Representative.objects.filter(
            organisation=representation.organisation, role=Representative.Role.ADMIN
        )
        .exclude(user=user)
        .exists()
    ]


def check_can_forget(user: User) -> None:
    """409 while the person is the last admin of a member organisation."""
    orphans = organisations_left_without_admin(user)
    if orphans:
        raise wrong_state(
            _(
                "You are the last admin of %(organisations)s. Make a colleague an admin "
                "(or ask the secretariat to), then delete your account."
            )
            % {"organisations": ", ".join(organisation.name for organisation in orphans)},
            code="last_admin",
        )


def forget_person(user: User, addresses: list[str]) -> None:
    """Remove the person's links to organisations and the invitations still waiting for
    their addresses. What they wrote for an organisation stays with it, unsigned."""
    with transaction.atomic():
        check_can_forget(user)
        for representation in Representative.objects.filter(user=user).select_related(
            "organisation"
        ):
            log_event("representative.left", representation.organisation, role=representation.role)
            representation.delete()
        Invitation.objects.filter(email__in=addresses, accepted_at__isnull=True).delete()
