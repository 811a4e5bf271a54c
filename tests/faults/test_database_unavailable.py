"""While the database is away, views answer 503 with Retry-After, not 500 (in-process checks;
the real outage is in test_postgres_restart.py). Not marked `faults`: these are fast."""

import json

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.db.backends.utils import CursorWrapper
from django.test import RequestFactory

from concord.core.middleware import DatabaseUnavailableMiddleware


@pytest.fixture
def database_away(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection failed: server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)
    return monkeypatch


@pytest.mark.django_db
def test_the_api_answers_503_json_with_retry_after(client, database_away):
    response = client.get("/api/v1/declarations")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in json.loads(response.content)["detail"]


@pytest.mark.django_db
def test_a_page_answers_503_in_plain_text(client, database_away, caplog):
    response = client.get("/members/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/plain")
    assert "try again" in response.content.decode()
    assert "Database unavailable on GET /members/" in caplog.text


@pytest.mark.django_db
def test_requests_succeed_again_once_the_database_is_back(client, database_away):
    assert client.get("/api/v1/declarations").status_code == 503
    database_away.undo()
    assert client.get("/api/v1/declarations").status_code == 200


def test_only_connection_failures_are_turned_into_503():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/api/v1/declarations")
    assert middleware.process_exception(request, InterfaceError("closed")).status_code == 503
    assert middleware.process_exception(request, OperationalError("database is locked"))
    assert middleware.process_exception(request, ProgrammingError("no such table")) is None
    assert middleware.process_exception(request, ValueError("bug")) is None


@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_closed_so_the_next_request_reconnects(monkeypatch):
    connection.ensure_connection()
    connection.errors_occurred = True
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    middleware.process_exception(RequestFactory().get("/"), OperationalError("gone"))
    assert connection.connection is None
