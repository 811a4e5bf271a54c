"""A pending signature someone else made for your address cannot keep you from signing:
signed in with that verified address you take it over at once, and once its link expires a
scheduled job deletes it (with its confirmation emails) so the address can sign again."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.declarations import counting
from concord.declarations.models import Signature
from concord.declarations.services import resending, scheduled, signing
from concord.declarations.tasks import PERIODIC_JOBS
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def squat(declaration, email: str) -> Signature:
    """A stranger signs with `email` and asks for every resend there is."""
    signature = signing.sign(
        declaration,
        signing.SignatureInput(
            name="Squatter", email=email, country="FR", organisation="Fake", role="Troll"
        ),
        signing.Context(ip="203.0.113.66"),
    )
    for _ in range(django_settings.SIGNATURE_MAX_CONFIRMATIONS):
        resending.resend_confirmation(declaration, email)
    return signature


def test_the_signed_in_owner_takes_over_a_pending_signature(client, declaration, settings):
    settings.SIGN_MIN_SECONDS = 0
    owner = UserFactory(email="ana@example.org", name="Ana Silva")
    squatted = squat(declaration, "ana@example.org")
    client.force_login(owner)
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    body = {"name": "Ana Silva", "email": "ana@example.org", "country": "MZ"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 202, response.json()
    assert response.json() == {"status": "confirmed"}
    signature = Signature.objects.get(declaration=declaration, email="ana@example.org")
    assert signature.pk == squatted.pk  # the row became hers
    assert (signature.status, signature.user, signature.name) == ("confirmed", owner, "Ana Silva")
    assert (signature.country_id, signature.organisation_name, signature.role) == ("MZ", "", "")
    assert signature.token_hash == ""  # the squatter's last link no longer works
    assert counting.tallied_counts(declaration)[0] == counting.true_counts(declaration)[0]
    assert not OutgoingEmail.objects.filter(
        to="ana@example.org", key__startswith="signature.confirm:", sent_at__isnull=True
    ).exists()


def test_an_unverified_account_does_not_take_over(declaration):
    stranger = UserFactory(email="ana@example.org", verified=False)
    squat(declaration, "ana@example.org")
    with pytest.raises(Refused) as refusal:
        signing.sign(
            declaration,
            signing.SignatureInput(name="X", email="ana@example.org", country="MZ"),
            signing.Context(user=stranger, ip="198.51.100.7"),
        )
    assert refusal.value.code == "duplicate"
    assert Signature.objects.get().name == "Squatter"


def test_expired_pending_signatures_are_deleted_with_their_emails(declaration):
    expired = squat(declaration, "ana@example.org")
    fresh = squat(declaration, "other@example.org")
    assert OutgoingEmail.objects.filter(to="ana@example.org").count() > 1  # resends too
    Signature.objects.filter(pk=expired.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert scheduled.delete_expired_signatures() == 1
    assert not Signature.objects.filter(pk=expired.pk).exists()
    assert not OutgoingEmail.objects.filter(to="ana@example.org").exists()
    assert Signature.objects.filter(pk=fresh.pk).exists()
    assert OutgoingEmail.objects.filter(to="other@example.org").exists()
    again = signing.sign(
        declaration,
        signing.SignatureInput(name="Ana", email="ana@example.org", country="MZ"),
        signing.Context(ip="198.51.100.7"),
    )
    assert again.status == "pending"


def test_the_deletion_is_a_periodic_job():
    assert "delete-expired-signatures" in {name for name, _every, _task in PERIODIC_JOBS}
