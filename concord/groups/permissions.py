"""Who may do what in working groups, in one place.

Representatives of member organisations may create groups (becoming their first moderator)
and join them; the secretariat may do what a moderator does in every group. A members-only
group, its threads and posts are seen by its active members and the secretariat only.
"""

from concord.groups.models import Group, Membership, Post, Thread
from concord.organisations.models import Organisation, Representative
from concord.organisations.permissions import is_secretariat


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def member_organisation(user) -> Organisation | None:
    """The member organisation a person speaks for in groups (their first), or None."""
    if not _signed_in(user):
        return None
    found = (
        Representative.objects.filter(user=user, organisation__status=Organisation.Status.MEMBER)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return found.organisation if found else None


def membership_of(user, group: Group) -> Membership | None:
    if not _signed_in(user):
        return None
    return Membership.objects.filter(group=group, user=user).first()


def is_member(user, group: Group) -> bool:
    found = membership_of(user, group)
    return bool(found and found.is_active)


def can_create_group(user) -> bool:
    return is_secretariat(user) or member_organisation(user) is not None


def can_see_group(user, group: Group) -> bool:
    if not group.is_members_only:
        return True
    return is_secretariat(user) or is_member(user, group)


def can_find_group(user, group: Group) -> bool:
    """A members-only group's name and purpose are shown to those who could ask to join it,
    so they can; its threads and members only to its members (`can_see_group`)."""
    return can_see_group(user, group) or member_organisation(user) is not None


def can_join(user, group: Group) -> bool:
    return membership_of(user, group) is None and member_organisation(user) is not None


def can_moderate(user, group: Group) -> bool:
    if is_secretariat(user):
        return True
    found = membership_of(user, group)
    return bool(found and found.is_moderator)


def can_post(user, group: Group) -> bool:
    return is_member(user, group) or is_secretariat(user)


def can_reply(user, thread: Thread) -> bool:
    return can_post(user, thread.group) and thread.accepts_posts


def can_edit_post(user, post: Post) -> bool:
    return _signed_in(user) and post.author_id == user.pk and post.is_editable


def can_report(user, post: Post) -> bool:
    return _signed_in(user) and can_see_group(user, post.thread.group)


def can_vote(user, group: Group) -> bool:
    return is_member(user, group)
