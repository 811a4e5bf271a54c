"""Signing: confirmation by email, one signature per address, eligibility, bot checks."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.declarations.models import Declaration, Signature
from concord.declarations.queries import declaration_stats
from concord.declarations.services import lifecycle, resending, signing
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def token_from_email(email: str) -> str:
    # The message as sent: the stored copy loses its one-time link once delivered.
    body = [sent for sent in mail.outbox if sent.to == [email]][-1].body
    return re.search(r"/confirm/([\w-]+)/", body).group(1)


def test_anonymous_signature_waits_for_the_emailed_link(
    declaration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signature = SignatureFactory(declaration=declaration, email="Fatou.Sow@Example.org ")
    assert signature.status == "pending"
    assert signature.email == "fatou.sow@example.org"
    assert declaration_stats(declaration).signatures == 0
    confirmed = signing.confirm_signature(declaration, token_from_email("fatou.sow@example.org"))
    assert confirmed.status == "confirmed"
    assert declaration_stats(declaration).signatures == 1
    # Confirming again is harmless and counts nothing more.
    signing.confirm_signature(declaration, token_from_email("fatou.sow@example.org"))
    assert declaration_stats(declaration).signatures == 1


def test_forged_and_expired_tokens_are_refused(declaration, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SignatureFactory(declaration=declaration, email="late@example.org")
    with pytest.raises(Refused) as forged:
        signing.confirm_signature(declaration, "not-a-real-token")
    assert forged.value.status == 400
    Signature.objects.update(token_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Refused) as expired:
        signing.confirm_signature(declaration, token_from_email("late@example.org"))
    assert expired.value.status == 410
    assert Signature.objects.get().status == "pending"


def test_resending_gives_a_new_link_and_the_old_one_stops_working(
    declaration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        SignatureFactory(declaration=declaration, email="again@example.org")
    first = token_from_email("again@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        resending.resend_confirmation(declaration, "AGAIN@example.org")
    second = token_from_email("again@example.org")
    assert first != second
    assert OutgoingEmail.objects.filter(to="again@example.org").count() == 2
    with pytest.raises(Refused):
        signing.confirm_signature(declaration, first)
    assert signing.confirm_signature(declaration, second).status == "confirmed"


def test_resend_for_an_unknown_address_does_nothing(declaration):
    resending.resend_confirmation(declaration, "nobody@example.org")
    assert not OutgoingEmail.objects.exists()


def test_a_duplicate_address_is_refused(declaration):
    SignatureFactory(declaration=declaration, email="twice@example.org")
    with pytest.raises(Refused) as refusal:
        SignatureFactory(declaration=declaration, email=" TWICE@example.org")
    assert refusal.value.code == "duplicate" and refusal.value.status == 409
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"kind": "organisation"}, "organisation"),
        ({"kind": "robot"}, "kind"),
        ({"role": "r" * 121}, "role"),
    ],
)
def test_bad_input_is_refused_per_field(declaration, fields, field):
    data = {"name": "Ana Silva", "email": "ana@example.org", "country": "MZ", **fields}
    with pytest.raises(ValidationError) as error:
        signing.sign(declaration, signing.SignatureInput(**data), signing.Context())
    assert field in error.value.message_dict
    assert not Signature.objects.exists()


def test_html_and_formulas_in_names_are_kept_as_text(declaration):
    signature = SignatureFactory(
        declaration=declaration,
        email="x@example.org",
        name='<script>alert(1)</script> =HYPERLINK("x")',
    )
    assert signature.name == '<script>alert(1)</script> =HYPERLINK("x")'


@pytest.mark.parametrize("status", ["draft", "closed", "published"])
def test_only_an_open_declaration_takes_signatures(declaration, status):
    Declaration.objects.filter(pk=declaration.pk).update(status=status)
    declaration.refresh_from_db()
    with pytest.raises(Refused) as refusal:
        SignatureFactory(declaration=declaration, email="early@example.org")
    assert refusal.value.status == 409


def test_signing_window_is_respected(declaration):
    now = timezone.now()
    Declaration.objects.filter(pk=declaration.pk).update(opens_at=now + timedelta(hours=1))
    declaration.refresh_from_db()
    with pytest.raises(Refused):
        SignatureFactory(declaration=declaration, email="early@example.org")
    Declaration.objects.filter(pk=declaration.pk).update(
        opens_at=None, closes_at=now - timedelta(seconds=1)
    )
    declaration.refresh_from_db()
    with pytest.raises(Refused):
        SignatureFactory(declaration=declaration, email="late@example.org")


def test_a_signed_in_representative_signs_in_one_step(declaration, owner, member_org):
    data = signing.SignatureInput(
        name="Awa Owner",
        email=owner.email,
        country="SN",
        kind="organisation",
        organisation_id=member_org.pk,
        role="Director",
    )
    signature = signing.sign(declaration, data, signing.Context(user=owner))
    assert signature.status == "confirmed"
    assert signature.organisation == member_org
    assert signature.organisation_label == "Mangrove Keepers"
    assert declaration_stats(declaration).organisations == 1


def test_one_cannot_sign_for_an_organisation_one_does_not_represent(
    declaration, outsider, member_org
):
    data = signing.SignatureInput(
        name="Chidi",
        email=outsider.email,
        country="NG",
        kind="organisation",
        organisation_id=member_org.pk,
    )
    with pytest.raises(ValidationError):
        signing.sign(declaration, data, signing.Context(user=outsider))


def test_members_only_declaration(declaration, owner, outsider, member_org):
    Declaration.objects.filter(pk=declaration.pk).update(eligibility="members")
    declaration.refresh_from_db()
    with pytest.raises(Refused) as refusal:
        signing.sign(
            declaration,
            signing.SignatureInput("Chidi", outsider.email, "NG"),
            signing.Context(user=outsider),
        )
    assert refusal.value.status == 403
    signature = signing.sign(
        declaration, signing.SignatureInput("Awa", owner.email, "SN"), signing.Context(user=owner)
    )
    assert signature.status == "confirmed"


def test_invitation_only_declaration(secretariat, declaration):
    Declaration.objects.filter(pk=declaration.pk).update(eligibility="invited")
    declaration.refresh_from_db()
    assert (
        lifecycle.set_invitees(
            secretariat, declaration, ["Guest@Example.org", "", "guest@example.org"]
        )
        == 1
    )
    with pytest.raises(ValidationError):
        lifecycle.set_invitees(secretariat, declaration, ["not an address"])
    with pytest.raises(Refused):
        SignatureFactory(declaration=declaration, email="stranger@example.org")
    assert SignatureFactory(declaration=declaration, email="guest@example.org").status == "pending"


def test_soft_checks_flag_but_never_refuse(declaration, settings):
    settings.SIGN_SOFT_LIMIT_PER_NETWORK = 3
    for index in range(6):
        SignatureFactory(
            declaration=declaration, email=f"hall{index}@example.org", ip="203.0.113.9"
        )
    flags = list(Signature.objects.order_by("pk").values_list("flags", flat=True))
    assert flags[:3] == ["", "", ""]
    assert flags[3:] == ["busy-network"] * 3
    assert Signature.objects.filter(network="203.0.113.0/24").count() == 6


def test_honeypot_is_stored_but_never_emailed(declaration, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = signing.sign(
            declaration,
            signing.SignatureInput("Bot", "bot@example.org", "US"),
            signing.Context(honeypot="http://spam.example"),
        )
    assert "honeypot" in signature.flags
    assert not OutgoingEmail.objects.filter(to="bot@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_duplicates_yield_exactly_one(secretariat):
    draft = lifecycle.create_declaration(secretariat, slug="race", title="Race", text="Text")
    declaration = lifecycle.open_declaration(secretariat, draft)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attempt():
        try:
            barrier.wait()
            SignatureFactory(declaration=declaration, email="same@example.org")
            outcomes.append("signed")
        except Refused as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("signed") == 1
    assert outcomes.count("duplicate") == 7
    assert Signature.objects.filter(declaration=declaration).count() == 1
