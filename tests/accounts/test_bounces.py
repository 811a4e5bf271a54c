"""A person sees on their account page that mail to their address bounces, and resets it."""

import pytest

from concord.core import bounces

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_a_bouncing_address_and_resets_it(client, owner, outsider):
    bounces.record(owner.email, "hard", "550 mailbox unavailable")
    bounces.record(outsider.email, "hard", "550 mailbox unavailable")
    client.force_login(owner)
    page = client.get("/account/").content.decode()
    assert "has not been delivered since" in page
    assert client.post("/account/bounces/reset/").status_code == 302
    assert not bounces.is_bouncing(owner.email)
    assert bounces.is_bouncing(outsider.email)  # only one's own addresses
    assert "Mail reaches your address." in client.get("/account/").content.decode()


def test_the_reset_is_only_by_post(client, owner):
    bounces.record(owner.email, "hard")
    client.force_login(owner)
    assert client.get("/account/bounces/reset/").status_code == 405
    assert bounces.is_bouncing(owner.email)
