"""The "my Concord" page: a signed-in person's own organisations, signatures, registrations,
case studies, projects and requests, and what waits for them, at a fixed cost."""

from datetime import date, timedelta
from itertools import count as numbers

import pytest
from django.utils import timezone

from concord.events.models import Event
from concord.knowledge.models import Document
from concord.organisations.models import Organisation
from concord.partnerships.services import partnerships
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
from tests.factories.partnerships import InterestFactory, PartnershipRequestFactory
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory

pytestmark = pytest.mark.django_db
PROJECT_NUMBERS = numbers(1)


def make_own_items(person, organisation, colleague, count: int, tag: str = "") -> None:
    """`count` of each thing the page lists for `person`, an admin of `organisation` (a
    member) whose colleague reports results; titles end with the tag and the index."""
    other_admin = UserFactory(email=f"other-admin{tag}@example.org")
    other = OrganisationFactory(name=f"Interested Partner{tag}", admin=other_admin)
    for index in range(count):
        suffix = f"{tag} {index}"
        declaration = DeclarationFactory(opened=True, title=f"Signed call{suffix}")
        SignatureFactory(declaration=declaration, email=person.email, confirmed=index % 2 == 0)
        RegistrationFactory(event=EventFactory(title=f"Forum I attend{suffix}"), user=person)
        PracticeFactory(
            organisation=organisation, created_by=person, status="draft", title=f"My study{suffix}"
        )
        project = ProjectFactory(
            organisation=organisation,
            user=person,
            title=f"Project{suffix}",
            iati_identifier=f"SN-NINEA-0012345-MC{next(PROJECT_NUMBERS):03d}",
        )
        _indicator, periods = IndicatorFactory.with_periods(
            person, project, periods=1, title=f"Update to approve{suffix}"
        )
        UpdateFactory(period=periods[0], user=colleague, submit=True)
        posted = PartnershipRequestFactory(
            organisation=organisation, user=person, title=f"Our request{suffix}"
        )
        InterestFactory(request=posted, organisation=other, user=other_admin)
        partnerships.record_partnership(
            other_admin,
            {
                "title": f"Partnership to answer{suffix}",
                "goals": "Share nursery methods.",
                "partners": [other.pk, organisation.pk],
                "deliverables": [
                    {
                        "title": "Exchange visit",
                        "target": 1,
                        "unit": "visit",
                        "due_on": date.today() + timedelta(days=90),
                    }
                ],
            },
        )
        moderated = EventFactory(
            created_by=person,
            organisation_ids=[organisation.pk],
            title=f"Moderated forum{suffix}",
            approval="moderated",
        )
        RegistrationFactory(event=moderated, user=UserFactory())
        OrganisationFactory(
            name=f"Application asked about{suffix}", status="more_info", admin=person
        )


def make_secretariat_queues(count: int) -> None:
    for index in range(count):
        OrganisationFactory(name=f"Applicant {index}", status="pending")
        member = OrganisationFactory(name=f"Renamed member {index}")
        Organisation.objects.filter(pk=member.pk).update(
            proposed_name=f"New name {index}", proposed_at=timezone.now()
        )
        PracticeFactory(title=f"Study to review {index}", status="submitted")
        published = PracticeFactory(title=f"Study with new files {index}")
        Document.objects.create(
            practice=published, file="practices/documents/x.pdf", title="Annex", awaits_review=True
        )


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/"
    response = client.get("/fr/my/")
    assert response["Location"] == "/fr/accounts/login/?next=/fr/my/"


def test_each_section_lists_the_persons_own_items(client, owner, colleague, member_org):
    make_own_items(owner, member_org, colleague, 1)
    client.force_login(owner)

    html = client.get("/my/").content.decode()

    for shown in [
        "Mangrove Keepers",  # my organisation, with my role
        "Your role: Organisation admin",
        "Signed call 0",
        "Forum I attend 0",
        "My study 0",
        "Project 0",
        "Our request 0",
        "Update to approve 0",  # waiting: a colleague's update
        "Interested Partner is interested",  # waiting: an interest in our request
        "Partnership to answer 0",  # waiting: our place in a partnership
        "Moderated forum 0",  # waiting: a registration to approve
        "Application asked about 0",  # waiting: the secretariat's question
    ]:
        assert shown in html, shown
    # The secretariat's queues are not a member's.
    assert "Review the applications" not in html
    assert "Review the case studies" not in html
    # The confirmed signature can still be withdrawn, from "my signatures".
    assert 'href="/declarations/signatures/mine/#signature-' in html
    # A member organisation's admin may write, plan and post.
    for link in ["/practices/new/", "/results/projects/new/", "/partnerships/requests/new/"]:
        assert f'href="{link}"' in html


def test_another_members_items_do_not_appear(client, owner, colleague, member_org):
    make_own_items(owner, member_org, colleague, 1)
    someone = UserFactory(email="someone@example.org")
    their_org = OrganisationFactory(name="Sahel Water Watch", admin=someone)
    their_colleague = RepresentativeFactory(organisation=their_org, user=UserFactory()).user
    make_own_items(someone, their_org, their_colleague, 1, tag=" of someone")
    client.force_login(owner)

    html = client.get("/my/").content.decode()

    assert "Signed call 0" in html
    assert "of someone" not in html
    assert "Sahel Water Watch" not in html


def test_a_newcomer_sees_each_empty_state_with_a_link_to_act(client, outsider):
    client.force_login(outsider)

    html = client.get("/my/").content.decode()

    for empty, link in [
        ("Nothing is waiting for you.", None),
        ("You do not represent an organisation yet.", "/members/apply/"),
        ("You have no signatures yet.", "/declarations/"),
        ("You have not registered for an event yet.", "/events/"),
        ("You have not written a case study yet.", "/practices/"),
        ("Your organisations have no project yet.", "/results/projects/"),
        ("Your organisations have posted no request or offer yet.", "/partnerships/"),
    ]:
        assert empty in html
        if link:
            assert f'href="{link}"' in html
    # Only those who act for a member organisation are offered to write, plan and post.
    for link in ["/practices/new/", "/results/projects/new/", "/partnerships/requests/new/"]:
        assert f'href="{link}"' not in html


def test_registrations_list_coming_events_first(client, outsider):
    soon = EventFactory(title="Soon forum", starts_at=timezone.now() + timedelta(days=2))
    later = EventFactory(title="Later forum", starts_at=timezone.now() + timedelta(days=20))
    over = EventFactory(title="Forum that is over")
    for event in (over, later, soon):
        RegistrationFactory(event=event, user=outsider)
    Event.objects.filter(pk=over.pk).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=8)
    )
    client.force_login(outsider)

    html = client.get("/my/").content.decode()

    assert html.index("Soon forum") < html.index("Later forum") < html.index("Forum that is over")


def test_the_secretariat_sees_its_review_queues(client, secretariat):
    make_secretariat_queues(1)
    client.force_login(secretariat)

    html = client.get("/my/").content.decode()

    for shown in [
        "Applicant 0",
        "Renamed member 0",
        "Study to review 0",
        "Study with new files 0",
        'href="/members/applications/"',
        'href="/practices/review/"',
    ]:
        assert shown in html, shown


def test_menu_and_account_page_link_to_the_page(client, outsider):
    client.force_login(outsider)
    html = client.get("/account/").content.decode()
    assert html.count('href="/my/"') == 2  # the menu and the account page
    assert 'href="/fr/my/"' in client.get("/fr/").content.decode()
    client.logout()
    assert 'href="/my/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_runs_a_fixed_number_of_queries(
    client, query_count, owner, colleague, member_org, count
):
    make_own_items(owner, member_org, colleague, count)
    client.force_login(owner)
    with query_count(16):
        response = client.get("/my/")
    assert response.content.decode().count("Partnership to answer ") == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_secretariats_page_runs_a_fixed_number_of_queries(
    client, query_count, secretariat, count
):
    make_secretariat_queues(count)
    client.force_login(secretariat)
    with query_count(19):
        response = client.get("/my/")
    assert response.content.decode().count("Study to review ") == count
