"""A signer withdraws a signature while the declaration is open, by the emailed link or from
"my signatures"; the count changes at once and the audit log says so, without the address.
After closing, the count is final and a signer may only hide their name."""

import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import translation

from concord.core.models import AuditEvent, OutgoingEmail
from concord.declarations import counting, queries
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle, signing
from tests.factories.accounts import UserFactory
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def emailed_withdraw_path(address: str) -> str:
    email = OutgoingEmail.objects.filter(to=address).latest("pk")
    return re.search(r"http://testserver(/declarations/\S+/withdraw/\S+/)", email.body_text)[1]


def counted(declaration) -> int:
    return sum(counting.tallied_counts(declaration)[0].values())


def test_the_emailed_link_withdraws_a_confirmed_signature(client, declaration):
    signature = signing.sign(
        declaration,
        signing.SignatureInput(name="Ana", email="ana@example.org", country="MZ"),
        signing.Context(ip="198.51.100.7"),
    )
    path = emailed_withdraw_path("ana@example.org")
    token = path.rstrip("/").rsplit("/", 1)[1]
    signing.confirm_signature(declaration, token)
    assert counted(declaration) == 1
    assert client.get(path).status_code == 200  # opening the link changes nothing
    assert Signature.objects.filter(pk=signature.pk).exists()
    assert client.post(path).status_code == 200
    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert counted(declaration) == 0
    assert queries.declaration_stats(declaration, fresh=True).signatures == 0
    event = AuditEvent.objects.get(action="signature.withdrawn")
    assert "ana@example.org" not in str(event.data) and event.data["was"] == "confirmed"
    assert client.post(path).status_code == 400  # gone: the link names nothing now


def test_the_api_withdraws_by_the_same_token(client, declaration):
    signing.sign(
        declaration,
        signing.SignatureInput(name="Ana", email="ana@example.org", country="MZ"),
        signing.Context(ip="198.51.100.7"),
    )
    token = emailed_withdraw_path("ana@example.org").rstrip("/").rsplit("/", 1)[1]
    api = f"/api/v1/declarations/{declaration.slug}/signatures/withdraw"
    response = client.post(api, {"token": token}, content_type="application/json")
    assert response.status_code == 200 and not Signature.objects.exists()
    bad = client.post(api, {"token": "nope"}, content_type="application/json")
    assert bad.status_code == 400


def test_my_signatures_lists_and_withdraws_my_own_only(client, declaration):
    ana = UserFactory(email="ana@example.org")
    mine = SignatureFactory(declaration=declaration, email="ana@example.org", confirmed=True)
    theirs = SignatureFactory(declaration=declaration, email="other@example.org", confirmed=True)
    client.force_login(ana)
    page = client.get(url("declarations:mine"))
    assert page.status_code == 200
    assert f'id="signature-{mine.pk}"' in page.content.decode()
    assert f'id="signature-{theirs.pk}"' not in page.content.decode()
    client.post(url("declarations:withdraw_mine", theirs.pk))
    assert Signature.objects.filter(pk=theirs.pk).exists()
    client.post(url("declarations:withdraw_mine", mine.pk))
    assert not Signature.objects.filter(pk=mine.pk).exists()
    assert counted(declaration) == 1
    assert AuditEvent.objects.get(action="signature.withdrawn").actor == ana


def test_after_closing_the_count_is_final_and_the_name_can_be_hidden(
    client, declaration, secretariat
):
    ana = UserFactory(email="ana@example.org")
    signature = SignatureFactory(declaration=declaration, email="ana@example.org", confirmed=True)
    lifecycle.close_declaration(secretariat, declaration)
    client.force_login(ana)
    page = client.get(url("declarations:mine")).content.decode()
    assert "the count is final" in page
    assert url("declarations:withdraw_mine", signature.pk) not in page
    client.post(url("declarations:withdraw_mine", signature.pk))
    assert Signature.objects.filter(pk=signature.pk).exists()
    client.post(url("declarations:hide_name", signature.pk))
    assert Signature.objects.get(pk=signature.pk).show_name is False
    assert counted(declaration) == 1
    listed = queries.signatory_page(declaration)
    assert (listed.shown, listed.hidden) == (0, 1)  # the tallies moved it across
    closed = type(declaration).objects.get(pk=declaration.pk)
    for format in ("csv", "json"):
        body = client.get(f"/api/v1/declarations/{declaration.slug}/signatories.{format}")
        content = b"".join(body.streaming_content) if body.streaming else body.content
        assert signature.name.encode() not in content, format
        if format == "csv":
            assert hashlib.sha256(content).hexdigest() == closed.final_export_sha256
    assert AuditEvent.objects.filter(action="declaration.final_list_amended").count() == 1


def test_my_signatures_needs_a_sign_in(client):
    response = client.get(url("declarations:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_account_page_links_to_my_signatures(client, owner):
    client.force_login(owner)
    assert url("declarations:mine") in client.get("/account/").content.decode()
