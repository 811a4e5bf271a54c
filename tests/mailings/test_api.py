"""The mailings API: audiences, create, preview, test, schedule, status, pause and resume,
with the same services and the same refusals as the pages."""

import pytest

from concord.accounts.services import create_api_token
from concord.mailings.models import Mailing
from concord.mailings.services import composing
from tests.mailings.conftest import mailing_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, secretariat):
    token = create_api_token(secretariat, "mailings")[1]

    def call(method, path, body=None):
        send = getattr(client, method)
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        return send(f"/api/v1{path}", body or {}, **kwargs)

    return call


def test_a_mailing_made_and_sent_through_the_api(
    api, coalition, smtp_server, django_capture_on_commit_callbacks
):
    answer = api(
        "post",
        "/mailings/audiences",
        {"name": "SIDS", "kind": "representatives", "groups": ["sids"]},
    )
    assert answer.status_code == 201
    sids = answer.json()["id"]
    assert [a["name"] for a in api("get", "/mailings/audiences").json()] == ["SIDS"]
    body = {
        "texts": [
            {"language": "en", "subject": "Sign before COP", "body": "Dear members"},
            {"language": "fr", "subject": "Signez avant la COP", "body": "Chers membres"},
        ],
        "sender_name": "Coalition secretariat",
        "original_language": "en",
        "audiences": [sids],
    }
    created = api("post", "/mailings", body)
    assert created.status_code == 201
    mailing = created.json()["id"]
    preview = api("get", f"/mailings/{mailing}/preview").json()
    assert preview["total"] == 2 and preview["by_language"] == {"fr": 1, "en": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert api("post", f"/mailings/{mailing}/test").json() == {"sent": 2}
    with django_capture_on_commit_callbacks(execute=True):
        answer = api("post", f"/mailings/{mailing}/schedule", {})
    assert answer.status_code == 200
    assert len(smtp_server.wait_for(4)) == 4
    status = api("get", f"/mailings/{mailing}").json()
    assert status["status"] == "sent" and status["sent"] == 2 and status["waiting"] == 0


def test_a_body_with_a_remote_image_is_refused(api, audiences):
    body = {
        "texts": [
            {"language": "en", "subject": "Hi", "body": "![x](https://tracker.example/p.gif)"}
        ],
        "sender_name": "Secretariat",
        "original_language": "en",
        "audiences": [audiences[0].pk],
    }
    answer = api("post", "/mailings", body)
    assert answer.status_code == 422
    assert not Mailing.objects.exists()


def test_a_large_audience_needs_confirmation_on_the_page_and_in_the_api(
    api, client, secretariat, audiences, settings
):
    settings.MAILING_CONFIRM_ABOVE = 1
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    assert api("post", f"/mailings/{mailing.pk}/schedule", {}).status_code == 409
    client.force_login(secretariat)
    page = client.post(f"/mailings/{mailing.pk}/send/", {"send_at": ""})
    assert page.status_code == 409
    assert "confirm that you mean to send it" in page.content.decode()
    assert Mailing.objects.get().status == Mailing.Status.DRAFT


def test_pausing_a_draft_is_refused_alike_on_the_page_and_in_the_api(
    api, client, secretariat, audiences
):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    assert api("post", f"/mailings/{mailing.pk}/pause").status_code == 409
    client.force_login(secretariat)
    assert client.post(f"/mailings/{mailing.pk}/pause/").status_code == 409
    assert Mailing.objects.get().status == Mailing.Status.DRAFT


def test_scheduling_for_later_then_pausing_and_resuming(api, secretariat, audiences):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    answer = api("post", f"/mailings/{mailing.pk}/schedule", {"send_at": "2099-01-01T09:00:00Z"})
    assert answer.json()["status"] == "scheduled"
    assert api("post", f"/mailings/{mailing.pk}/pause").json()["status"] == "paused"
    assert api("post", f"/mailings/{mailing.pk}/resume").json()["status"] == "scheduled"
