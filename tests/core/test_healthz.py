"""/healthz: what a load balancer asks to know whether this instance can serve."""

import pytest
from django.db import DatabaseError, connection

pytestmark = pytest.mark.django_db


def test_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"
    assert response["Content-Type"].startswith("text/plain")
    # A probe must never see a cached answer.
    assert "no-cache" in response["Cache-Control"]


def test_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "ok" not in response.content.decode()
    assert "database unavailable" in response.content.decode()
