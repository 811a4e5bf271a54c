"""Creating groups, joining them (at once or by request), approving, leaving, removing, and
each member's choice of mail."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.errors import Refused, wrong_state
from concord.groups import permissions
from concord.groups.models import NAME_MAX, Group, Membership


@dataclass
class GroupInput:
    name: str
    purpose: str = ""
    language: str = "en"
    kind: str = Group.Kind.THEMATIC
    admission: str = Group.Admission.OPEN
    visibility: str = Group.Visibility.PUBLIC
    # Other languages' versions: {"fr": {"name": ..., "purpose": ...}}
    translations: dict = field(default_factory=dict)


def _check(data: GroupInput) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("Give the group a name.")
    elif len(data.name) > NAME_MAX:
        errors["name"] = _("The name is too long.")
    if data.kind not in Group.Kind.values:
        errors["kind"] = _("Choose a kind of group.")
    if data.admission not in Group.Admission.values:
        errors["admission"] = _("Choose how people join.")
    if data.visibility not in Group.Visibility.values:
        errors["visibility"] = _("Choose who may read the group.")
    if errors:
        raise ValidationError(errors)


def _free_slug(name: str) -> str:
    base = slugify(name)[:50] or "group"
    slug, number = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_group(user, data: GroupInput) -> Group:
    if not permissions.can_create_group(user):
        raise PermissionDenied
    _check(data)
    texts = {
        language: {"name": text.get("name", "").strip(), "purpose": text.get("purpose", "")}
        for language, text in data.translations.items()
        if text.get("name", "").strip()
    }
    texts[data.language] = {"name": data.name.strip(), "purpose": data.purpose.strip()}
    with transaction.atomic():
        group = Group.objects.create(
            slug=_free_slug(data.name),
            language=data.language,
            texts=texts,
            kind=data.kind,
            admission=data.admission,
            visibility=data.visibility,
            created_by=user,
        )
        Membership.objects.create(
            group=group,
            user=user,
            organisation=permissions.member_organisation(user),
            role=Membership.Role.MODERATOR,
        )
        log_event("group.created", group, user)
    return group


def join(user, group: Group, delivery: str = Membership.Delivery.EVERY) -> Membership:
    """Join an open group at once, or ask to join one by request."""
    if not permissions.can_join(user, group):
        if permissions.membership_of(user, group) is not None:
            raise wrong_state(_("You are already a member of this group, or asked to be."))
        raise PermissionDenied
    status = (
        Membership.Status.ACTIVE
        if group.admission == Group.Admission.OPEN
        else Membership.Status.PENDING
    )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                group=group,
                user=user,
                organisation=permissions.member_organisation(user),
                status=status,
                delivery=delivery if delivery in Membership.Delivery.values else "every",
            )
            log_event(f"group.{'joined' if status == 'active' else 'asked'}", group, user)
    except IntegrityError:
        raise wrong_state(_("You are already a member of this group, or asked to be.")) from None
    return membership


def approve(moderator, membership: Membership) -> Membership:
    if not permissions.can_moderate(moderator, membership.group):
        raise PermissionDenied
    if membership.is_active:
        raise wrong_state(_("This person is already a member."))
    with transaction.atomic():
        membership.status = Membership.Status.ACTIVE
        membership.save(update_fields=["status"])
        log_event("group.approved", membership.group, moderator, membership=membership.pk)
    return membership


def remove(moderator, membership: Membership, reason: str = "") -> None:
    """A moderator removes a member (or declines a request); the reason is logged."""
    if not permissions.can_moderate(moderator, membership.group):
        raise PermissionDenied
    if membership.is_moderator and membership.user_id == moderator.pk:
        raise Refused(_("A moderator cannot remove themselves."), code="own_membership")
    with transaction.atomic():
        log_event(
            "group.member_removed", membership.group, moderator,
            user=membership.user_id, reason=reason[:500],
        )  # fmt: skip
        membership.delete()


def leave(user, group: Group) -> None:
    membership = permissions.membership_of(user, group)
    if membership is None:
        raise wrong_state(_("You are not a member of this group."))
    with transaction.atomic():
        membership.delete()
        log_event("group.left", group, user)


def choose_delivery(user, group: Group, delivery: str) -> Membership:
    membership = permissions.membership_of(user, group)
    if membership is None:
        raise wrong_state(_("You are not a member of this group."))
    if delivery not in Membership.Delivery.values:
        raise ValidationError({"delivery": _("Choose how you follow the group.")})
    membership.delivery = delivery
    membership.save(update_fields=["delivery"])
    return membership
