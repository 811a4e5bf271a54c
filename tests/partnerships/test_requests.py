"""Posting requests and offers, by page and API: who may, what is refused, nothing stored."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.core.models import AuditEvent
from concord.partnerships.models import PartnershipRequest
from concord.partnerships.services import requests
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db

VALID = {
    "purpose": "peer_training",
    "title": "Peer training on mangrove nurseries",
    "description": "We seek a partner to train our community nursery teams.",
    "themes": ["oceans-coasts"],
    "sdgs": [14],
    "countries": ["MZ"],
    "regions": ["002"],
    "languages": ["pt", "fr"],
}


def test_a_representative_posts_a_request_with_its_details(member_org, colleague):
    posted = requests.post_request(colleague, member_org, dict(VALID))
    assert posted.kind == "request" and posted.status == "open"
    assert [t.slug for t in posted.themes.all()] == ["oceans-coasts"]
    assert [c.code for c in posted.countries.all()] == ["MZ"]
    assert [r.code for r in posted.regions.all()] == ["002"]
    assert posted.languages == ["pt", "fr"]
    assert AuditEvent.objects.filter(action="partnership_request.posted").count() == 1


def test_an_outsider_may_not_post_for_an_organisation(member_org, outsider):
    with pytest.raises(PermissionDenied):
        requests.post_request(outsider, member_org, dict(VALID))
    assert not PartnershipRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "deadline"),
        ({"countries": ["MZ", "XX"]}, "countries"),
        ({"regions": ["999"]}, "regions"),
        ({"languages": ["klingon"]}, "languages"),
        ({"themes": ["astrology"]}, "themes"),
        ({"title": "<b>Help</b>"}, "title"),
        ({"purpose": "anything"}, "purpose"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_stored(member_org, owner, change, field):
    with pytest.raises(ValidationError) as refused:
        requests.post_request(owner, member_org, VALID | change)
    assert field in refused.value.message_dict
    assert not PartnershipRequest.objects.exists()


def test_unknown_countries_are_named_in_the_message(member_org, owner):
    with pytest.raises(ValidationError) as refused:
        requests.post_request(owner, member_org, VALID | {"countries": ["MZ", "XX", "QQ"]})
    assert refused.value.message_dict["countries"] == [
        "“QQ” is not an ISO 3166-1 alpha-2 country code.",
        "“XX” is not an ISO 3166-1 alpha-2 country code.",
    ]


def test_api_post_and_list(client, member_org, owner):
    client.force_login(owner)
    answer = client.post(
        "/api/v1/partnership-requests",
        VALID | {"organisation": member_org.pk, "kind": "offer"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "offer" and body["organisation"]["id"] == member_org.pk
    assert body["countries"] == ["MZ"] and body["sdgs"] == [14]
    listed = client.get("/api/v1/partnership-requests?kind=offer").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    assert client.get("/api/v1/partnership-requests?kind=request").json()["count"] == 0


def test_api_bad_input_answers_422_per_field_and_stores_nothing(client, member_org, owner):
    client.force_login(owner)
    answer = client.post(
        "/api/v1/partnership-requests",
        VALID | {"organisation": member_org.pk, "deadline": "2001-01-01", "countries": ["ZZ"]},
        content_type="application/json",
    )
    assert answer.status_code == 422
    fields = {error["loc"][-1] for error in answer.json()["detail"]}
    assert fields == {"deadline", "countries"}
    assert not PartnershipRequest.objects.exists()


def test_api_refuses_an_outsider_and_the_anonymous(client, member_org, outsider):
    payload = VALID | {"organisation": member_org.pk}
    assert (
        client.post(
            "/api/v1/partnership-requests", payload, content_type="application/json"
        ).status_code
        == 401
    )
    client.force_login(outsider)
    answer = client.post("/api/v1/partnership-requests", payload, content_type="application/json")
    assert answer.status_code == 403
    assert not PartnershipRequest.objects.exists()


def test_posting_on_the_page_shows_the_matches(client, member_org, owner, partner_org):
    client.force_login(owner)
    answer = client.post(
        "/partnerships/requests/new/",
        {
            "organisation": member_org.pk,
            "kind": "request",
            "purpose": "knowledge_exchange",
            "title": "Mangrove methods",
            "description": "Exchange on mangrove replanting.",
            "themes": ["oceans-coasts"],
            "countries": ["MZ"],
            "languages": ["pt"],
        },
        follow=True,
    )
    posted = PartnershipRequest.objects.get()
    assert answer.redirect_chain[-1][0] == f"/partnerships/requests/{posted.pk}/"
    page = answer.content.decode()
    assert "<li>works on oceans and coasts in Mozambique</li><li>speaks Portuguese</li>" in page
    assert "<dd>Portuguese</dd>" in page  # the request's working languages, by name


def test_the_page_shows_a_past_deadline_refusal(client, member_org, owner):
    client.force_login(owner)
    answer = client.post(
        "/partnerships/requests/new/",
        {
            "organisation": member_org.pk,
            "kind": "request",
            "purpose": "mentoring",
            "title": "Mentor",
            "description": "A mentor.",
            "deadline": "2000-01-01",
        },
    )
    assert answer.status_code == 200
    assert "The deadline is in the past." in answer.content.decode()
    assert not PartnershipRequest.objects.exists()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("url", "queries"), [("/api/v1/partnership-requests", 6), ("/partnerships/", 6)]
)
def test_list_queries_do_not_grow_with_rows(
    client, member_org, owner, url, queries, rows, query_count
):
    PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["water"], countries=["KE"]
    )
    for index in range(rows - 1):
        PartnershipRequestFactory(
            organisation=member_org,
            user=owner,
            title=f"Request {index}",
            themes=["water", "energy"],
            sdgs=[6],
            countries=["KE", "TZ"],
            regions=["002"],
        )
    with query_count(queries):
        assert client.get(url).status_code == 200
