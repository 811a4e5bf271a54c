"""Reports, hiding posts with a reason, and a thread's state: pinned, locked, closed with a
conclusion. Every moderator's act is written to the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.errors import wrong_state
from concord.groups import permissions
from concord.groups.models import BODY_MAX, Post, Report, Thread


def report(user, post: Post, reason: str) -> Report:
    if not permissions.can_report(user, post):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with this post.")})
    with transaction.atomic():
        found = Report.objects.create(post=post, reporter=user, reason=reason[:2000])
        log_event("group.post_reported", post, user)
    return found


def hide(moderator, post: Post, reason: str) -> Post:
    if not permissions.can_moderate(moderator, post.thread.group):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding this post.")})
    if post.is_hidden:
        raise wrong_state(_("This post is already hidden."))
    with transaction.atomic():
        post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), moderator, reason
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        post.reports.filter(handled_at=None).update(handled_at=post.hidden_at)
        log_event("group.post_hidden", post, moderator, reason=reason[:500])
    return post


def _moderated(moderator, thread: Thread) -> None:
    if not permissions.can_moderate(moderator, thread.group):
        raise PermissionDenied


def set_pinned(moderator, thread: Thread, pinned: bool) -> Thread:
    _moderated(moderator, thread)
    with transaction.atomic():
        thread.pinned = pinned
        thread.save(update_fields=["pinned"])
        log_event("group.thread_pinned" if pinned else "group.thread_unpinned", thread, moderator)
    return thread


def set_locked(moderator, thread: Thread, locked: bool) -> Thread:
    _moderated(moderator, thread)
    with transaction.atomic():
        thread.locked = locked
        thread.save(update_fields=["locked"])
        log_event("group.thread_locked" if locked else "group.thread_unlocked", thread, moderator)
    return thread


def close(moderator, thread: Thread, conclusion: str) -> Thread:
    """Close a thread with its outcome, shown first on its page and the group's."""
    _moderated(moderator, thread)
    if thread.is_closed:
        raise wrong_state(_("This thread is already closed."))
    conclusion = conclusion.replace("\x00", "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("Write the conclusion the thread reached.")})
    if len(conclusion) > BODY_MAX:
        raise ValidationError({"conclusion": _("The conclusion is too long.")})
    with transaction.atomic():
        thread.closed_at, thread.conclusion, thread.concluded_by = (
            timezone.now(), conclusion, moderator,
        )  # fmt: skip
        thread.save(update_fields=["closed_at", "conclusion", "concluded_by"])
        log_event("group.thread_closed", thread, moderator)
    return thread
