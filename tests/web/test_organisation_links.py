"""An organisation's page links to its public work in the other apps: published case studies,
projects, open requests and offers, the events it organises; never drafts or closed requests,
and at a fixed number of queries."""

from itertools import count

import pytest
from django.urls import reverse

from concord.partnerships.models import PartnershipRequest
from tests.factories.events import EventFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory
from tests.factories.results import ProjectFactory

pytestmark = pytest.mark.django_db

# The organisation with its themes, goals and representatives (4), then one query per app.
QUERIES = 8
IATI_NUMBERS = count(1)


def add_work(organisation, number: int) -> dict:
    made: dict = {"practices": [], "projects": [], "requests": [], "events": []}
    for n in range(number):
        made["practices"].append(
            PracticeFactory(organisation=organisation, title=f"Published study {n}", indexed=False)
        )
        made["projects"].append(
            ProjectFactory(
                organisation=organisation,
                title=f"Project {n}",
                iati_identifier=f"SN-NINEA-0012345-P{next(IATI_NUMBERS):03}",
            )
        )
        made["requests"].append(
            PartnershipRequestFactory(organisation=organisation, title=f"Open request {n}")
        )
        made["events"].append(EventFactory(title=f"Forum {n}", organisation_ids=[organisation.pk]))
    return made


def page_of(client, organisation) -> str:
    response = client.get(reverse("organisations:detail", args=[organisation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_links_to_the_organisations_public_work(client, member_org):
    made = add_work(member_org, 1)
    draft = PracticeFactory(
        organisation=member_org, title="Unfinished draft", status="draft", indexed=False
    )
    closed = PartnershipRequestFactory(organisation=member_org, title="Closed request")
    PartnershipRequest.objects.filter(pk=closed.pk).update(status=PartnershipRequest.Status.CLOSED)

    page = page_of(client, member_org)

    assert f'href="{reverse("knowledge:detail", args=[made["practices"][0].pk])}"' in page
    assert f'href="{reverse("results:project", args=[made["projects"][0].pk])}"' in page
    assert f'href="{reverse("partnerships:request", args=[made["requests"][0].pk])}"' in page
    assert f'href="{reverse("events:detail", args=[made["events"][0].slug])}"' in page
    assert f'href="{reverse("knowledge:detail", args=[draft.pk])}"' not in page
    assert "Unfinished draft" not in page
    assert "Closed request" not in page


def test_another_organisations_work_is_not_listed(client, member_org, outsider):
    add_work(OrganisationFactory(name="River Watch", admin=outsider), 1)

    page = page_of(client, member_org)

    for title in ("Published study 0", "Project 0", "Open request 0", "Forum 0"):
        assert title not in page


def test_the_links_cost_the_same_queries_for_one_or_three_of_each(client, member_org, query_count):
    url = reverse("organisations:detail", args=[member_org.pk])
    add_work(member_org, 1)
    with query_count(QUERIES):
        client.get(url)
    add_work(member_org, 2)
    with query_count(QUERIES):
        client.get(url)
