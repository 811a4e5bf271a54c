"""Working groups' pages: thin views over services/ and queries.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core import limits
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.groups import permissions, queries, tokens
from concord.groups.forms import (
    ConclusionForm,
    DeliveryForm,
    EditForm,
    GroupForm,
    PollForm,
    ReasonForm,
    ReplyForm,
    SearchForm,
    ThreadForm,
)  # fmt: skip
from concord.groups.models import Group, Membership, Poll, Post, Thread
from concord.groups.services import membership, moderation, polls, posting


def _group(request, slug: str, content: bool = True) -> Group:
    group = get_object_or_404(Group, slug=slug)
    allowed = permissions.can_see_group if content else permissions.can_find_group
    if not allowed(request.user, group):
        raise Http404  # a members-only group does not say it exists
    return group


def _thread(request, slug: str, pk: int) -> Thread:
    group = _group(request, slug)
    return get_object_or_404(Thread.objects.select_related("group"), pk=pk, group=group)


def _post(request, slug: str, pk: int) -> Post:
    group = _group(request, slug)
    return get_object_or_404(
        Post.objects.select_related("thread__group"), pk=pk, thread__group=group
    )


def _refused(request, error: Refused, to):
    messages.error(request, error.message)
    return limits.with_retry_after(redirect(to), error)


def group_list(request):
    form = SearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = queries.search_posts(request.user, form.cleaned_data["q"])
    return render(
        request,
        "groups/list.html",
        {
            "groups": queries.listed_groups(request.user),
            "form": form,
            "found": found,
            "can_create": permissions.can_create_group(request.user),
            "language": get_language(),
        },
    )


@login_required
def create(request):
    if not permissions.can_create_group(request.user):
        raise PermissionDenied
    form = GroupForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            group = membership.create_group(
                request.user, membership.GroupInput(**form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("groups:detail", group.slug)
    status = 422 if form.errors else 200
    return render(
        request, "groups/form.html", {"form": form, "title": _("New working group")}, status=status
    )


def detail(request, slug: str):
    group = _group(request, slug, content=False)
    mine = permissions.membership_of(request.user, group)
    readable = permissions.can_see_group(request.user, group)
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "name": group.name_for(get_language()),
            "purpose": group.purpose_for(get_language()),
            "membership": mine,
            "readable": readable,
            "threads": queries.threads(group)[:50] if readable else [],
            "polls": queries.open_polls(group) if readable else [],
            "coverage": queries.member_coverage(group),
            "organisation_count": queries.organisation_count(group),
            "member_count": queries.members(group).count(),
            "can_post": permissions.can_post(request.user, group),
            "can_join": permissions.can_join(request.user, group),
            "delivery_form": DeliveryForm(initial={"delivery": mine.delivery}) if mine else None,
            "address": tokens.group_address(group.slug) if mine and mine.is_active else "",
        },
    )


def members(request, slug: str):
    group = _group(request, slug)
    moderating = permissions.can_moderate(request.user, group)
    return render(
        request,
        "groups/members.html",
        {
            "group": group,
            "name": group.name_for(get_language()),
            "members": queries.members(group),
            "pending": queries.pending(group) if moderating else [],
            "coverage": queries.member_coverage(group),
            "organisation_count": queries.organisation_count(group),
            "moderating": moderating,
        },
    )


@login_required
@require_POST
def join(request, slug: str):
    group = _group(request, slug, content=False)
    try:
        joined = membership.join(request.user, group)
    except Refused as error:
        return _refused(request, error, group_url(group))
    if joined.is_active:
        messages.success(request, _("You joined the group."))
    else:
        messages.success(request, _("You asked to join: a moderator will answer."))
    return redirect("groups:detail", group.slug)


def group_url(group: Group) -> str:
    return reverse("groups:detail", args=[group.slug])


@login_required
@require_POST
def leave(request, slug: str):
    group = _group(request, slug)
    try:
        membership.leave(request.user, group)
    except Refused as error:
        return _refused(request, error, group_url(group))
    messages.success(request, _("You left the group."))
    return redirect("groups:list")


@login_required
@require_POST
def delivery(request, slug: str):
    group = _group(request, slug)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            membership.choose_delivery(request.user, group, form.cleaned_data["delivery"])
        except Refused as error:
            return _refused(request, error, group_url(group))
        messages.success(request, _("Your choice of mail was saved."))
    else:
        messages.error(request, _("Choose how you follow the group."))
    return redirect("groups:detail", group.slug)


@login_required
@require_POST
def approve(request, slug: str, pk: int):
    group = _group(request, slug)
    found = get_object_or_404(Membership, pk=pk, group=group)
    try:
        membership.approve(request.user, found)
    except Refused as error:
        return _refused(request, error, group_url(group))
    messages.success(request, _("The request was approved."))
    return redirect("groups:members", group.slug)


@login_required
@require_POST
def remove(request, slug: str, pk: int):
    group = _group(request, slug)
    found = get_object_or_404(Membership, pk=pk, group=group)
    try:
        membership.remove(request.user, found, request.POST.get("reason", ""))
    except Refused as error:
        return _refused(request, error, group_url(group))
    messages.success(request, _("The member was removed."))
    return redirect("groups:members", group.slug)


@login_required
def new_thread(request, slug: str):
    group = _group(request, slug)
    if not permissions.can_post(request.user, group):
        raise PermissionDenied
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = posting.start_thread(
                request.user, group, data["title"], data["body"], data["language"],
                files=data["files"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as error:
            return _refused(request, error, group_url(group))
        else:
            return redirect("groups:thread", group.slug, post.thread_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": group, "title": _("New thread")},
        status=status,
    )


def thread(request, slug: str, pk: int):
    found = _thread(request, slug, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not permissions.can_reply(request.user, found):
            raise PermissionDenied
        if form.is_valid():
            try:
                data = form.cleaned_data
                post = posting.reply(
                    request.user, found, data["body"], data["language"], files=data["files"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except Refused as error:
                return _refused(request, error, request.path)
            else:
                return redirect(f"{request.path}#post-{post.pk}")
    thread_polls = [
        {
            "poll": poll,
            "open": poll.is_open(),
            "results": polls.results(poll) if polls.may_see_results(request.user, poll) else None,
            "voted": polls.has_voted(request.user, poll),
        }
        for poll in found.polls.prefetch_related("choices")
    ]
    return render(
        request,
        "groups/thread.html",
        {
            "group": found.group,
            "thread": found,
            "posts": queries.posts(found),
            "polls": thread_polls,
            "form": form,
            "can_reply": permissions.can_reply(request.user, found),
            "can_vote": permissions.can_vote(request.user, found.group),
            "moderating": permissions.can_moderate(request.user, found.group),
            "user_id": request.user.pk,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def thread_state(request, slug: str, pk: int):
    found = _thread(request, slug, pk)
    action = request.POST.get("action")
    if action in ("pin", "unpin"):
        moderation.set_pinned(request.user, found, action == "pin")
    elif action in ("lock", "unlock"):
        moderation.set_locked(request.user, found, action == "lock")
    return redirect("groups:thread", slug, pk)


@login_required
def close(request, slug: str, pk: int):
    found = _thread(request, slug, pk)
    if not permissions.can_moderate(request.user, found.group):
        raise PermissionDenied
    form = ConclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.close(request.user, found, form.cleaned_data["conclusion"])
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as error:
            return _refused(request, error, request.path)
        else:
            return redirect("groups:thread", slug, pk)
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": found.group, "title": _("Close with a conclusion")},
        status=422 if form.errors else 200,
    )


@login_required
def new_poll(request, slug: str, pk: int):
    found = _thread(request, slug, pk)
    if not permissions.can_reply(request.user, found):
        raise PermissionDenied
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            polls.create_poll(
                request.user, found,
                polls.PollInput(
                    question=data["question"], choices=data["choices"].splitlines(),
                    closes_at=data["closes_at"], multiple=data["multiple"],
                    per_organisation=data["per_organisation"],
                ),
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("groups:thread", slug, pk)
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": found.group, "title": _("New poll")},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def vote(request, slug: str, pk: int):
    group = _group(request, slug)
    poll = get_object_or_404(
        Poll.objects.select_related("thread__group"), pk=pk, thread__group=group
    )
    back = f"{group_url(group)}threads/{poll.thread_id}/#poll-{poll.pk}"
    try:
        chosen = [int(value) for value in request.POST.getlist("choice")]
        polls.vote(request.user, poll, chosen)
    except ValueError:
        messages.error(request, _("Choose one of the poll's answers."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Refused as error:
        return _refused(request, error, back)
    else:
        messages.success(request, _("Your vote was counted."))
    return redirect(back)


@login_required
def edit_post(request, slug: str, pk: int):
    post = _post(request, slug, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            posting.edit_post(request.user, post, form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(
                f"{group_url(post.thread.group)}threads/{post.thread_id}/#post-{post.pk}"
            )
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": post.thread.group, "title": _("Edit the post")},
        status=422 if form.errors else 200,
    )


def _reason_page(request, slug: str, pk: int, action, title: str, done: str):
    post = _post(request, slug, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(request.user, post, form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as error:
            return _refused(request, error, request.path)
        else:
            messages.success(request, done)
            return redirect("groups:thread", slug, post.thread_id)
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": post.thread.group, "title": title},
        status=422 if form.errors else 200,
    )


@login_required
def report(request, slug: str, pk: int):
    return _reason_page(
        request,
        slug,
        pk,
        moderation.report,
        _("Report this post"),
        _("Thank you: the moderators will look at it."),
    )


@login_required
def hide(request, slug: str, pk: int):
    post = _post(request, slug, pk)
    if not permissions.can_moderate(request.user, post.thread.group):
        raise PermissionDenied
    return _reason_page(
        request, slug, pk, moderation.hide, _("Hide this post"), _("The post is hidden.")
    )
