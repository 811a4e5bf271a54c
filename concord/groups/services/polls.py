"""Polls in a thread: single or multiple choice, one vote per person or per organisation,
open until a time; results shown to those who voted, and to all once it closes."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.errors import wrong_state
from concord.groups import permissions
from concord.groups.models import TITLE_MAX, Ballot, Choice, Poll, Thread


@dataclass
class PollInput:
    question: str
    choices: list[str]
    closes_at: datetime | None
    multiple: bool = False
    per_organisation: bool = False


def create_poll(user, thread: Thread, data: PollInput) -> Poll:
    if not permissions.can_reply(user, thread):
        raise PermissionDenied
    errors = {}
    question = data.question.strip()
    choices = [c.strip()[:200] for c in data.choices if c.strip()]
    if not question or len(question) > TITLE_MAX:
        errors["question"] = _("Ask a question (at most 200 characters).")
    if len(choices) < 2 or len(set(choices)) != len(choices):
        errors["choices"] = _("Give at least two different choices, one a line.")
    closes_at = data.closes_at
    if closes_at is None or closes_at <= timezone.now():
        errors["closes_at"] = _("The poll must close in the future.")
    if errors or closes_at is None:
        raise ValidationError(errors)
    with transaction.atomic():
        poll = Poll.objects.create(
            thread=thread, question=question, multiple=data.multiple,
            per_organisation=data.per_organisation, closes_at=closes_at,
        )  # fmt: skip
        Choice.objects.bulk_create(
            Choice(poll=poll, label=label, position=i) for i, label in enumerate(choices)
        )
        log_event("group.poll_created", poll, user)
    return poll


def voter_key(user, poll: Poll) -> str | None:
    if poll.per_organisation:
        organisation = permissions.member_organisation(user)
        return f"organisation:{organisation.pk}" if organisation else None
    return f"user:{user.pk}"


def has_voted(user, poll: Poll) -> bool:
    if not (user and user.is_authenticated):
        return False
    key = voter_key(user, poll)
    return bool(key) and poll.ballots.filter(voter=key).exists()


def vote(user, poll: Poll, choice_ids: list[int]) -> Ballot:
    if not permissions.can_vote(user, poll.thread.group):
        raise PermissionDenied
    if not poll.is_open():
        raise wrong_state(_("This poll is closed."))
    chosen = list(poll.choices.filter(pk__in=choice_ids))
    if not chosen or len(chosen) != len(set(choice_ids)) or (len(chosen) > 1 and not poll.multiple):
        raise ValidationError({"choices": _("Choose one of the poll's answers.")})
    key = voter_key(user, poll)
    if key is None:
        raise PermissionDenied
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(poll=poll, voter=key, user=user)
            ballot.choices.set(chosen)
    except IntegrityError:
        message = (
            _("Your organisation has already voted in this poll.")
            if poll.per_organisation
            else _("You have already voted in this poll.")
        )
        raise wrong_state(message, code="already_voted") from None
    return ballot


def results(poll: Poll) -> list[tuple[Choice, int]]:
    return [(choice, choice.ballots.count()) for choice in poll.choices.all()]


def may_see_results(user, poll: Poll) -> bool:
    return not poll.is_open() or has_voted(user, poll)
