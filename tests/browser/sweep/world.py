"""The demo site as the page sweep sees it: the demo dataset, the people who use it, and a
real demo object for every kind of page.

The sweep signs in as the demo's own people: the secretariat, an organisation's admin, a
plain representative, an outsider (a verified account that represents no one; the demo has
none, so one is added), and, for pages that belong to one person, the demo person they
belong to (the author of a case study, a registered participant, an event's organiser).
Links that only an email holds (a confirmation or withdrawal link, an invitation, an
unsubscribe link) get a known token, stored hashed as the real ones are.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from concord.accounts.demo import DEMO_ADMIN_EMAIL, verified_user
from concord.accounts.models import User
from concord.core import preferences
from concord.declarations.imports import start_import
from concord.declarations.models import Addressee, Comment, Declaration, Signature
from concord.declarations.services.signing import hash_token
from concord.events.models import Event, Registration
from concord.groups.models import Group
from concord.knowledge.models import Practice
from concord.mailings.models import Mailing
from concord.organisations.demo import DEMO_ORG_ADMIN_EMAIL
from concord.organisations.models import Invitation, Organisation, Representative
from concord.partnerships.digests import digest_subscription
from concord.partnerships.models import (
    ExpressionOfInterest,
    FundingCall,
    Partnership,
    PartnershipRequest,
)
from concord.results.models import Indicator, Period, Project, Result, Update
from concord.results.services.updates import return_update

OUTSIDER_EMAIL = "outsider@concord.example"
PAPER_LIST = (
    "name,email,country,kind,organisation,role,show_name\n"
    "Aïssatou Ndiaye,aissatou.ndiaye@example.org,SN,individual,,,yes\n"
    "Moussa Faye,not-an-address,SN,individual,,,yes\n"
)
TOKEN = "sweep-token-from-an-email"  # the token of every emailed link the sweep opens


def admin_of(organisation: Organisation) -> User:
    return Representative.objects.filter(organisation=organisation, role="admin").first().user


@dataclass
class Demo:
    people: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def find_demo() -> Demo:
    """The people and objects of the demo just built (see `web/demo.py`)."""
    admin = User.objects.get(email=DEMO_ORG_ADMIN_EMAIL)
    home = Representative.objects.get(user=admin, role="admin").organisation
    people = {
        "secretariat": User.objects.get(email=DEMO_ADMIN_EMAIL),
        "admin": admin,
        "representative": Representative.objects.filter(
            organisation__status="member", role="representative"
        )
        .exclude(user__representations__role="admin")
        .first()
        .user,
        "outsider": User.objects.filter(email=OUTSIDER_EMAIL).first()
        or verified_user(OUTSIDER_EMAIL, "Nodira Outsider"),
    }
    demo = Demo(people=people)
    o = demo.objects
    o["home"] = home
    o["open"] = Declaration.objects.get(status="open")
    o["published"] = Declaration.objects.get(status="published")
    o["draft"] = Declaration.objects.get(status="draft")
    o["comment"] = Comment.objects.filter(declaration=o["draft"]).order_by("pk").first()
    people["commenter"] = o["comment"].author
    o["addressee"] = Addressee.objects.filter(declaration=o["published"]).order_by("pk").first()
    o["pending_org"] = Organisation.objects.filter(status="pending").first()
    o["more_info_org"] = Organisation.objects.filter(status="more_info").first()
    people["applicant"] = o["more_info_org"].applied_by or admin_of(o["more_info_org"])

    event = Event.objects.filter(registrations__user__isnull=False).order_by("starts_at").first()
    o["event"] = event
    people["organiser"] = event.created_by
    registration = Registration.objects.filter(event=event, user__isnull=False).first()
    people["participant"] = registration.user

    practice = Practice.objects.filter(status="published").order_by("pk").first()
    o["practice"] = practice
    people["author"] = practice.created_by

    project = Project.objects.filter(updates_exist()).order_by("pk").first()
    o["project"] = project
    people["project_admin"] = admin_of(project.organisation)
    o["result"] = Result.objects.filter(project=project).first()
    o["indicator"] = Indicator.objects.filter(result__project=project).first()
    o["period"] = Period.objects.filter(indicator__result__project=project).first()
    update = Update.objects.filter(period__indicator__result__project=project)
    o["update"] = update.filter(status="submitted").first() or update.first()
    returned = Update.objects.filter(status="submitted").exclude(pk=o["update"].pk).first()
    o["returned_update"] = return_update(  # the demo returns none for changes: one is
        admin_of(returned.period.indicator.result.project.organisation),
        returned,
        "Please add the villages where the seedlings were planted.",
    )
    people["update_author"] = returned.author

    o["request"] = PartnershipRequest.objects.filter(status="open").order_by("pk").first()
    people["requester"] = admin_of(o["request"].organisation)
    o["interest"] = ExpressionOfInterest.objects.order_by("pk").first()
    o["partnership"] = Partnership.objects.order_by("pk").first()
    people["partner"] = admin_of(o["partnership"].members.first().organisation)
    o["call"] = FundingCall.objects.order_by("pk").first()
    o["mailing"] = Mailing.objects.filter(status="draft").order_by("pk").first()
    o["sent_mailing"] = Mailing.objects.filter(status="sent", public=True).order_by("pk").first()
    o["group"] = Group.objects.get(slug="climate-finance-ldcs")
    o["members_group"] = Group.objects.get(slug="adaptation-sahel")
    o["group_thread"] = o["group"].threads.filter(closed_at=None).order_by("pk").first()
    o["group_post"] = o["group_thread"].posts.order_by("pk").first()
    people["group_author"] = o["group_post"].author
    o["import_job"] = start_import(  # a check of a paper list, with one row to mend
        people["secretariat"],
        o["open"],
        PAPER_LIST,
        dry_run=True,
        collected_by="Forum national des ONG, Dakar",
        at_once=True,
    )
    _emailed_links(demo)
    return demo


def updates_exist() -> Q:
    return Q(results__indicators__periods__updates__isnull=False)


def _emailed_links(demo: Demo) -> None:
    """Give one pending signature, one invitation and one digest subscription the known
    token, as if the sweep had read the email that carries each link."""
    signature = Signature.objects.filter(declaration=demo.open, status="pending").first()
    if signature is None:
        signature = Signature.objects.filter(declaration=demo.open).first()
    Signature.objects.filter(pk=signature.pk).update(token_hash=hash_token(TOKEN))
    Invitation.objects.update_or_create(  # the demo invites no one: the admin asks the outsider
        organisation=demo.home,
        email=OUTSIDER_EMAIL,
        defaults={
            "role": "representative",
            "token_hash": hash_token(TOKEN),
            "invited_by": demo.people["admin"],
            "expires_at": timezone.now() + timedelta(days=7),
        },
    )
    demo.objects["digest_token"] = digest_subscription(demo.people["admin"]).token
    demo.objects["preferences_token"] = preferences.token_for(demo.people["admin"].email)
