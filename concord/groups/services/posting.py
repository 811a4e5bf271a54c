"""Threads and posts: starting a thread, replying (on the web or by email), editing with
history, mentions. A post's images and PDFs are checked with its text, before anything is
written (core/attachments.py), so a refused file leaves no post behind. Every new post counts
towards the author's `group-post` limit and is announced to the members once the transaction
commits (notify.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import attachments, limits
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.core.errors import wrong_state
from concord.groups import notify, permissions
from concord.groups.models import (
    BODY_MAX,
    TITLE_MAX,
    Attachment,
    Group,
    Post,
    PostRevision,
    Thread,
)
from concord.groups.text import detect_language

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _check_body(body: str) -> str:
    body = body.replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Write something to post.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("The post is too long.")})
    return body


def _language(body: str, given: str) -> str:
    if given:
        if given not in LANGUAGES:
            raise ValidationError({"language": _("Choose one of the listed languages.")})
        return given
    return detect_language(body)


def _check_files(files) -> list[attachments.Checked]:
    errors = Errors()
    checked = attachments.check_files(
        errors, "files", list(files), max_files=settings.GROUP_ATTACHMENTS,
        max_bytes=settings.GROUP_ATTACHMENT_MAX_BYTES,
    )  # fmt: skip
    errors.raise_if_any()
    return checked


def _add_post(
    user, thread: Thread, body: str, language: str, source: str, files: list[attachments.Checked]
) -> Post:
    organisation = permissions.member_organisation(user)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread, author=user, organisation=organisation, body=body,
        language=language, source=source, created_at=now,
    )  # fmt: skip
    for item in files:
        attachments.store(
            Attachment(post=post, name=item.name, content_type=item.content_type, size=item.size),
            item,
        )
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    notify.after_commit(post)
    return post


def start_thread(
    user, group: Group, title: str, body: str, language: str = "", source: str = "web", files=()
) -> Post:
    if not permissions.can_post(user, group):
        raise PermissionDenied
    title = title.replace("\x00", "").strip()
    errors: dict[str, str | list[str]] = {}
    if not title:
        errors["title"] = _("Give the thread a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long.")
    try:
        body = _check_body(body)
        language = _language(body, language)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked = _check_files(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    limits.check("group-post", address=user.email)
    with transaction.atomic():
        thread = Thread.objects.create(group=group, title=title, author=user)
        post = _add_post(user, thread, body, language, source, checked)
        log_event("group.thread_started", thread, user)
    return post


def reply(
    user, thread: Thread, body: str, language: str = "", source: str = "web", files=()
) -> Post:
    if not permissions.can_post(user, thread.group):
        raise PermissionDenied
    if not thread.accepts_posts:
        raise wrong_state(_("This thread is closed or locked: it takes no new posts."))
    body = _check_body(body)
    language = _language(body, language)
    checked = _check_files(files)
    limits.check("group-post", address=user.email)
    with transaction.atomic():
        return _add_post(user, thread, body, language, source, checked)


def edit_post(user, post: Post, body: str) -> Post:
    if not permissions.can_edit_post(user, post):
        if post.author_id == getattr(user, "pk", None):
            raise wrong_state(_("This post can no longer be edited."))
        raise PermissionDenied
    body = _check_body(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, body=post.body, written_at=post.edited_at or post.created_at
        )
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
    return post
