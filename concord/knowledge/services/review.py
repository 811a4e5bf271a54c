"""Review of a case study: its authors submit it, the secretariat returns or publishes it.

A move the case study's status does not allow (`Practice.can_be_submitted`,
`Practice.awaits_review`) is `Refused` (409) on the page and in the API alike.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.emails import page_url, queue_email
from concord.core.errors import wrong_state
from concord.knowledge import permissions, search
from concord.knowledge.models import Practice
from concord.knowledge.services.notices import notify_authors
from concord.knowledge.services.writing import clean_text


def _transition(practice: Practice, allowed: Callable[[Practice], bool]) -> Practice:
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if not allowed(locked):
        raise wrong_state(
            _("This case study is “%(status)s” and cannot be changed that way.")
            % {"status": locked.get_status_display()}
        )
    return locked


def submit_practice(user: User, practice: Practice) -> Practice:
    if not permissions.can_write_for(user, practice.organisation):
        raise PermissionDenied(
            _("Only the organisation's representatives submit its case studies.")
        )
    with transaction.atomic():
        locked = _transition(practice, lambda p: p.can_be_submitted)
        locked.status = Practice.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        log_event("practice.submitted", locked, actor=user)
        for reviewer in User.objects.filter(is_staff=True, is_active=True):
            queue_email(
                key=f"practice.submitted:{locked.pk}:{locked.submitted_at.isoformat()}:{reviewer.pk}",
                to=reviewer,
                template="knowledge/emails/submitted",
                context={"practice": locked, "url": page_url("knowledge:review")},
            )
    return locked


def return_practice(reviewer: User, practice: Practice, comment: str) -> Practice:
    """The secretariat sends the case study back to its authors with comments."""
    if not permissions.can_review(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews case studies."))
    comment = clean_text(comment or "")[:3000]
    if not comment:
        raise ValidationError({"comment": [_("Tell the authors what to change.")]})
    with transaction.atomic():
        locked = _transition(practice, lambda p: p.awaits_review)
        locked.status = Practice.Status.RETURNED
        locked.review_note = comment
        locked.save(update_fields=["status", "review_note", "updated_at"])
        log_event("practice.returned", locked, actor=reviewer, comment=comment)
        notify_authors(locked, "returned")
    return locked


def publish_practice(reviewer: User, practice: Practice) -> Practice:
    if not permissions.can_review(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews case studies."))
    with transaction.atomic():
        locked = _transition(practice, lambda p: p.awaits_review)
        locked.status = Practice.Status.PUBLISHED
        locked.published_at = locked.published_at or timezone.now()
        locked.review_note = ""
        locked.save(update_fields=["status", "published_at", "review_note", "updated_at"])
        log_event("practice.published", locked, actor=reviewer)
        search.refresh_after_commit(locked.pk)
        notify_authors(locked, "published")
    return locked
