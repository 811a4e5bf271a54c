"""The drafting and addressees API: the same services as the pages, the same refusals with
the same statuses, and the same response coverage as the page."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from concord.accounts.services import create_api_token
from concord.declarations.drafting.models import Amendment, Comment
from concord.declarations.models import Addressee
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def post(client, path, body, who):
    return client.post(path, json.dumps(body), content_type="application/json", **bearer(who))


def test_drafting_and_answers_through_the_api(client, secretariat, owner, outsider, member_org):
    partner = UserFactory(language="fr")
    other = OrganisationFactory(name="Andes Water Forum", country_id="PE", admin=partner)
    draft = DeclarationFactory(created_by=secretariat, text="We call.\n\nWe ask.")
    base = f"/api/v1/declarations/{draft.slug}"
    closes = (timezone.now() + timedelta(days=5)).isoformat()
    assert client.get(f"{base}/drafting", **bearer(outsider)).status_code == 404
    opened = post(client, f"{base}/drafting/period",
                  {"audience": "group", "closes_at": closes, "organisations": [member_org.pk, other.pk]},
                  secretariat)  # fmt: skip
    assert opened.status_code == 200, opened.content
    paragraphs = opened.json()["paragraphs"]
    assert [p["text"] for p in paragraphs] == ["We call.", "We ask."]
    key = paragraphs[1]["key"]

    refused = post(client, f"{base}/drafting/comments", {"paragraph": key, "text": "Hi"}, outsider)
    assert refused.status_code == 404  # an outsider does not even see the draft
    amendment = post(client, f"{base}/drafting/amendments",
                     {"paragraph": key, "kind": "replace", "text": "Nous demandons.",
                      "reason": "Plus fort.", "language": "fr", "organisation": other.pk}, partner)  # fmt: skip
    assert amendment.status_code == 201, amendment.content
    pk = amendment.json()["id"]
    supported = post(client, f"{base}/drafting/amendments/{pk}/supports",
                     {"organisation": member_org.pk}, owner)  # fmt: skip
    assert supported.status_code == 201 and supported.json()["supports"] == 1
    again = post(client, f"{base}/drafting/amendments/{pk}/supports",
                 {"organisation": member_org.pk}, owner)  # fmt: skip
    assert again.status_code == 409
    assert post(client, f"{base}/drafting/amendments/{pk}/decision",
                {"decision": "accept", "reason": "Yes"}, owner).status_code == 403  # fmt: skip
    decided = post(client, f"{base}/drafting/amendments/{pk}/decision",
                   {"decision": "accept", "reason": "Clearer."}, secretariat)  # fmt: skip
    assert decided.status_code == 200 and decided.json()["version"] == 2
    rows = client.get(f"{base}/drafting/compare?old=1&new=2", **bearer(partner)).json()
    assert [row["kind"] for row in rows] == ["same", "changed"]
    assert "<ins>" in rows[1]["html"]
    too_far = client.get(f"{base}/drafting/compare?old=1&new={2**63}", **bearer(partner))
    assert too_far.status_code == 422
    assert client.get(f"{base}/drafting/compare?old=1&new=9", **bearer(partner)).status_code == 404
    assert (
        post(client, f"{base}/drafting/cosponsors", {"organisation": other.pk}, partner).status_code
        == 201
    )
    assert [
        c["name"] for c in client.get(f"{base}/drafting/cosponsors", **bearer(owner)).json()
    ] == ["Andes Water Forum"]
    assert post(client, f"{base}/open", {}, secretariat).status_code == 200
    frozen = post(client, f"{base}/drafting/amendments",
                  {"paragraph": key, "kind": "remove", "reason": "Late"}, partner)  # fmt: skip
    assert frozen.status_code == 409 and Amendment.objects.count() == 1

    bad = post(client, f"{base}/addressees", {"kind": "government", "country": "ZZ"}, secretariat)
    assert bad.status_code == 422 and not Addressee.objects.exists()
    ids = [
        post(
            client, f"{base}/addressees", {"kind": "government", "country": code}, secretariat
        ).json()["id"]
        for code in ("SN", "KE", "BR")
    ]
    for addressee in ids:
        assert post(client, f"{base}/addressees/{addressee}/deliveries",
                    {"delivered_on": "2026-11-20", "channel": "email"}, secretariat).status_code == 201  # fmt: skip
    no_deadline = post(client, f"{base}/addressees/{ids[1]}/responses",
                       {"received_on": "2026-11-25", "source": "Ministry", "text": "Yes",
                        "pledges": [{"text": "A plan"}]}, secretariat)  # fmt: skip
    assert no_deadline.status_code == 422
    deadline = (date.today() + timedelta(days=60)).isoformat()
    response = post(client, f"{base}/addressees/{ids[1]}/responses",
                    {"received_on": "2026-11-25", "source": "Ministry", "text": "Yes",
                     "pledges": [{"text": "A plan", "deadline": deadline}]}, secretariat)  # fmt: skip
    assert response.status_code == 201, response.content
    publish = f"{base}/responses/{response.json()['id']}/publish"
    assert post(client, publish, {}, owner).status_code == 403  # not on the committee
    assert post(client, publish, {}, secretariat).status_code == 200
    answers = client.get(f"{base}/responses").json()
    assert answers["addressed"]["un_member_states"] == 3
    assert answers["responded"]["un_member_states"] == 1
    assert answers["responses"][0]["pledges"][0]["status"] == "open"
    assert client.get(f"{base}/addressees").status_code == 401
    assert client.get(f"{base}/addressees", **bearer(outsider)).status_code == 403


def test_only_the_author_edits_a_comment_through_the_api(
    client, secretariat, owner, colleague, member_org
):
    draft = DeclarationFactory(created_by=secretariat, text="We call.")
    base = f"/api/v1/declarations/{draft.slug}"
    closes = (timezone.now() + timedelta(days=5)).isoformat()
    post(
        client, f"{base}/drafting/period", {"audience": "members", "closes_at": closes}, secretariat
    )
    key = client.get(f"{base}/drafting", **bearer(owner)).json()["paragraphs"][0]["key"]
    made = post(client, f"{base}/drafting/comments", {"paragraph": key, "text": "Mine"}, owner)
    path = f"{base}/drafting/comments/{made.json()['id']}"
    other = client.put(path, json.dumps({"text": "Changed"}), content_type="application/json",
                       **bearer(colleague))  # fmt: skip
    assert other.status_code == 403 and Comment.objects.get().text == "Mine"


def test_publishing_and_deciding_have_a_budget(client, settings, secretariat, owner, member_org):
    """Both email people (the signers kept informed, the proposer): past the budget, 429."""
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "publish-response": {"network": "1/hour"},
        "decide-amendment": {"network": "1/hour"},
    }
    declaration = DeclarationFactory(created_by=secretariat, opened=True)
    base = f"/api/v1/declarations/{declaration.slug}"
    addressee = post(
        client, f"{base}/addressees", {"kind": "government", "country": "KE"}, secretariat
    )
    made = [
        post(client, f"{base}/addressees/{addressee.json()['id']}/responses",
             {"received_on": "2026-11-25", "source": "Ministry", "text": text}, secretariat).json()
        for text in ("Yes", "Also yes")
    ]  # fmt: skip
    assert (
        post(client, f"{base}/responses/{made[0]['id']}/publish", {}, secretariat).status_code
        == 200
    )
    refused = post(client, f"{base}/responses/{made[1]['id']}/publish", {}, secretariat)
    assert refused.status_code == 429 and refused["Retry-After"]

    draft = DeclarationFactory(created_by=secretariat, text="We call.")
    drafting_base = f"/api/v1/declarations/{draft.slug}/drafting"
    closes = (timezone.now() + timedelta(days=5)).isoformat()
    post(
        client, f"{drafting_base}/period", {"audience": "members", "closes_at": closes}, secretariat
    )
    key = client.get(drafting_base, **bearer(owner)).json()["paragraphs"][0]["key"]
    ids = [
        post(client, f"{drafting_base}/amendments",
             {"paragraph": key, "kind": "replace", "text": text, "reason": "R"}, owner).json()["id"]
        for text in ("A", "B")
    ]  # fmt: skip
    decision = {"decision": "reject", "reason": "No"}
    assert (
        post(
            client, f"{drafting_base}/amendments/{ids[0]}/decision", decision, secretariat
        ).status_code
        == 200
    )
    assert (
        post(
            client, f"{drafting_base}/amendments/{ids[1]}/decision", decision, secretariat
        ).status_code
        == 429
    )
    assert Amendment.objects.get(pk=ids[1]).status == "pending"
