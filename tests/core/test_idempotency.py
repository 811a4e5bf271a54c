"""The claim behind Idempotency-Key: claimed before the work, one row per caller and key, an
answer kept a day, a claim left by a dead process taken over."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from concord.core import idempotency
from concord.core.models import IdempotentRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_lock_left():
    """Claims these tests leave unanswered hold their key's lock on PostgreSQL, whose
    session locks outlive each test's rolled-back transaction: let them go."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")


def request(body=b'{"a": 1}', token="Bearer one"):
    return RequestFactory().post(
        "/api/v1/things", body, content_type="application/json", HTTP_AUTHORIZATION=token
    )


def in_another_connection(work):
    """Run `work` in a thread of its own, with its own database connection, as another
    server process would; the connection ends with it."""
    result: list = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_a_second_request_while_the_first_runs_waits_then_is_told_to_retry(monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT", 0.3)
    first = idempotency.claim(request(), "k")  # this connection runs it and holds on
    assert isinstance(first, IdempotentRequest)
    second = in_another_connection(lambda: idempotency.claim(request(), "k"))
    assert second.status_code == 409
    idempotency.keep(first, HttpResponse(b"done"))
    third = in_another_connection(lambda: idempotency.claim(request(), "k"))
    assert (third.status_code, third.content) == (200, b"done")
    assert IdempotentRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only  # the claim's lock is PostgreSQL's
def test_the_claim_of_a_server_that_died_is_taken_over_at_once():
    # A server claims the key, then dies: its connection ends without an answer.
    dead = in_another_connection(lambda: idempotency.claim(request(), "k"))
    assert isinstance(dead, IdempotentRequest)
    again = idempotency.claim(request(), "k")
    assert isinstance(again, IdempotentRequest) and again.pk == dead.pk
    idempotency.keep(again, HttpResponse(b"done"))


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
