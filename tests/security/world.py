"""The people and objects the authorisation matrix calls the API about, built once per module.

Five personas, the columns of `authorisation.toml`:

- anonymous: no credentials at all;
- outsider: a verified account that represents no organisation;
- member: the admin of another member organisation (Organisation B), so a signed-in person
  with every right a member has, except over A's objects;
- owner: the admin of Organisation A, which owns the objects (projects, case studies,
  requests, events it organises), the applicant of the pending applications, and a member
  of the drafting committee of the declarations;
- secretariat: a staff account, which is what `organisations.permissions.is_secretariat`
  (used by every app's permissions.py) calls the secretariat.

A colleague (a plain representative of A) writes the results updates, so that the owner, as
A's admin, reviews an update written by someone else, as the rules require.

`World.own` names, for each persona, things only that persona has (a signature, a
registration, a case study they wrote, their organisation's project and request, what waits
for their answer): their "my Concord" page must list them and nobody else's may.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.services import create_api_token
from concord.declarations.drafting import queries as draft_queries
from concord.declarations.models import (
    Addressee,
    Amendment,
    Comment,
    Declaration,
    Pledge,
    Response,
    Signature,
)
from concord.declarations.services import addressees, drafting, lifecycle, signing
from concord.events.models import Event
from concord.events.services import checkin
from concord.groups.models import Group, Poll, Thread
from concord.groups.services import membership as group_membership
from concord.groups.services import polls as group_polls
from concord.groups.services import posting
from concord.knowledge.models import Practice
from concord.mailings.models import Mailing
from concord.mailings.services import composing
from concord.organisations.models import Organisation
from concord.partnerships.models import ExpressionOfInterest, Partnership, PartnershipRequest
from concord.partnerships.services import partnerships
from concord.results.models import Indicator, Period, Project, Result, Update
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
from tests.factories.partnerships import (
    FundingCallFactory,
    InterestFactory,
    PartnershipRequestFactory,
)
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory

PERSONAS = ("anonymous", "outsider", "member", "owner", "secretariat")
# The token of the pending signature on the open declaration, as its emailed link holds it.
CONFIRMATION_TOKEN = "matrix-confirmation-token"


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    pending_org: Organisation
    more_info_org: Organisation
    draft: Declaration
    open: Declaration
    closed: Declaration
    draft_practice: Practice
    submitted_practice: Practice
    published_practice: Practice
    event: Event
    badge_code: str
    project: Project
    result: Result
    indicator: Indicator
    free_period: Period
    draft_update: Update
    submitted_update: Update
    request: PartnershipRequest
    unanswered_request: PartnershipRequest
    interest: ExpressionOfInterest
    partnership: Partnership
    mailing: Mailing
    group: Group
    group_thread: Thread
    group_poll: Poll
    own: dict[str, list[str]]
    drafting: "DraftingWorld | None" = None


@dataclass
class DraftingWorld:
    """The draft open for comments to a drafting group of B alone (so the member takes
    part and the owner, on the committee, decides), B's admin's comment and amendment, and
    on the open declaration a government addressee with an unpublished response and pledge."""

    comment: Comment
    amendment: Amendment
    addressee: Addressee
    response: Response
    pledge: Pledge


def build_drafting(users: dict[str, User], org_b: Organisation, draft, open_) -> DraftingWorld:
    secretariat, member = users["secretariat"], users["member"]
    drafting.open_for_comments(
        secretariat, draft, audience="group", organisations=[org_b.pk],
        closes_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    draft.refresh_from_db()
    key = draft_queries.paragraphs_of(draft_queries.current_version(draft))[0][0]
    comment = drafting.add_comment(member, draft, paragraph=key, text="Say by when.")
    amendment = drafting.propose_amendment(
        member, draft, paragraph=key, kind="replace", text="We call now.", reason="Sooner."
    )
    addressee = addressees.add_addressee(secretariat, open_, kind="government", country="SN")
    response = addressees.record_response(
        secretariat, addressee, received_on=date.today(), source="Ministry", text="Yes.",
        pledges=[{"text": "A plan", "deadline": date.today() + timedelta(days=30)}],
    )  # fmt: skip
    return DraftingWorld(comment, amendment, addressee, response, response.pledges.get())


def build_world() -> World:
    users = {
        "outsider": UserFactory(email="outsider@example.org", name="Chidi Outsider"),
        "member": UserFactory(email="member@example.org", name="Dina Member"),
        "owner": UserFactory(email="owner@example.org", name="Awa Owner"),
        "secretariat": UserFactory(
            email="secretariat@example.org", staff=True, name="Leyla Secretariat"
        ),
    }
    owner, secretariat = users["owner"], users["secretariat"]
    colleague = UserFactory(email="colleague@example.org", name="Bakary Colleague")
    tokens = {name: create_api_token(user, "matrix")[1] for name, user in users.items()}

    org_a = OrganisationFactory(name="Mangrove Keepers", country_id="SN", admin=owner)
    RepresentativeFactory(organisation=org_a, user=colleague)
    org_b = OrganisationFactory(name="Andes Water Forum", country_id="PE", admin=users["member"])
    org_c = OrganisationFactory(name="Pacific Reef Watch", country_id="FJ")
    pending_org = OrganisationFactory(name="Delta Youth", status="pending", admin=owner)
    more_info_org = OrganisationFactory(name="Sahel Scouts", status="more_info", admin=owner)

    declarations = []
    for opened in (False, True, True):
        declaration = DeclarationFactory(created_by=secretariat, opened=opened)
        declaration.committee.add(owner)
        declarations.append(declaration)
    draft, open_, closed = declarations
    pending = SignatureFactory(declaration=open_, email="pending@example.org")
    Signature.objects.filter(pk=pending.pk).update(
        token_hash=signing.hash_token(CONFIRMATION_TOKEN)
    )
    closed = lifecycle.close_declaration(secretariat, closed)

    practices = {
        status: PracticeFactory(organisation=org_a, status=status)
        for status in ("draft", "submitted", "published")
    }

    event = EventFactory(created_by=secretariat, organisation_ids=[org_a.pk])
    badge = checkin.badge_code(RegistrationFactory(event=event, user=colleague))

    project = ProjectFactory(organisation=org_a, user=owner)
    indicator, periods = IndicatorFactory.with_periods(owner, project, periods=3)
    draft_update = UpdateFactory(period=periods[0], user=colleague)
    submitted_update = UpdateFactory(period=periods[1], user=colleague, submit=True)

    request = PartnershipRequestFactory(organisation=org_a, user=owner)
    unanswered = PartnershipRequestFactory(organisation=org_a, user=owner, title="Peer training")
    interest = InterestFactory(request=request, organisation=org_b, user=users["member"])
    FundingCallFactory(user=secretariat, open_to_all=True)
    # Recorded by A's admin naming B, which has not answered: not listed yet.
    partnership = partnerships.record_partnership(
        owner,
        {
            "title": "Andes and Casamance water exchange",
            "goals": "Share community water monitoring methods.",
            "partners": [org_a.pk, org_b.pk],
            "deliverables": [
                {
                    "title": "Joint field guide",
                    "target": 1,
                    "unit": "guide",
                    "due_on": date.today() + timedelta(days=120),
                }
            ],
        },
    )

    own = build_own_things(users, org_a, org_b)
    drafting_world = build_drafting(users, org_b, draft, open_)

    return World(
        users=users,
        tokens=tokens,
        org_a=org_a,
        org_b=org_b,
        org_c=org_c,
        pending_org=pending_org,
        more_info_org=more_info_org,
        draft=draft,
        open=open_,
        closed=closed,
        draft_practice=practices["draft"],
        submitted_practice=practices["submitted"],
        published_practice=practices["published"],
        event=event,
        badge_code=badge,
        project=project,
        result=indicator.result,
        indicator=indicator,
        free_period=periods[2],
        draft_update=draft_update,
        submitted_update=submitted_update,
        request=request,
        unanswered_request=unanswered,
        interest=interest,
        partnership=partnership,
        drafting=drafting_world,
        mailing=_mailing(secretariat),
        **_group(owner),
        own={
            **own,
            # A's first project and request; B's interest in that request waits for A.
            "owner": [*own["owner"], project.title, request.title],
            # B's place in A's partnership waits for B's admin, not for A's.
            "member": [*own["member"], partnership.title],
            # The case study submitted for review waits for the secretariat.
            "secretariat": [practices["submitted"].title],
        },
    )


def _group(owner: User) -> dict:
    """A members-only working group of A's admin (its moderator), with a thread and a poll of
    one vote per person."""
    group = group_membership.create_group(
        owner,
        group_membership.GroupInput(
            name="Adaptation in the Sahel", admission="request", visibility="members"
        ),
    )
    thread = posting.start_thread(owner, group, "Venue", "Where do we meet in March?").thread
    poll = group_polls.create_poll(
        owner,
        thread,
        group_polls.PollInput(
            question="Venue?", choices=["Dakar", "Bamako"],
            closes_at=timezone.now() + timedelta(days=3),
        ),
    )  # fmt: skip
    return {"group": group, "group_thread": thread, "group_poll": poll}


def _mailing(secretariat: User) -> Mailing:
    """A draft of the secretariat's to every member's representatives."""
    audience = composing.save_audience(
        secretariat, composing.AudienceInput(name="All members", kind="representatives")
    )
    return composing.save_mailing(
        secretariat,
        composing.MailingInput(
            texts=[composing.Text("en", "Sign before COP", "Dear members")],
            sender_name="Coalition secretariat",
            original_language="en",
            audiences=[audience.pk],
        ),
    )


def build_own_things(users: dict[str, User], org_a, org_b) -> dict[str, list[str]]:
    """For the owner and the member, one of each thing the "my Concord" page lists, on objects
    of their own that no operation of the matrix calls about (so no answer there changes)."""
    secretariat = users["secretariat"]
    own: dict[str, list[str]] = {"outsider": []}
    for persona, organisation, place in [("owner", org_a, "Dakar"), ("member", org_b, "Lima")]:
        person = users[persona]
        names = {
            "declaration": f"The {place} Call on Loss and Damage",
            "event": f"{place} Youth Climate Forum",
            "practice": f"{place} rooftop gardens",
            "project": f"{place} flood warnings",
            "request": f"Partner sought in {place}",
        }
        declaration = DeclarationFactory(
            created_by=secretariat, opened=True, title=names["declaration"]
        )
        SignatureFactory(declaration=declaration, email=person.email, confirmed=True)
        event = EventFactory(created_by=secretariat, title=names["event"])
        RegistrationFactory(event=event, user=person)
        PracticeFactory(
            organisation=organisation, created_by=person, status="draft", title=names["practice"]
        )
        ProjectFactory(
            organisation=organisation,
            user=person,
            title=names["project"],
            iati_identifier=f"SN-NINEA-0012345-{place.upper()}",
        )
        PartnershipRequestFactory(organisation=organisation, user=person, title=names["request"])
        own[persona] = list(names.values())
    return own
