"""The weekly digest, delivered to a real local SMTP server: the right people, once, each in
their own language; nobody who turned it off."""

import re
from datetime import timedelta
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from concord.core import preferences
from concord.core.models import OutgoingEmail
from concord.core.schedule import all_periodic_jobs
from concord.partnerships import digests, tasks
from concord.partnerships.models import DigestSubscription, FundingCall
from tests.factories.accounts import UserFactory
from tests.factories.organisations import RepresentativeFactory
from tests.factories.partnerships import FundingCallFactory, PartnershipRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


@pytest.fixture
def week(member_org, owner, partner_org, partner_rep, secretariat):
    """A new call Costa Viva (Mozambique) is eligible for, and a new request it matches."""
    FundingCallFactory(
        user=secretariat,
        title="Mozambique coastal fund",
        eligible_countries=["MZ"],
        themes=["oceans-coasts"],
    )
    PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        title="Mangrove methods",
        themes=["oceans-coasts"],
        countries=["MZ"],
    )
    arabic = UserFactory(email="amal@example.org", name="Amal", language="ar")
    RepresentativeFactory(organisation=partner_org, user=arabic)
    unsubscribed = UserFactory(email="gone@example.org", name="Gone", language="en")
    RepresentativeFactory(organisation=partner_org, user=unsubscribed)
    digests.set_weekly_digest(unsubscribed, False)
    return {"fr": partner_rep, "ar": arabic, "off": unsubscribed}


def test_digest_is_sent_once_in_each_persons_language(smtp_server, week, no_embedder):
    assert tasks.send_weekly_digests.enqueue().return_value == 2
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["amal@example.org", "partner@example.org"]
    by_to = {m["To"]: m for m in messages}
    french, arabic = by_to["partner@example.org"], by_to["amal@example.org"]
    assert subject(french) == "Votre résumé hebdomadaire des partenariats et financements"
    assert "Mozambique coastal fund" in body(french)
    assert "Mangrove methods (Mangrove Keepers)" in body(french)
    assert "/fr/partnerships/funding/" in body(french)
    assert subject(arabic) == "ملخصك الأسبوعي للشراكات والتمويل"
    assert "/ar/partnerships/requests/" in body(arabic)

    # Run again the same week (a second worker, a retry): nothing more is sent.
    assert tasks.send_weekly_digests.enqueue().return_value == 0
    assert len(smtp_server.wait_for(3, timeout=1)) == 2
    assert OutgoingEmail.objects.filter(key__startswith="partnerships.digest:").count() == 2


def test_people_who_unsubscribed_get_nothing(smtp_server, week, no_embedder):
    for person in (week["fr"], week["ar"]):
        digests.set_weekly_digest(person, False)
    assert tasks.send_weekly_digests.enqueue().return_value == 0
    assert smtp_server.wait_for(1, timeout=1) == []
    assert not OutgoingEmail.objects.filter(key__startswith="partnerships.digest:").exists()


def test_people_who_stopped_the_digest_in_their_mail_preferences_get_nothing(
    smtp_server, week, no_embedder
):
    preferences.stop_address(week["fr"].email, "digest")
    assert tasks.send_weekly_digests.enqueue().return_value == 1
    assert [m["To"] for m in smtp_server.wait_for(2, timeout=1)] == [week["ar"].email]


def test_people_with_nothing_new_get_nothing(smtp_server, week, owner, no_embedder):
    tasks.send_weekly_digests.enqueue()
    assert owner.email not in [m["To"] for m in smtp_server.wait_for(2)]


def test_one_click_unsubscribe_needs_a_post(client, smtp_server, week, no_embedder):
    tasks.send_weekly_digests.enqueue()
    message = next(m for m in smtp_server.wait_for(2) if m["To"] == "partner@example.org")
    link = re.search(r"https?://\S+/partnerships/digest/unsubscribe/\S+/", body(message)).group()
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    assert DigestSubscription.objects.get(user=week["fr"]).weekly_digest is True
    assert client.post(path).status_code == 200
    assert DigestSubscription.objects.get(user=week["fr"]).weekly_digest is False
    assert client.post("/partnerships/digest/unsubscribe/not-a-token/").status_code == 404


def test_settings_page_turns_the_digest_off_and_on(client, partner_rep):
    client.force_login(partner_rep)
    client.post("/partnerships/digest/", {})
    assert DigestSubscription.objects.get(user=partner_rep).weekly_digest is False
    client.post("/partnerships/digest/", {"weekly_digest": "on"})
    assert DigestSubscription.objects.get(user=partner_rep).weekly_digest is True


def test_the_digest_is_a_scheduled_job():
    assert ("partnerships-weekly-digest", tasks.send_weekly_digests) in [
        (name, job) for name, _interval, job in all_periodic_jobs()
    ]


@pytest.mark.django_db
def test_a_call_closing_soon_is_listed_as_an_approaching_deadline(secretariat, partner_org):
    call = FundingCallFactory(
        user=secretariat, title="Closing soon", eligible_countries=["MZ"], themes=["oceans-coasts"]
    )
    now = timezone.now()
    FundingCall.objects.filter(pk=call.pk).update(
        created_at=now - timedelta(days=20), deadline=now + timedelta(days=5)
    )
    section = digests._section(partner_org, now, {}, [])
    assert section["new_calls"] == []
    assert [c["title"] for c in section["approaching"]] == ["Closing soon"]
