"""What a signed-in person's "my Concord" page shows: their organisations, signatures,
registrations, case studies, projects and requests, and what waits for them to act.

Every row comes from the owning app's queries, each already narrowed to the person and to
what that app's permissions.py lets them do (the set forms of its `can_*` rules), so no rule
is written here. Only this top layer knows every app, so the assembly lives here, as
`data_rights.py` and `organisation_links.py` do. Each list is one query (the signatures' texts
a second), cut at `SHOWN` rows, so the page costs the same whatever the person has.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from concord.accounts.models import User
from concord.declarations import queries as declarations
from concord.declarations.services.withdrawal import can_still_withdraw
from concord.events import queries as events
from concord.knowledge import permissions as knowledge_permissions
from concord.knowledge import personal as knowledge_personal
from concord.knowledge import queries as knowledge
from concord.organisations import permissions as organisation_permissions
from concord.organisations import queries as organisations
from concord.partnerships import queries as partnerships
from concord.results import queries as results

# Enough for a glance; each section links to its app's full list.
SHOWN = 10


@dataclass(frozen=True)
class Shortlist:
    """The first rows of a list, and whether there were more than those."""

    rows: list[Any]
    more: bool = False

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def shortlist(queryset: QuerySet, limit: int = SHOWN) -> Shortlist:
    """One query: a row past the limit says there are more, without counting them."""
    rows = list(queryset[: limit + 1])
    return Shortlist(rows[:limit], more=len(rows) > limit)


NOTHING = Shortlist([])


@dataclass(frozen=True)
class Waiting:
    """What waits for the person's answer or approval; the secretariat's queues only for the
    secretariat (the apps' `can_review*`)."""

    updates: Shortlist  # results updates to approve or return, as an organisation's admin
    interests: Shortlist  # interests in their organisations' requests, not answered yet
    places: Shortlist  # places in partnerships their organisations have not answered
    registrations: Shortlist  # events they manage, with registrations awaiting approval
    questions: Shortlist  # their applications the secretariat asked a question about
    applications: Shortlist = NOTHING  # membership applications (secretariat)
    identity_changes: Shortlist = NOTHING  # members' new names or countries (secretariat)
    practices: Shortlist = NOTHING  # case studies submitted for review (secretariat)
    media: Shortlist = NOTHING  # photos and PDFs added to published ones (secretariat)

    def __bool__(self) -> bool:
        return any(getattr(self, field.name) for field in fields(self))


@dataclass(frozen=True)
class MyConcord:
    representations: list[Any]  # the person's places in organisations, with their role
    acts_for_members: bool  # represents a member organisation, so may write, plan and post
    signatures: Shortlist  # rows of {"signature", "text", "can_withdraw"}
    registrations: Shortlist
    practices: Shortlist
    projects: Shortlist
    requests: Shortlist
    waiting: Waiting


def waiting_for(user: User) -> Waiting:
    secretariat_queues = {}
    if organisation_permissions.can_review_applications(user):
        secretariat_queues["applications"] = shortlist(
            organisations.applications_to_review().prefetch_related(None)
        )
        secretariat_queues["identity_changes"] = shortlist(
            organisations.identity_changes_to_review()
        )
    if knowledge_permissions.can_review(user):
        secretariat_queues["practices"] = shortlist(
            knowledge.practices_to_review().prefetch_related(None)
        )
        secretariat_queues["media"] = shortlist(
            knowledge.practices_with_unreviewed_media().prefetch_related(None)
        )
    return Waiting(
        updates=shortlist(results.updates_to_review(user)),
        interests=shortlist(partnerships.interests_to_answer(user)),
        places=shortlist(partnerships.places_to_answer(user)),
        registrations=shortlist(events.awaiting_approval(user)),
        questions=shortlist(organisations.applications_awaiting_answer(user)),
        **secretariat_queues,
    )


def for_person(user: User) -> MyConcord:
    language = translation.get_language()
    signatures = shortlist(declarations.signatures_of(user))
    return MyConcord(
        representations=list(organisations.representations_of(user)),
        acts_for_members=organisation_permissions.organisations_acted_for(user).exists(),
        signatures=Shortlist(
            [
                {
                    "signature": signature,
                    "text": signature.declaration.text_for(language),
                    "can_withdraw": can_still_withdraw(signature.declaration),
                }
                for signature in signatures
            ],
            more=signatures.more,
        ),
        registrations=shortlist(events.registrations_of(user)),
        practices=shortlist(knowledge_personal.practices_written_by(user)),
        projects=shortlist(results.projects_of_person(user)),
        requests=shortlist(partnerships.requests_of_person(user)),
        waiting=waiting_for(user),
    )
