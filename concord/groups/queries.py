"""Reads: the groups a person may see, a group's members and coverage, its threads in the
order its page shows them, open polls, and search over posts."""

import re

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from concord.countries.queries import Coverage, coverage
from concord.groups.models import Group, Membership, Poll, Post, Thread
from concord.groups.permissions import member_organisation
from concord.knowledge.words import query_terms
from concord.organisations.permissions import is_secretariat


def listed_groups(user) -> QuerySet[Group]:
    """The groups a person finds in the list: those they may read, and for representatives
    of member organisations the members-only ones too (to ask to join)."""
    if user and user.is_authenticated and member_organisation(user) is not None:
        return Group.objects.annotate(
            member_count=Count("memberships", filter=Q(memberships__status="active"))
        )
    return visible_groups(user)


def visible_groups(user) -> QuerySet[Group]:
    groups = Group.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active"))
    )
    if is_secretariat(user):
        return groups
    if user and user.is_authenticated:
        return groups.filter(
            Q(visibility=Group.Visibility.PUBLIC)
            | Q(memberships__user=user, memberships__status="active")
        ).distinct()
    return groups.filter(visibility=Group.Visibility.PUBLIC)


def members(group: Group) -> QuerySet[Membership]:
    return (
        group.memberships.filter(status=Membership.Status.ACTIVE)
        .select_related("user", "organisation")
        .order_by("-role", "user__name")
    )


def pending(group: Group) -> QuerySet[Membership]:
    return group.memberships.filter(status=Membership.Status.PENDING).select_related(
        "user", "organisation"
    )


def member_coverage(group: Group) -> Coverage:
    codes = (
        group.memberships.filter(status=Membership.Status.ACTIVE)
        .exclude(organisation=None)
        .values_list("organisation__country_id", flat=True)
    )
    return coverage(codes)


def organisation_count(group: Group) -> int:
    return (
        group.memberships.filter(status=Membership.Status.ACTIVE)
        .exclude(organisation=None)
        .values("organisation")
        .distinct()
        .count()
    )


def threads(group: Group) -> QuerySet[Thread]:
    """Concluded threads first, then pinned, then the most recently active."""
    return (
        group.threads.annotate(post_count=Count("posts", filter=Q(posts__hidden_at=None)))
        .select_related("author")
        .order_by(F("closed_at").desc(nulls_last=True), "-pinned", "-last_post_at")
    )


def open_polls(group: Group, now=None) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(thread__group=group, thread__closed_at=None)
        .filter(closes_at__gt=now or timezone.now())
        .select_related("thread")
    )


def posts(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author", "organisation").prefetch_related(
        "revisions", "attachments"
    )


def search_posts(user, words: str, limit: int = 50) -> list[Post]:
    """Posts holding every query term (the knowledge app's `query_terms`), in the
    groups this person may read; hidden posts never."""
    terms = query_terms(words)
    if not terms:
        return []
    readable = visible_groups(user).values("pk")
    found = Post.objects.filter(hidden_at=None, thread__group__in=readable)
    for term in terms:
        found = found.filter(Q(body__icontains=term) | Q(thread__title__icontains=term))
    return list(found.select_related("thread__group", "author").order_by("-created_at")[:limit])


# "@Name" or "@Two words": what a post names to notify someone.
_MENTION = re.compile(r"@([^\s@,.;:!?()\[\]]+(?: [^\s@,.;:!?()\[\]]+)?)")


def mentioned(post: Post) -> list[Membership]:
    """The group's active members named in a post as "@Name" (one or two words of their
    name) or whose organisation is named as "@Acronym"; never the author."""
    names = set()
    for found in _MENTION.findall(post.body):
        names |= {found.lower(), found.split(" ")[0].lower()}
    if not names:
        return []
    members = Membership.objects.filter(
        group_id=post.thread.group_id, status=Membership.Status.ACTIVE
    ).select_related("user", "organisation")
    found = []
    for membership in members:
        if membership.user_id == post.author_id:
            continue
        user_names = {membership.user.name.lower(), membership.user.name.split(" ")[0].lower()}
        organisation = membership.organisation
        org_names = (
            {organisation.acronym.lower(), organisation.name.lower()} if organisation else set()
        )
        if names & ((user_names | org_names) - {""}):
            found.append(membership)
    return found
