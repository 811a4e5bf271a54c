"""The claim behind Idempotency-Key: claimed before the work, one row per caller and key, an
answer kept a day, a claim left by a dead process taken over."""

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from concord.core import idempotency
from concord.core.models import IdempotentRequest

pytestmark = pytest.mark.django_db


def request(body=b'{"a": 1}', token="Bearer one"):
    return RequestFactory().post(
        "/api/v1/things", body, content_type="application/json", HTTP_AUTHORIZATION=token
    )


def test_a_second_request_while_the_first_runs_waits_then_is_told_to_retry(monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT", 0.1)
    first = idempotency.claim(request(), "k")
    assert isinstance(first, IdempotentRequest)
    second = idempotency.claim(request(), "k")
    assert second.status_code == 409
    assert IdempotentRequest.objects.count() == 1


def test_once_answered_the_same_request_gets_the_answer_again():
    row = idempotency.claim(request(), "k")
    idempotency.keep(row, HttpResponse(b"done", status=201, content_type="text/plain"))
    again = idempotency.claim(request(), "k")
    assert (again.status_code, again.content, again["Content-Type"]) == (201, b"done", "text/plain")
    assert idempotency.claim(request(b'{"a": 2}'), "k").status_code == 422
    # Another caller's key of the same name is its own.
    assert isinstance(idempotency.claim(request(token="Bearer two"), "k"), IdempotentRequest)


def test_a_failure_gives_the_key_back():
    row = idempotency.claim(request(), "k")
    idempotency.keep(row, HttpResponse(status=503))
    assert isinstance(idempotency.claim(request(), "k"), IdempotentRequest)


def test_a_claim_left_without_an_answer_is_taken_over():
    idempotency.claim(request(), "k")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    assert isinstance(idempotency.claim(request(), "k"), IdempotentRequest)


def test_keys_are_forgotten_after_a_day():
    row = idempotency.claim(request(), "k")
    idempotency.keep(row, HttpResponse(b"done"))
    assert idempotency.forget_old(timezone.now() + timedelta(hours=23)) == 0
    assert idempotency.forget_old(timezone.now() + timedelta(hours=25)) == 1
    assert isinstance(idempotency.claim(request(), "k"), IdempotentRequest)


def test_a_malformed_key_is_refused(client):
    answer = client.post(
        "/api/v1/declarations/x/signatures", {}, "application/json", HTTP_IDEMPOTENCY_KEY="a b"
    )
    assert answer.status_code == 422
    assert not IdempotentRequest.objects.exists()
