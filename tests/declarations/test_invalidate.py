"""The secretariat invalidates signatures in bulk; they are kept, and counts change at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.core.models import AuditEvent
from concord.declarations.models import Signature
from concord.declarations.queries import declaration_stats
from concord.declarations.services import review
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(declaration):
    for index in range(3):
        SignatureFactory(
            declaration=declaration,
            email=f"bot{index}@spam.example",
            country="US",
            ip="192.0.2.10",
            confirmed=True,
        )
    for index in range(4):
        SignatureFactory(
            declaration=declaration,
            email=f"real{index}@ngo.example",
            country="SN",
            ip="198.51.100.20",
            confirmed=True,
        )
    SignatureFactory(
        declaration=declaration, email="waiting@spam.example", country="US", ip="192.0.2.11"
    )
    return declaration


def test_by_email_domain(secretariat, signed):
    changed = review.invalidate_signatures(
        secretariat,
        signed,
        review.SignatureFilter(domain="spam.example"),
        "Bulk spam from one domain",
    )
    assert changed == 4  # three confirmed, one pending
    stats = declaration_stats(signed)
    assert stats.signatures == 4
    assert [row.country for row in stats.by_country] == ["SN"]
    kept = Signature.objects.filter(email__endswith="@spam.example")
    assert kept.count() == 4
    assert set(kept.values_list("status", flat=True)) == {"invalidated"}
    assert set(kept.values_list("invalidation_reason", flat=True)) == {"Bulk spam from one domain"}
    event = AuditEvent.objects.get(action="signatures.invalidated")
    assert (
        event.actor == secretariat
        and event.data["count"] == 4
        and event.data["domain"] == "spam.example"
    )


def test_by_network_and_time_window(secretariat, signed):
    changed = review.invalidate_signatures(
        secretariat, signed, review.SignatureFilter(network="192.0.2.0/24"), "One network"
    )
    assert changed == 4
    now = timezone.now()
    changed = review.invalidate_signatures(
        secretariat,
        signed,
        review.SignatureFilter(since=now - timedelta(minutes=5), until=now + timedelta(minutes=1)),
        "Everything in the last five minutes",
    )
    assert changed == 4
    assert declaration_stats(signed).signatures == 0


def test_a_reason_and_a_selection_are_required(secretariat, signed):
    with pytest.raises(ValidationError):
        review.invalidate_signatures(
            secretariat, signed, review.SignatureFilter(domain="spam.example"), " "
        )
    with pytest.raises(ValidationError):
        review.invalidate_signatures(
            secretariat, signed, review.SignatureFilter(), "No filter at all"
        )
    assert not Signature.objects.filter(status="invalidated").exists()


@pytest.mark.parametrize("persona", ["owner", "colleague", "outsider"])
def test_others_are_refused(request, persona, signed):
    with pytest.raises(PermissionDenied):
        review.invalidate_signatures(
            request.getfixturevalue(persona),
            signed,
            review.SignatureFilter(domain="ngo.example"),
            "No",
        )
    assert declaration_stats(signed).signatures == 7
