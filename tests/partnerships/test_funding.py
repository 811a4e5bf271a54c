"""Funding calls: entered by the secretariat or funders, refused when wrong, matched to
organisations by eligibility (their country), ordered by themes; applications tracked."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.partnerships import queries
from concord.partnerships.models import FundingApplication, FundingCall, OrganisationLanguages
from concord.partnerships.services import funding
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import FundingCallFactory

pytestmark = pytest.mark.django_db


def future(days: int = 30) -> str:
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


CALL = {
    "title": "Coastal resilience grants",
    "funder": "Blue Climate Fund",
    "instrument": "grant",
    "amount_min": 5000,
    "amount_max": 25000,
    "currency": "USD",
    "deadline_timezone": "Africa/Maputo",
    "link": "https://example.org/calls/coastal",
    "themes": ["oceans-coasts"],
}


@pytest.fixture
def mozambique(db):
    organisation = OrganisationFactory(name="Costa Viva", country_id="MZ")  # an LDC
    organisation.themes.set(["oceans-coasts"])
    return organisation


@pytest.fixture
def brazil(db):
    organisation = OrganisationFactory(name="Mar do Brasil", country_id="BR")  # not an LDC
    organisation.themes.set(["oceans-coasts"])
    return organisation


def test_the_deadline_is_read_in_its_time_zone(secretariat):
    call = funding.create_funding_call(
        secretariat, CALL | {"deadline": "2099-03-01T17:00", "eligible_groups": ["ldc"]}
    )
    assert call.deadline == datetime(2099, 3, 1, 15, 0, tzinfo=UTC)  # Maputo is UTC+2
    assert call.deadline_timezone == "Africa/Maputo"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"deadline": "2020-01-01T12:00"}, "deadline", "The deadline is in the past."),
        (
            {"eligible_countries": ["MZ", "XK1"]},
            "eligible_countries",
            "“XK1” is not an ISO 3166-1 alpha-2 country code.",
        ),
        ({"eligible_groups": ["g20"]}, "eligible_groups", None),
        ({"currency": "XYZ"}, "currency", "Give an ISO 4217 currency code, e.g. USD, XOF or EUR."),
        ({"deadline_timezone": "Mars/Olympus"}, "deadline_timezone", None),
        ({"amount_min": 50000}, "amount_max", "The largest amount cannot be below the smallest."),
        ({"instrument": "loan"}, "instrument", None),
        ({"link": "javascript:alert(1)"}, "link", None),
    ],
)
def test_bad_calls_are_refused_with_a_clear_message_and_not_stored(
    secretariat, change, field, message
):
    data = CALL | {"deadline": future(), "eligible_groups": ["ldc"]} | change
    with pytest.raises(ValidationError) as refused:
        funding.create_funding_call(secretariat, data)
    assert field in refused.value.message_dict
    if message:
        assert refused.value.message_dict[field] == [message]
    assert not FundingCall.objects.exists()


def test_only_the_secretariat_and_funders_enter_calls(owner, outsider):
    data = CALL | {"deadline": future(), "open_to_all": True}
    with pytest.raises(PermissionDenied):
        funding.create_funding_call(outsider, data)
    funder = UserFactory(email="funder@example.org")
    funder.user_permissions.add(Permission.objects.get(codename="add_fundingcall"))
    funder = type(funder).objects.get(pk=funder.pk)  # permissions are cached per object
    assert funding.create_funding_call(funder, data).funder == "Blue Climate Fund"


def test_ldc_call_matches_an_ldc_organisation_and_not_another(secretariat, mozambique, brazil):
    call = FundingCallFactory(user=secretariat, **CALL, eligible_groups=["ldc"])
    assert [m.call for m in queries.funding_matches(mozambique)] == [call]
    assert queries.funding_matches(brazil) == []
    match = queries.funding_matches(mozambique)[0]
    assert match.reasons == ["eligible: Mozambique is in LDCs", "themes: oceans and coasts"]


def test_region_and_country_eligibility(secretariat, mozambique, brazil):
    africa = FundingCallFactory(
        user=secretariat, **CALL | {"title": "Africa"}, eligible_regions=["002"]
    )
    brazil_only = FundingCallFactory(
        user=secretariat, **CALL | {"title": "Brazil"}, eligible_countries=["BR"]
    )
    assert [m.call for m in queries.funding_matches(mozambique)] == [africa]
    assert [m.call for m in queries.funding_matches(brazil)] == [brazil_only]


def test_themes_order_the_eligible_calls_and_hide_none(secretariat, mozambique):
    energy = FundingCallFactory(
        user=secretariat, **CALL | {"themes": ["energy"]}, eligible_groups=["ldc"]
    )
    any_theme = FundingCallFactory(
        user=secretariat, **CALL | {"themes": []}, eligible_groups=["ldc"]
    )
    coasts = FundingCallFactory(user=secretariat, **CALL, eligible_groups=["ldc"])
    found = queries.funding_matches(mozambique)
    assert [m.call for m in found] == [coasts, energy, any_theme]
    assert [m.matches_themes for m in found] == [True, False, False]


def test_closed_calls_do_not_match(secretariat, mozambique):
    call = FundingCallFactory(user=secretariat, **CALL, eligible_groups=["ldc"])
    FundingCall.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert queries.funding_matches(mozambique) == []


def test_api_funding_calls_and_matches(client, secretariat, mozambique, brazil):
    client.force_login(secretariat)
    answer = client.post(
        "/api/v1/funding-calls",
        CALL | {"deadline": future() + ":00", "eligible_groups": ["ldc", "sids"]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["eligible_groups"] == ["ldc", "sids"]
    client.logout()
    matched = client.get(f"/api/v1/organisations/{mozambique.pk}/funding-matches").json()
    assert [m["call"]["id"] for m in matched["results"]] == [answer.json()["id"]]
    assert client.get(f"/api/v1/organisations/{brazil.pk}/funding-matches").json()["count"] == 0
    assert client.get("/api/v1/organisations/999999/funding-matches").status_code == 404


def test_api_refuses_bad_calls_per_field_and_stores_nothing(client, secretariat, outsider):
    client.force_login(secretariat)
    answer = client.post(
        "/api/v1/funding-calls",
        CALL | {"deadline": "2001-01-01T00:00:00Z", "eligible_countries": ["ZZ"]},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert {e["loc"][-1] for e in answer.json()["detail"]} == {"deadline", "eligible_countries"}
    client.force_login(outsider)
    answer = client.post(
        "/api/v1/funding-calls", CALL | {"deadline": future(), "open_to_all": True},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 403
    assert not FundingCall.objects.exists()


def test_an_organisation_tracks_its_applications(secretariat, member_org, owner, outsider):
    call = FundingCallFactory(user=secretariat, **CALL, open_to_all=True)
    funding.track_application(owner, member_org, call, "preparing")
    funding.track_application(owner, member_org, call, "submitted")
    assert FundingApplication.objects.get().status == "submitted"
    with pytest.raises(PermissionDenied):
        funding.track_application(outsider, member_org, call, "awarded")
    with pytest.raises(ValidationError):
        funding.track_application(owner, member_org, call, "won")


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("url", "queries"), [("/api/v1/funding-calls", 6), ("/partnerships/funding/", 6)]
)
def test_call_list_queries_do_not_grow_with_rows(
    client, secretariat, url, queries, rows, query_count
):
    FundingCallFactory(user=secretariat, **CALL, eligible_groups=["ldc"], eligible_countries=["BR"])
    for index in range(rows - 1):
        FundingCallFactory(
            user=secretariat,
            **CALL | {"title": f"Call {index}"},
            eligible_groups=["sids", "ldc"],
            eligible_regions=["002"],
        )
    with query_count(queries):
        assert client.get(url).status_code == 200


def test_page_enters_a_call(client, secretariat, mozambique):
    client.force_login(secretariat)
    answer = client.post(
        "/partnerships/funding/new/",
        CALL | {"deadline": future(), "eligible_groups": ["ldc"]},
    )
    call = FundingCall.objects.get()
    assert answer["Location"] == f"/partnerships/funding/{call.pk}/"
    page = client.get(f"/partnerships/organisations/{mozambique.pk}/funding/").content.decode()
    assert "Coastal resilience grants" in page


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/organisations/{pk}/funding-matches", 7),
        ("/partnerships/organisations/{pk}/funding/", 7),
    ],
)
def test_funding_matches_cost_the_same_queries_for_one_or_many_calls(
    client, secretariat, mozambique, path, queries, rows, query_count
):
    FundingCallFactory(user=secretariat, **CALL, eligible_groups=["ldc"])
    for index in range(rows - 1):
        FundingCallFactory(
            user=secretariat,
            **CALL | {"title": f"Call {index}"},
            eligible_regions=["002"],
            eligible_countries=["MZ", "KE"],
        )
    url = path.format(pk=mozambique.pk)
    client.get(url)  # warm the per-process caches (reference data, translations)
    with query_count(queries):
        assert client.get(url).status_code == 200
    assert (
        client.get(f"/api/v1/organisations/{mozambique.pk}/funding-matches").json()["count"] == rows
    )


def test_page_tracks_an_application_and_shows_it(client, secretariat, member_org, owner, outsider):
    call = FundingCallFactory(user=secretariat, **CALL, open_to_all=True)
    client.force_login(owner)
    answer = client.post(
        f"/partnerships/funding/{call.pk}/track/",
        {"organisation": member_org.pk, "status": "submitted"},
    )
    assert answer["Location"] == f"/partnerships/organisations/{member_org.pk}/funding/"
    assert FundingApplication.objects.get().status == "submitted"
    assert "Submitted" in client.get(answer["Location"]).content.decode()
    client.force_login(outsider)  # represents no organisation: the choice is refused
    client.post(
        f"/partnerships/funding/{call.pk}/track/",
        {"organisation": member_org.pk, "status": "awarded"},
    )
    assert FundingApplication.objects.get().status == "submitted"
    assert "Submitted" not in client.get(answer["Location"]).content.decode()


def test_admins_set_working_languages_on_the_organisations_page(
    client, member_org, owner, colleague
):
    page = f"/partnerships/organisations/{member_org.pk}/funding/"
    client.force_login(colleague)  # a representative, not an admin: no form, refused
    assert "languages-form" not in client.get(page).content.decode()
    assert (
        client.post(
            f"/partnerships/organisations/{member_org.pk}/languages/", {"languages": ["wo"]}
        ).status_code
        == 403
    )
    client.force_login(owner)
    assert "languages-form" in client.get(page).content.decode()
    answer = client.post(
        f"/partnerships/organisations/{member_org.pk}/languages/", {"languages": ["fr", "wo"]}
    )
    assert answer["Location"] == page
    assert OrganisationLanguages.objects.get(organisation=member_org).languages == ["fr", "wo"]
