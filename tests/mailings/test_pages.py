"""The mailing pages and the preferences page, with personas: the secretariat composes,
previews, tests and sends; an organisation admin only when allowed and only to their own
people; an outsider is refused everywhere."""

import pytest

from concord.core import preferences
from concord.core.models import MailPreference, OutgoingEmail
from concord.mailings.models import Audience, Mailing
from concord.mailings.services import composing
from tests.mailings.conftest import mailing_input

pytestmark = pytest.mark.django_db


def _compose_data(audiences, **extra):
    data = {
        "sender_name": "Coalition secretariat",
        "reply_to": "",
        "topic": "news",
        "original_language": "en",
        "audiences": [str(a.pk) for a in audiences],
        "subject_en": "Sign before COP",
        "body_en": "Dear members, please *sign*.",
        "subject_fr": "Signez avant la COP",
        "body_fr": "Chers membres, *signez*.",
    }
    data.update(extra)
    return data


def test_the_secretariat_composes_previews_and_sends(
    client, secretariat, audiences, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    answer = client.post("/mailings/new/", _compose_data(audiences))
    assert answer.status_code == 302
    mailing = Mailing.objects.get()
    page = client.get(f"/mailings/{mailing.pk}/").content.decode()
    assert 'id="total">3 readers' in page
    assert "Français" in page and "Fiji" in page
    assert "@" not in page.split("<main", 1)[-1].split("</main>")[0]  # no address is shown
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/mailings/{mailing.pk}/test/").status_code == 302
    assert {m["To"] for m in smtp_server.wait_for(2)} == {secretariat.email}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/mailings/{mailing.pk}/send/", {"send_at": ""}).status_code == 302
    assert len(smtp_server.wait_for(5)) == 5
    page = client.get(f"/mailings/{mailing.pk}/").content.decode()
    assert 'id="sent">3<' in page and 'id="waiting">0<' in page


def test_a_body_with_a_script_is_refused_on_the_page(client, secretariat, audiences):
    client.force_login(secretariat)
    answer = client.post(
        "/mailings/new/", _compose_data(audiences, body_en="Hi <script>x</script>")
    )
    assert answer.status_code == 422
    assert "HTML tags and scripts are not allowed" in answer.content.decode()
    assert not Mailing.objects.exists()


@pytest.mark.parametrize("path", ["/mailings/", "/mailings/new/", "/mailings/audiences/"])
def test_an_outsider_is_refused(client, outsider, path):
    client.force_login(outsider)
    assert client.get(path).status_code == 403


def test_an_outsider_cannot_open_or_send_a_mailing(client, outsider, secretariat, audiences):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    client.force_login(outsider)
    assert client.get(f"/mailings/{mailing.pk}/").status_code == 403
    assert client.post(f"/mailings/{mailing.pk}/send/").status_code == 403
    assert Mailing.objects.get().status == Mailing.Status.DRAFT


def test_organisation_admins_mail_their_own_people_only_when_allowed(
    client, settings, owner, member_org, secretariat, audiences
):
    client.force_login(owner)
    assert client.get("/mailings/").status_code == 403
    settings.MAILINGS_BY_ORGANISATIONS = True
    answer = client.post(
        "/mailings/audiences/", {"name": "Our people", "kind": "representatives", "role": "all"}
    )
    assert answer.status_code == 302
    ours = Audience.objects.get(name="Our people")
    assert ours.organisation == member_org
    # The secretariat's audiences are not offered, nor accepted.
    answer = client.post("/mailings/new/", _compose_data(audiences))
    assert answer.status_code == 422
    answer = client.post("/mailings/new/", _compose_data([ours]))
    assert answer.status_code == 302
    assert Mailing.objects.get().organisation == member_org


def test_the_preferences_page_changes_only_by_post(client):
    token = preferences.token_for("reader@example.org")
    page = client.get(f"/mail/preferences/{token}/")
    assert page.status_code == 200 and "reader@example.org" not in page.content.decode()
    assert not MailPreference.objects.exists()
    client.post(f"/mail/preferences/{token}/", {"topics": ["events"]})
    assert preferences.stopped_among(["reader@example.org"], "news") == {"reader@example.org"}
    assert not preferences.stopped_among(["reader@example.org"], "events")


def test_one_click_unsubscribe(client):
    token = preferences.token_for("reader@example.org")
    assert client.get(f"/mail/unsubscribe/{token}/news/").status_code == 302
    assert not MailPreference.objects.exists()  # a GET (a link checker) changes nothing
    answer = client.post(f"/mail/unsubscribe/{token}/news/", {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert preferences.stopped_among(["reader@example.org"], "news") == {"reader@example.org"}


def test_a_forged_token_is_not_found(client):
    assert client.get("/mail/preferences/abc:def/").status_code == 404
    assert client.post("/mail/unsubscribe/abc:def/news/").status_code == 404
    assert not OutgoingEmail.objects.exists()
