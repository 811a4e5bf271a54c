"""The client's address behind trusted proxies (`TRUSTED_PROXIES`), and never a forged one."""

from django.test import RequestFactory

from concord.accounts.adapter import AccountAdapter
from concord.core.network import client_ip

PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"
FORGED = "198.51.100.66"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = ""
    assert client_ip(request_from(CLIENT, FORGED)) == CLIENT


def test_one_trusted_hop_takes_the_address_before_the_proxy(settings):
    settings.TRUSTED_PROXIES = "1"
    # The client forged an entry; the proxy appended the address it really saw.
    assert client_ip(request_from(PROXY, f"{FORGED}, {CLIENT}")) == CLIENT


def test_a_trusted_proxy_address_takes_the_rightmost_untrusted_address(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8, 192.0.2.1"
    assert client_ip(request_from(PROXY, f"{FORGED}, {CLIENT}, 192.0.2.1")) == CLIENT
    assert client_ip(request_from("192.0.2.1", CLIENT)) == CLIENT


def test_a_request_not_from_a_trusted_proxy_keeps_its_own_address(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    assert client_ip(request_from(CLIENT, FORGED)) == CLIENT


def test_a_garbled_forwarded_entry_stops_at_the_proxy_that_reported_it(settings):
    settings.TRUSTED_PROXIES = "1"
    assert client_ip(request_from(PROXY, "not-an-address")) == PROXY
    assert client_ip(request_from(PROXY)) == PROXY


def test_allauth_rate_limits_see_the_same_client_address(settings):
    settings.TRUSTED_PROXIES = "1"
    assert AccountAdapter().get_client_ip(request_from(PROXY, CLIENT)) == CLIENT
