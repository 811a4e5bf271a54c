"""Working groups API: groups, membership, threads, posts, polls and votes. Thin: the same
services, queries and permissions as the pages; a members-only group is 404 to those who
may not find it, its threads and posts 404 to non-members."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from concord.accounts.api import current_user, signed_in
from concord.core import files
from concord.core.api import Body, RowId, errors
from concord.groups import permissions, queries
from concord.groups.models import BODY_MAX, TITLE_MAX, Group, Membership, Poll, Post, Thread
from concord.groups.services import membership, polls, posting

router = Router(tags=["groups"])


class WorkingGroupOut(Schema):
    slug: str
    name: str
    purpose: str
    kind: str
    admission: str
    visibility: str
    members: int


class MembershipIn(Body):
    delivery: Membership.Delivery = Membership.Delivery.EVERY


class MembershipOut(Schema):
    status: str
    role: str
    delivery: str


class ThreadIn(Body):
    title: str = Field(..., max_length=TITLE_MAX)
    body: str = Field(..., max_length=BODY_MAX, description="Markdown")
    language: str = Field("", max_length=10, description="omit to detect it")


class PostIn(Body):
    body: str = Field(..., max_length=BODY_MAX, description="Markdown")
    language: str = Field("", max_length=10, description="omit to detect it")


class ThreadOut(Schema):
    id: int
    title: str
    pinned: bool
    locked: bool
    closed: bool
    conclusion: str
    last_post_at: datetime


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    url: str = Field(..., description="Served to those who may read the post")


class PostOut(Schema):
    id: int
    thread: int
    author: str
    organisation: str
    body: str
    language: str
    created_at: datetime
    edited: bool
    attachments: list[AttachmentOut]


class VoteIn(Body):
    choices: list[RowId] = Field(..., examples=[[1]])


class PollOut(Schema):
    id: int
    question: str
    multiple: bool
    per_organisation: bool
    closes_at: datetime
    open: bool
    choices: list[dict]


def _group_out(group: Group, language: str) -> dict:
    return {
        "slug": group.slug, "name": group.name_for(language),
        "purpose": group.purpose_for(language), "kind": group.kind,
        "admission": group.admission, "visibility": group.visibility,
        "members": queries.members(group).count(),
    }  # fmt: skip


def _found(request, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_find_group(current_user(request), group):
        raise Http404
    return group


def _readable(request, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_see_group(current_user(request), group):
        raise Http404
    return group


def _post_out(post: Post) -> dict:
    hidden = post.is_hidden
    return {
        "id": post.pk, "thread": post.thread_id,
        "author": post.author.display_name if post.author else "",
        "organisation": post.organisation.name if post.organisation else "",
        "body": "" if hidden else post.body, "language": post.language,
        "created_at": post.created_at, "edited": post.edited_at is not None,
        "attachments": [] if hidden else [
            {"name": a.name, "content_type": a.content_type, "size": a.size,
             "url": files.url_for(a.file.name)}
            for a in post.attachments.all()
        ],
    }  # fmt: skip


def _thread_out(thread: Thread) -> dict:
    return {
        "id": thread.pk, "title": thread.title, "pinned": thread.pinned,
        "locked": thread.locked, "closed": thread.is_closed,
        "conclusion": thread.conclusion, "last_post_at": thread.last_post_at,
    }  # fmt: skip


@router.get(
    "/groups", response=list[WorkingGroupOut], summary="The working groups the caller may find"
)
def list_groups(request: HttpRequest):
    language = get_language()
    return [_group_out(g, language) for g in queries.listed_groups(current_user(request))]


@router.get(
    "/groups/{slug}",
    response={200: WorkingGroupOut, **errors(400, 404, 422)},
    summary="A working group",
)
def get_group(request: HttpRequest, slug: str):
    return _group_out(_found(request, slug), get_language())


@router.post(
    "/groups/{slug}/membership",
    response={201: MembershipOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Join a group (or ask to, where a moderator approves)",
)
def join_group(request: HttpRequest, slug: str, payload: MembershipIn):
    joined = membership.join(request.user, _found(request, slug), payload.delivery)
    return Status(201, joined)


@router.get(
    "/groups/{slug}/threads",
    response={200: list[ThreadOut], **errors(400, 404, 422)},
    summary="A group's threads, concluded ones first",
)
def list_threads(request: HttpRequest, slug: str):
    return [_thread_out(t) for t in queries.threads(_readable(request, slug))[:100]]


@router.post(
    "/groups/{slug}/threads",
    response={201: PostOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Start a thread with its first post",
)
def start_thread(request: HttpRequest, slug: str, payload: ThreadIn):
    group = _readable(request, slug)
    post = posting.start_thread(request.user, group, payload.title, payload.body, payload.language)
    return Status(201, _post_out(post))


def _thread(request, slug: str, thread_id: int) -> Thread:
    return get_object_or_404(Thread, pk=thread_id, group=_readable(request, slug))


@router.get(
    "/groups/{slug}/threads/{thread_id}/posts",
    response={200: list[PostOut], **errors(400, 404, 422)},
    summary="A thread's posts in order (a hidden post's body is empty)",
)
def list_posts(request: HttpRequest, slug: str, thread_id: int):
    return [_post_out(p) for p in queries.posts(_thread(request, slug, thread_id))]


@router.post(
    "/groups/{slug}/threads/{thread_id}/posts",
    response={201: PostOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Reply in a thread",
)
def reply(request: HttpRequest, slug: str, thread_id: int, payload: PostIn):
    thread = _thread(request, slug, thread_id)
    return Status(
        201, _post_out(posting.reply(request.user, thread, payload.body, payload.language))
    )


def _poll(request, slug: str, poll_id: int) -> Poll:
    return get_object_or_404(Poll, pk=poll_id, thread__group=_readable(request, slug))


def _poll_out(user, poll: Poll) -> dict:
    shown = polls.may_see_results(user, poll)
    return {
        "id": poll.pk, "question": poll.question, "multiple": poll.multiple,
        "per_organisation": poll.per_organisation, "closes_at": poll.closes_at,
        "open": poll.is_open(),
        "choices": [
            {"id": c.pk, "label": c.label, "votes": n if shown else None}
            for c, n in polls.results(poll)
        ],
    }  # fmt: skip


@router.get(
    "/groups/{slug}/polls/{poll_id}",
    response={200: PollOut, **errors(400, 404, 422)},
    summary="A poll; its counts once the caller voted or it closed",
)
def get_poll(request: HttpRequest, slug: str, poll_id: int):
    return _poll_out(current_user(request), _poll(request, slug, poll_id))


@router.post(
    "/groups/{slug}/polls/{poll_id}/votes",
    response={201: PollOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Vote (once per person, or once per organisation)",
)
def vote(request: HttpRequest, slug: str, poll_id: int, payload: VoteIn):
    poll = _poll(request, slug, poll_id)
    if not permissions.can_vote(request.user, poll.thread.group):
        raise PermissionDenied
    polls.vote(request.user, poll, payload.choices)
    return Status(201, _poll_out(request.user, poll))
