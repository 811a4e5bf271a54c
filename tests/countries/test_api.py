"""GET /api/v1/countries and /api/v1/countries/groups: every field, one page, honest data."""

import pytest

pytestmark = pytest.mark.django_db


def test_countries_list_holds_every_entry_in_one_page(client):
    body = client.get("/api/v1/countries").json()
    assert body["count"] == 249
    assert len(body["results"]) == 249
    assert body["next"] is None and body["previous"] is None


def test_193_un_members_each_with_population_and_year(client):
    body = client.get("/api/v1/countries", {"un_member": "true"}).json()
    assert body["count"] == 193
    for country in body["results"]:
        assert country["un_member"] is True
        assert country["population"] > 0, country["code"]
        assert country["population_year"] == 2022, country["code"]
        assert country["population_source"]


def test_country_fields(client):
    senegal = client.get("/api/v1/countries/sn").json()
    assert senegal["code"] == "SN"
    assert senegal["alpha3"] == "SEN"
    assert senegal["numeric"] == "686"
    assert senegal["region"] == {"code": "002", "name": "Africa"}
    assert senegal["intermediate_region"]["name"] == "Western Africa"
    assert senegal["names"]["fr"] == "Sénégal"
    assert senegal["names"]["ar"] == "السنغال"
    assert {"g77", "ldc", "global-south"} <= set(senegal["groups"])
    assert senegal["population"] == 17_316_449


def test_filter_by_group(client):
    body = client.get("/api/v1/countries", {"group": "lldc"}).json()
    assert body["count"] == 32
    assert "ML" in {c["code"] for c in body["results"]}


def test_groups_with_members_source_and_date(client):
    groups = {g["slug"]: g for g in client.get("/api/v1/countries/groups").json()}
    assert groups["ldc"]["count"] == 44 == len(groups["ldc"]["members"])
    assert groups["ldc"]["as_of"] == "2025-01-01"
    assert groups["ldc"]["source"]["url"].startswith("https://")
    assert (
        "G77" in groups["global-south"]["definition"]
        or "77" in groups["global-south"]["definition"]
    )


def test_coverage_endpoint(client):
    body = client.get("/api/v1/countries/coverage", {"codes": "SN,BD,FJ,XX"}).json()
    assert body["countries"] == 3
    assert body["un_member_states_share"] == pytest.approx(3 / 193)
    assert body["unknown_codes"] == ["XX"]
    assert 0 < body["population_share"] < 1


def test_unknown_country_is_404_with_detail(client):
    response = client.get("/api/v1/countries/QQ")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
