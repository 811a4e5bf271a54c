"""Scheduled jobs: declarations close at their end date; organisers hear once of a goal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.core.models import OutgoingEmail
from concord.declarations.models import Declaration
from concord.declarations.services import scheduled
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def test_declarations_close_at_their_end_date(declaration):
    Declaration.objects.filter(pk=declaration.pk).update(
        closes_at=timezone.now() + timedelta(hours=1)
    )
    assert scheduled.close_due_declarations() == []
    assert scheduled.close_due_declarations(now=timezone.now() + timedelta(hours=2)) == [
        "baku-call"
    ]
    closed = Declaration.objects.get(pk=declaration.pk)
    assert closed.status == "closed" and closed.final_export_sha256


def test_organisers_are_emailed_once_when_the_goal_is_reached(
    declaration, secretariat, owner, django_capture_on_commit_callbacks
):
    declaration.committee.add(owner)
    for index in range(4):
        SignatureFactory(
            declaration=declaration, email=f"p{index}@example.org", country="SN", confirmed=True
        )
    assert scheduled.notify_reached_goals() == []
    SignatureFactory(
        declaration=declaration, email="fifth@example.org", country="KE", confirmed=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled.notify_reached_goals() == ["baku-call"]
        assert scheduled.notify_reached_goals() == []
    assert sorted(
        OutgoingEmail.objects.filter(subject__contains="Goal").values_list("to", flat=True)
    ) == sorted([secretariat.email, owner.email])
