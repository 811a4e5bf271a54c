"""Rate limits: budgets per client network and per recipient address, answered 429."""

import pytest
from django.test import RequestFactory, override_settings

from concord.core import limits

RULES = {"demo": {"network": "3/hour", "address": "2/hour"}}


@override_settings(RATE_LIMITS=RULES)
def test_a_network_budget_counts_every_address_in_the_network():
    for host in (1, 2, 3):
        limits.check("demo", ip=f"198.51.100.{host}")
    with pytest.raises(limits.TooMany) as refusal:
        limits.check("demo", ip="198.51.100.77")
    assert refusal.value.status == 429
    assert 0 < refusal.value.retry_after <= 3600
    limits.check("demo", ip="203.0.113.5")  # another network has its own budget


@override_settings(RATE_LIMITS=RULES)
def test_an_address_budget_holds_whichever_network_asks():
    limits.check("demo", ip="198.51.100.1", address="Someone@Example.org")
    limits.check("demo", ip="203.0.113.1", address="someone@example.org")
    with pytest.raises(limits.TooMany):
        limits.check("demo", ip="192.0.2.1", address="someone@example.org ")
    limits.check("demo", ip="192.0.2.1", address="other@example.org")


@override_settings(RATE_LIMITS=RULES)
def test_the_request_carries_the_wait_for_retry_after():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        limits.check("demo", request)
    with pytest.raises(limits.TooMany) as refusal:
        limits.check("demo", request)
    assert request.retry_after == refusal.value.retry_after


@override_settings(RATE_LIMITS_ENABLED=False, RATE_LIMITS=RULES)
def test_limits_can_be_switched_off_for_load_tests():
    for _ in range(10):
        limits.check("demo", ip="198.51.100.1", address="a@example.org")


def test_every_action_has_a_rule_so_none_is_unlimited(settings):
    for action in ("sign", "resend", "invite", "contact", "apply", "search"):
        assert limits.rules(action, "network"), action
