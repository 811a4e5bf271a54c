"""The drafting committee's decisions on amendments: accept (as proposed or edited), which
makes a new version of the draft; merge into another amendment; reject. Each decision has a
reason and is emailed to the proposer in their language."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.emails import page_url, queue_email
from concord.core.errors import Refused
from concord.declarations import permissions
from concord.declarations.drafting import queries
from concord.declarations.drafting.models import PARAGRAPH_MAX, REASON_MAX, Amendment
from concord.declarations.models import Declaration
from concord.declarations.services import drafting

DECISIONS = ("accept", "merge", "reject")


def _new_paragraphs(amendment: Amendment, text: str) -> list[tuple[int, str]]:
    """The current version's paragraphs with the amendment applied."""
    declaration = amendment.declaration
    version = queries.current_version(declaration)
    assert version is not None  # an amendment names a version of its declaration
    current = queries.paragraphs_of(version)
    keys = [key for key, _text in current]
    if amendment.paragraph_key not in keys:
        raise Refused(
            _("The paragraph this amendment changes is no longer in the text."), code="gone"
        )
    at = keys.index(amendment.paragraph_key)
    if amendment.kind == Amendment.Kind.REPLACE:
        current[at] = (amendment.paragraph_key, text)
    elif amendment.kind == Amendment.Kind.INSERT:
        current.insert(at + 1, (drafting.next_key(declaration), text))
    else:
        if len(current) == 1:
            raise Refused(_("A text keeps at least one paragraph."), code="last_paragraph")
        del current[at]
    return current


def decide(
    user: User,
    amendment: Amendment,
    *,
    decision: str,
    reason: str,
    text: str | None = None,
    merge_into: int | Amendment | None = None,
) -> Amendment:
    """`text` (accept only) is the committee's edit of the proposed text; `merge_into` the
    pending amendment of the same declaration this one joins."""
    declaration = amendment.declaration
    if not permissions.can_decide(user, declaration):
        raise PermissionDenied(_("Only the drafting committee decides on amendments."))
    if declaration.texts_frozen:
        raise Refused(_("The declaration is open: its text is frozen."), code="frozen")
    errors = checks.Errors()
    decision = checks.choice(errors, "decision", decision, DECISIONS)
    reason = checks.text(
        errors, "reason", reason, limit=REASON_MAX, required=True, plain=False,
        required_message_text=_("Give the reason for the decision."),
    )  # fmt: skip
    accepted = ""
    if decision == "accept" and amendment.kind != Amendment.Kind.REMOVE:
        edited = amendment.text if text in (None, "") else text
        accepted = checks.text(errors, "text", edited, limit=PARAGRAPH_MAX, required=True,
                               plain=False)  # fmt: skip
    target = None
    if decision == "merge":
        target = (
            Amendment.objects.filter(
                declaration=declaration,
                pk=getattr(merge_into, "pk", merge_into) or 0,
                status=Amendment.Status.PENDING,
            )
            .exclude(pk=amendment.pk)
            .first()
        )
        if target is None:
            errors.add("merge_into", _("Choose another pending amendment of this declaration."))
    errors.raise_if_any()
    with transaction.atomic():
        Declaration.objects.select_for_update().get(pk=declaration.pk)
        locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if not locked.awaits_decision:
            raise Refused(_("This amendment has been decided."), code="decided")
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.decision_reason = reason
        if decision == "accept":
            paragraphs = _new_paragraphs(locked, accepted)
            locked.status = Amendment.Status.ACCEPTED
            locked.accepted_text = accepted
            locked.made_version = drafting.make_version(user, declaration, paragraphs)
        elif decision == "merge":
            locked.status, locked.merged_into = Amendment.Status.MERGED, target
        else:
            locked.status = Amendment.Status.REJECTED
        locked.save()
        log_event(
            "declaration.amendment_decided",
            declaration,
            actor=user,
            amendment=locked.pk,
            decision=locked.status,
            version=locked.made_version.number if locked.made_version else None,
        )
        _notify(locked)
    return locked


def _notify(amendment: Amendment) -> None:
    proposer = amendment.proposer
    if proposer is None:
        return
    declaration = amendment.declaration
    queue_email(
        key=f"amendment-decided:{amendment.pk}",
        to=proposer,
        template="declarations/emails/amendment_decided",
        context={
            "title": declaration.title_for(amendment.language),
            "status": amendment.status,
            "reason": amendment.decision_reason,
            "version": amendment.made_version.number if amendment.made_version else None,
            "url": page_url("declarations:drafting", declaration.slug),
        },
        acted_in=amendment.language,
    )
