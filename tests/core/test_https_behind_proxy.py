"""Behind a TLS proxy (BEHIND_PROXY): plain HTTP is redirected, HSTS is sent, /healthz stays
reachable over plain HTTP for the proxy's health check."""

import pytest

from tests.core.test_settings import read_settings

NAMES = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
]


def test_behind_a_proxy_https_is_required(tmp_path):
    found = read_settings(tmp_path, NAMES, BEHIND_PROXY="1", SECRET_KEY="x")
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_duration_comes_from_the_environment(tmp_path):
    found = read_settings(
        tmp_path, NAMES, BEHIND_PROXY="1", SECURE_HSTS_SECONDS="600", SECRET_KEY="x"
    )
    assert found["SECURE_HSTS_SECONDS"] == 600


def test_on_a_laptop_plain_http_is_served(tmp_path):
    found = read_settings(tmp_path, NAMES, SECRET_KEY="x")
    assert (found["SECURE_SSL_REDIRECT"], found["SECURE_HSTS_SECONDS"]) == (False, 0)


@pytest.fixture
def behind_proxy(tmp_path, settings):
    for name, value in read_settings(tmp_path, NAMES, BEHIND_PROXY="1", SECRET_KEY="x").items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)


@pytest.mark.django_db
def test_pages_redirect_to_https_and_send_hsts(client, behind_proxy):
    plain = client.get("/data/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/data/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http(client, behind_proxy):
    assert client.get("/healthz").status_code == 200
