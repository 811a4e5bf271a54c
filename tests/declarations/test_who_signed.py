"""Nobody learns from an answer whether an address signed, is invited or took part in an
event: every well-formed submission gets the same answer, on the page and in the API, and
what differs goes by email to that address only. Nothing the signer typed reaches an address
that has not confirmed it is theirs."""

import pytest
from django.urls import reverse
from django.utils import translation

from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

SPAM = "Visit http://spam.example now"


@pytest.fixture(autouse=True)
def no_minimum_time(settings):
    settings.SIGN_MIN_SECONDS = 0


@pytest.fixture
def invited_only(secretariat):
    draft = lifecycle.create_declaration(
        secretariat,
        slug="invited-call",
        title="The invited call",
        text="For the invited.",
        eligibility="invited",
    )
    lifecycle.set_invitees(secretariat, draft, ["invited@example.org"])
    return lifecycle.open_declaration(secretariat, draft)


def body(email: str, name: str = "Ana Silva") -> dict:
    return {"name": name, "email": email, "country": "MZ", "kind": "individual"}


def api(client, declaration, email: str, name: str = "Ana Silva"):
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    return client.post(url, body(email, name), content_type="application/json")


def page(client, declaration, email: str, name: str = "Ana Silva"):
    with translation.override("en"):
        url = reverse("declarations:sign", args=[declaration.slug])
    return client.post(url, body(email, name))


def answer(response) -> tuple[int, bytes, str]:
    return response.status_code, response.content, response.get("Location", "")


def mail_to(address: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=address).order_by("pk"))


@pytest.mark.parametrize("send", [api, page], ids=["api", "page"])
def test_new_duplicate_and_uninvited_get_byte_identical_answers(
    client, declaration, invited_only, send
):
    SignatureFactory(declaration=declaration, email="signed@example.org", confirmed=True)
    new = send(client, declaration, "new@example.org")
    duplicate = send(client, declaration, "signed@example.org")
    uninvited = send(client, invited_only, "stranger@example.org")
    invited = send(client, invited_only, "invited@example.org")
    assert answer(new) == answer(duplicate)
    assert answer(uninvited)[:2] == answer(invited)[:2] == answer(new)[:2]
    assert new.status_code in (202, 302)
    if send is page:  # both land on the one "check your email" page of their declaration
        assert uninvited["Location"] == invited["Location"]
        assert "status=pending" in new["Location"]


def test_the_right_email_goes_to_each_address(client, declaration, invited_only):
    SignatureFactory(declaration=declaration, email="signed@example.org", confirmed=True)
    OutgoingEmail.objects.all().delete()
    api(client, declaration, "new@example.org")
    api(client, declaration, "signed@example.org")
    api(client, invited_only, "stranger@example.org")
    [confirm] = mail_to("new@example.org")
    assert confirm.key.startswith("signature.confirm:")
    [already] = mail_to("signed@example.org")
    assert already.key.startswith("signature.already_signed:")
    assert "already signed" in already.body_text
    [not_open] = mail_to("stranger@example.org")
    assert not_open.key.startswith("signature.not_eligible:")
    assert "invitation list" in not_open.body_text
    assert Signature.objects.filter(declaration=invited_only).count() == 0


def test_already_signed_is_mailed_at_most_once_a_day(client, declaration):
    SignatureFactory(declaration=declaration, email="signed@example.org", confirmed=True)
    for _ in range(3):
        assert api(client, declaration, "signed@example.org").status_code == 202
    assert OutgoingEmail.objects.filter(key__startswith="signature.already_signed:").count() == 1


def test_malformed_input_still_answers_422(client, declaration):
    assert api(client, declaration, "not-an-address").status_code == 422
    assert page(client, declaration, "not-an-address").status_code == 422
    assert api(client, declaration, "ana@example.org", name=" ").status_code == 422
    assert not Signature.objects.exists()


@pytest.mark.parametrize("send", [api, page], ids=["api", "page"])
def test_nothing_the_signer_typed_reaches_an_unconfirmed_address(client, declaration, send):
    response = send(client, declaration, "stranger@example.org", name=SPAM)
    assert response.status_code in (202, 302)
    signature = Signature.objects.get()
    Signature.objects.filter(pk=signature.pk).update(organisation_name=SPAM, role=SPAM)
    [email] = mail_to("stranger@example.org")
    for part in (email.subject, email.body_text, email.body_html):
        assert "spam.example" not in part and "Ana" not in part
    assert email.body_text.startswith("Hello,\n")  # no name to greet


def test_the_already_signed_email_holds_nothing_typed_either(client, declaration):
    SignatureFactory(declaration=declaration, email="signed@example.org", name=SPAM)
    OutgoingEmail.objects.all().delete()
    api(client, declaration, "signed@example.org", name=SPAM)
    [email] = mail_to("signed@example.org")
    assert "spam.example" not in email.body_text + email.body_html + email.subject
