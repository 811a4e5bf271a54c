"""A request's suggestions are computed once and kept, until the request or a candidate
changes (or the time bound passes)."""

import pytest

from concord.partnerships import matching
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(monkeypatch):
    """How many candidates the scorer has scored."""
    calls = []
    real = matching._score

    def counting(*args, **kwargs):
        calls.append(args[0].organisation.name)
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "_score", counting)
    return calls


@pytest.fixture
def posted(no_embedder, member_org, owner, partner_org):
    return PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"], countries=["MZ"]
    )


def page(client, posted) -> str:
    response = client.get(f"/partnerships/requests/{posted.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_does_not_recompute_the_matches(client, posted, scored):
    first = page(client, posted)
    assert scored == ["Costa Viva"]
    second = page(client, posted)
    assert scored == ["Costa Viva"]  # not scored again
    assert "Costa Viva" in first and "Costa Viva" in second
    answer = client.get(f"/api/v1/partnership-requests/{posted.pk}/matches")
    assert [row["organisation"]["name"] for row in answer.json()["results"]] == ["Costa Viva"]
    assert scored == ["Costa Viva"]  # the API is served from the same answer


def test_a_new_candidate_shows_at_once(client, posted, scored):
    page(client, posted)
    newcomer = OrganisationFactory(name="Coast Keepers", country_id="MZ")
    newcomer.themes.set(["oceans-coasts"])
    assert "Coast Keepers" in page(client, posted)


def test_a_change_to_the_request_shows_at_once(client, posted, scored, far_org):
    assert "Sahel Solar" not in page(client, posted)
    posted.title = "Partner sought for solar mini-grids"  # no longer about the coast
    posted.description = "Solar mini-grids for rural health centres."
    posted.save()
    posted.themes.set(["energy"])
    assert "Sahel Solar" in page(client, posted)


def test_each_language_keeps_its_own_wording(client, posted, scored):
    page(client, posted)
    french = client.get(f"/fr/partnerships/requests/{posted.pk}/").content.decode()
    assert len(scored) == 2
    assert "Costa Viva" in french


def test_with_the_cache_off_every_view_computes(client, posted, scored, settings):
    settings.MATCHES_CACHE_SECONDS = 0
    page(client, posted)
    page(client, posted)
    assert len(scored) == 2
