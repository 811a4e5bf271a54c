"""Every kind of email Concord writes, sign-in messages included, sent to French-speaking
people by people who work in English and by the worker, which works in no language: each one
is rendered in French and every link in it opens a French page. A new kind of email (a new
`*_subject.txt` under an app's `templates/<app>/emails/`) fails this test until it is swept
too."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

import concord
from concord.core import emails
from concord.declarations.addressees import notices
from concord.declarations.drafting import queries as drafting_queries
from concord.declarations.log import sealing
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import (
    addressees,
    amendments,
    drafting,
    lifecycle,
    scheduled,
    signing,
    submissions,
)
from concord.events.services import messages, programme, registration
from concord.groups import notify as group_notify
from concord.groups.services import membership as group_membership
from concord.groups.services import posting
from concord.knowledge.embeddings import _load
from concord.knowledge.services import adaptations, review
from concord.mailings.services import composing, sending
from concord.organisations import services as organisations
from concord.organisations.models import Organisation
from concord.partnerships import digests
from concord.partnerships.services import interests, partnerships
from concord.results.services import updates
from tests import inbox
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, required_answers
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import (
    FundingCallFactory,
    InterestFactory,
    PartnershipRequestFactory,
)
from tests.factories.results import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db

KINDS = sorted(
    f"{path.parent.parent.name}/emails/{path.name.removesuffix('_subject.txt')}"
    for path in Path(concord.__file__).parent.glob("*/templates/*/emails/*_subject.txt")
)


@pytest.fixture
def rendered(monkeypatch):
    """{template: [(subject, text, html, ...), ...]} of every message rendered in the test."""
    seen: dict[str, list[tuple]] = {}
    render = emails.render_email

    def recording(template, *args, **kwargs):
        parts = render(template, *args, **kwargs)
        seen.setdefault(template, []).append(parts)
        return parts

    monkeypatch.setattr(emails, "render_email", recording)
    return seen


@pytest.fixture
def no_embedder(settings):
    settings.EMBEDDING_MODEL = "none"
    _load.cache_clear()
    yield
    _load.cache_clear()


def french(**fields):
    return UserFactory(language="fr", **fields)


class World:
    """French-speaking people: the secretariat, the admin and a representative of a member,
    a partner organisation's admin, an applicant and a person invited by address."""

    def __init__(self) -> None:
        self.secretariat = french(staff=True, name="Élise Secrétariat")
        self.admin = french(name="Awa Admin")
        self.rep = french(name="Bakary Rep")
        self.partner = french(name="Paulo Partenaire")
        self.applicant = french(name="Chidi Candidat")
        self.invitee = french(name="Dina Invitée")
        self.member = OrganisationFactory(name="Mangrove Keepers", admin=self.admin)
        self.member.representatives.create(user=self.rep, role="representative")
        self.member.themes.set(["oceans-coasts"])
        self.other = OrganisationFactory(
            name="Costa Viva", country_id="MZ", admin=self.partner, description="Mangroves."
        )
        self.other.themes.set(["oceans-coasts"])
        self.third = OrganisationFactory(name="Sahel Solar", admin=french(name="Sani"))


def membership(world: World) -> None:
    organisations.apply_for_membership(
        world.applicant, {"name": "Delta Youth", "country": "BD", "kind": "ngo", "city": "Khulna"}
    )
    for outcome in ("approve", Organisation.Status.REJECTED, Organisation.Status.MORE_INFO):
        pending = OrganisationFactory(status="pending", admin=world.applicant)
        if outcome == "approve":
            organisations.approve_membership(world.secretariat, pending)
        else:
            organisations.review_with_note(world.secretariat, pending, outcome, "Une note.")
    organisations.invite_representative(world.admin, world.member, world.invitee.email)


def declarations(world: World) -> None:
    declaration = DeclarationFactory(created_by=world.secretariat, opened=True, goal_signatures=1)
    signer = signing.SignatureInput(name="Dina", email=world.invitee.email, country="SN")
    submissions.submit(declaration, signer, signing.Context())  # the confirmation
    submissions.submit(declaration, signer, signing.Context())  # "you have already signed"
    invited_only = DeclarationFactory(
        created_by=world.secretariat, eligibility=Declaration.Eligibility.INVITED, opened=True
    )
    submissions.submit(invited_only, signer, signing.Context())  # "open only to"
    SignatureFactory(declaration=declaration, email=french().email, confirmed=True)
    in_the_worker(scheduled.notify_reached_goals)
    in_the_worker(sealing.seal_waiting)  # the receipt of the signature in the log


def drafting_and_answers(world: World) -> None:
    """A decision on an amendment, to its proposer; a published response, to a signer who
    asked to be kept informed."""
    draft = DeclarationFactory(created_by=world.secretariat, text="We call.\n\nWe ask.")
    soon = timezone.now() + timedelta(days=3)
    drafting.open_for_comments(world.secretariat, draft, audience="members", closes_at=soon)
    key = drafting_queries.paragraphs_of(drafting_queries.current_version(draft))[0][0]
    amendment = drafting.propose_amendment(
        world.rep, draft, paragraph=key, kind="replace", text="We demand.", reason="Stronger."
    )
    amendments.decide(world.secretariat, amendment, decision="accept", reason="Agreed.")
    opened = lifecycle.open_declaration(world.secretariat, draft)
    signature = SignatureFactory(declaration=opened, email=french().email, confirmed=True)
    Signature.objects.filter(pk=signature.pk).update(keep_informed=True)
    addressee = addressees.add_addressee(world.secretariat, opened, kind="government", country="SN")
    response = addressees.record_response(
        world.secretariat, addressee, received_on=timezone.localdate(), source="Ministère",
        text="Oui.", summary="Le Sénégal soutient l'appel.",
    )  # fmt: skip
    addressees.publish_response(world.secretariat, response)
    in_the_worker(notices.notify, response.pk)


def events(world: World) -> None:
    event = EventFactory(created_by=world.secretariat, capacity=1)
    data = registration.RegistrationInput(country="SN", answers=required_answers(event))
    mine = registration.register(world.admin, event, data)
    registration.change_answers(world.admin, mine, data)
    registration.register(world.rep, event, data)  # the waiting list
    later = programme.EventInput(
        slug=event.slug, title=event.title, kind=event.kind, format=event.format,
        starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at,
        time_zone=event.time_zone, city=event.city, country="SN", capacity=1,
    )  # fmt: skip
    programme.update_event(world.secretariat, event, later)
    messages.message_participants(world.secretariat, event, "Programme", "Voici le programme.")
    event.refresh_from_db()
    in_the_worker(messages.send_reminders, event.starts_at - timedelta(hours=3))
    registration.cancel_registration(world.admin, mine)  # cancelled; the rep is promoted


def knowledge(world: World) -> None:
    practice = PracticeFactory(organisation=world.member, status="draft")
    review.submit_practice(world.admin, practice)
    review.return_practice(world.secretariat, practice, "Ajoutez des chiffres.")
    review.submit_practice(world.admin, practice)
    published = review.publish_practice(world.secretariat, practice)
    adaptations.contact_organisation(world.partner, published, "Bonjour !")


def partnering(world: World) -> None:
    posted = PartnershipRequestFactory(
        organisation=world.member, user=world.admin, themes=["oceans-coasts"], countries=["MZ"]
    )
    accepted = InterestFactory(request=posted, organisation=world.other, user=world.partner)
    declined = InterestFactory(request=posted, organisation=world.third)
    interests.accept_interest(world.admin, accepted)
    interests.decline_interest(world.admin, declined)
    due = (timezone.localdate() + timedelta(days=300)).isoformat()
    partnerships.record_partnership(
        world.admin,
        {
            "title": "Saloum-Beira exchange",
            "goals": "Two nurseries running.",
            "partners": [world.member.pk, world.third.pk],
            "deliverables": [
                {"title": "Nurseries", "target": "2", "unit": "nurseries", "due_on": due}
            ],
        },
    )
    FundingCallFactory(user=world.secretariat, eligible_countries=["MZ"], themes=["oceans-coasts"])
    in_the_worker(digests.send_weekly_digests)


def results(world: World) -> None:
    project = ProjectFactory(organisation=world.member, user=world.admin)
    _indicator, periods = IndicatorFactory.with_periods(world.admin, project, periods=1)
    update = updates.save_update(world.rep, periods[0], {"value": "5", "submit": True})
    updates.approve_update(world.admin, update)


def mailing(world: World) -> None:
    """A mailing in French to the members' representatives, its test to its author first."""
    audience = composing.save_audience(
        world.secretariat, composing.AudienceInput(name="Membres", kind="representatives")
    )
    draft = composing.save_mailing(
        world.secretariat,
        composing.MailingInput(
            texts=[composing.Text("fr", "Signez avant la COP", "Chers membres, **signez**.")],
            sender_name="Le secrétariat",
            original_language="fr",
            audiences=[audience.pk],
        ),
    )
    sending.send_test(world.secretariat, draft)
    sending.send(world.secretariat, draft)
    in_the_worker(sending.queue_recipients.call, draft.pk)


def working_groups(world: World) -> None:
    """A post mailed to a member who reads every post, and the daily digest to another."""
    group = group_membership.create_group(world.admin, group_membership.GroupInput(name="Finance"))
    group_membership.join(world.rep, group)
    group_membership.join(world.partner, group, delivery="digest")
    post = posting.start_thread(world.admin, group, "Une note", "Écrivons une note commune.")
    in_the_worker(group_notify.notify_post.call, post.pk)
    in_the_worker(group_notify.send_digests, timezone.now() + timedelta(minutes=1))


def signing_in(world: World, client) -> None:
    """allauth's messages, asked for on English pages (or, for newcomers, on French ones)."""
    password = "a-long-pass-phrase-9"
    newcomer = {"email": "nouvelle@example.org", "name": "Nouvelle", "password1": password}
    client.post("/fr/accounts/signup/", {**newcomer, "password2": password})
    client.logout()
    existing = {**newcomer, "email": world.admin.email, "password2": password}
    client.post("/accounts/signup/", existing)  # "you already have an account"
    client.post("/accounts/password/reset/", {"email": world.rep.email})
    client.post("/fr/accounts/password/reset/", {"email": "inconnue@example.org"})
    client.force_login(world.partner)
    client.post("/accounts/email/", {"action_add": "", "email": "autre@example.org"})


def in_the_worker(job, *args):
    """Run a job as the worker does: without a request, so without a language of its own."""
    translation.deactivate()
    try:
        return job(*args)
    finally:
        translation.activate("en")


def test_every_email_is_in_the_recipients_language_with_links_in_it(client, rendered, no_embedder):
    world = World()
    with translation.override("en"):  # everyone who acts works in English
        for area in (
            membership, declarations, drafting_and_answers, events, knowledge, partnering,
            results, mailing, working_groups,
        ):  # fmt: skip
            area(world)
    signing_in(world, client)

    assert sorted(rendered) == KINDS
    wrong = {}
    for template, messages_ in rendered.items():
        for _subject, text, html, *_links in messages_:
            outside = [path for path in inbox.paths(text, html) if not path.startswith("/fr/")]
            if '<html lang="fr"' not in html or outside:
                wrong[template] = outside or "not rendered in French"
    assert wrong == {}
