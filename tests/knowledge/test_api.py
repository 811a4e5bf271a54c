"""The case studies API: write, submit, review, publish, search (across languages), adapt."""

import pytest

from concord.accounts.services import create_api_token
from concord.knowledge.models import Adaptation, Practice
from tests.factories.knowledge import PracticeFactory

pytestmark = pytest.mark.django_db

PRACTICE = {
    "title": "Restauración de manglares en el estuario",
    "summary": "Las asociaciones replantaron 210 hectáreas de manglar que protegen la costa de la erosión.",
    "language": "es",
    "setting": "coastal",
    "countries": ["EC"],
    "themes": ["oceans-coasts"],
    "sdgs": [14],
    "blocks": [{"title": "Viveros comunitarios", "lessons": "Pagar por supervivencia."}],
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def post(client, path, data, user):
    return client.post(path, data, content_type="application/json", **bearer(user))


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_write_submit_review_publish_search_and_adapt(
    client,
    member_org,
    colleague,
    secretariat,
    other_org,
    adapter,
    language,
    django_capture_on_commit_callbacks,
):
    created = post(
        client, "/api/v1/practices", {**PRACTICE, "organisation": member_org.pk}, colleague
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["blocks"][0]["title"] == "Viveros comunitarios"
    # drafts are not public
    assert client.get(f"/api/v1/practices/{pk}").status_code == 404

    assert (
        post(client, f"/api/v1/practices/{pk}/submit", {}, colleague).json()["status"]
        == "submitted"
    )
    returned = post(
        client,
        f"/api/v1/practices/{pk}/review",
        {"action": "return", "comment": "Add figures."},
        secretariat,
    )
    assert (
        returned.json()["status"] == "returned" and returned.json()["review_note"] == "Add figures."
    )
    patched = client.patch(
        f"/api/v1/practices/{pk}",
        {"impacts": "600 families"},
        content_type="application/json",
        **bearer(colleague),
    )
    assert patched.status_code == 200 and patched.json()["impacts"] == "600 families"
    post(client, f"/api/v1/practices/{pk}/submit", {}, colleague)
    # vectors are computed by a task enqueued once the publication commits
    with django_capture_on_commit_callbacks(execute=True):
        published = post(
            client, f"/api/v1/practices/{pk}/review", {"action": "publish"}, secretariat
        )
    assert published.json()["status"] == "published"

    queries = {
        "en": "mangrove restoration to protect the coast",
        "fr": "restauration des mangroves",
        "ar": "زراعة أشجار المانغروف لحماية الساحل",
    }
    found = client.get(
        "/api/v1/practices",
        {"q": queries[language], "mode": "hybrid"},
        HTTP_ACCEPT_LANGUAGE=language,
    ).json()
    assert [r["id"] for r in found["results"]] == [pk]

    adapted = post(
        client, f"/api/v1/practices/{pk}/adaptations",
        {"organisation": other_org.pk, "country": "bd", "place": "Khulna", "account": "Nurseries for 40 ha."},
        adapter,
    )  # fmt: skip
    assert adapted.status_code == 201, adapted.content
    listed = client.get(f"/api/v1/practices/{pk}/adaptations").json()
    assert listed["count"] == 1 and listed["results"][0]["country"] == "BD"


def test_outsider_and_anonymous_are_refused(client, member_org, outsider):
    body = {**PRACTICE, "organisation": member_org.pk}
    assert (
        client.post("/api/v1/practices", body, content_type="application/json").status_code == 401
    )
    assert post(client, "/api/v1/practices", body, outsider).status_code == 403
    practice = PracticeFactory(organisation=member_org)
    response = client.patch(
        f"/api/v1/practices/{practice.pk}",
        {"title": "Taken"},
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == 403
    assert (
        post(
            client, f"/api/v1/practices/{practice.pk}/review", {"action": "publish"}, outsider
        ).status_code
        == 403
    )
    assert Practice.objects.get(pk=practice.pk).title != "Taken"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"theme": "astrology"},
        {"country": "ZZ"},
        {"language": "klingon"},
        {"mode": "psychic"},
        {"sdg": "99"},
        {"group": "nowhere"},
        {"q": "nul\x00"},
    ],
)
def test_bad_search_parameters_answer_422_with_a_message(client, params):
    response = client.get("/api/v1/practices", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_empty_query_lists_published_newest_first(client, member_org):
    first = PracticeFactory(organisation=member_org, title="First")
    second = PracticeFactory(organisation=member_org, title="Second")
    PracticeFactory(organisation=member_org, title="Draft", status="draft")
    body = client.get("/api/v1/practices", {"q": ""}).json()
    assert [r["id"] for r in body["results"]] == [second.pk, first.pk]
    assert set(body) == {"count", "next", "previous", "results"}


def test_invalid_body_stores_nothing(client, member_org, owner):
    bad = {**PRACTICE, "organisation": member_org.pk, "countries": ["XX"], "themes": ["nope"]}
    response = post(client, "/api/v1/practices", bad, owner)
    assert response.status_code == 422
    assert not Practice.objects.exists()


def test_adaptation_by_the_owner_is_refused(client, member_org, owner):
    practice = PracticeFactory(organisation=member_org)
    response = post(
        client, f"/api/v1/practices/{practice.pk}/adaptations",
        {"organisation": member_org.pk, "country": "SN", "account": "Ourselves"}, owner,
    )  # fmt: skip
    assert response.status_code == 403
    assert not Adaptation.objects.exists()


def test_search_info_says_whether_semantic_search_is_on(client):
    body = client.get("/api/v1/practices-search-info").json()
    assert body == {"semantic_search": True, "model": "multilingual-e5-small-q4"}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({"q": "mangroves", "mode": "fulltext"}, 6),
        ({"q": "mangroves", "mode": "hybrid"}, 7),
        ({}, 6),
    ],
)
def test_list_endpoint_query_count_does_not_grow(
    client, member_org, params, queries, rows, query_count
):
    PracticeFactory(organisation=member_org)
    for index in range(rows - 1):
        PracticeFactory(organisation=member_org, title=f"Mangroves {index}", countries=("SN", "GM"))
    client.get("/api/v1/practices", params)  # warm the matrix and caches
    with query_count(queries):
        body = client.get("/api/v1/practices", params).json()
    assert body["count"] == rows
