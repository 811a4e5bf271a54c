"""A worker killed (kill -9) in the middle of a mailing: another worker finishes it and
every recipient gets the message exactly once. The mail server takes a while per message,
so the kill lands while one is in flight (the server sees the client vanish and drops it);
the outbox key per mailing and address, and the claim on each message, do the rest."""

import os
import signal
import time
from collections import Counter

import pytest

from tests.faults.conftest import wait_for
from tests.faults.test_worker_kill import RECOVERY_TIMEOUT, slow_smtp  # noqa: F401 - a fixture

pytestmark = pytest.mark.faults

READERS = 20

CREATE_AND_SEND = """
from concord.mailings.services import composing, sending
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
secretariat = UserFactory(email="sec@example.org", staff=True)
organisation = OrganisationFactory(name="Pacific Reef Network", country_id="FJ")
for n in range({readers}):
    RepresentativeFactory(organisation=organisation, user=UserFactory(email=f"r{{n}}@example.org"))
audience = composing.save_audience(
    secretariat, composing.AudienceInput(name="SIDS", kind="representatives", groups=["sids"])
)
mailing = composing.save_mailing(secretariat, composing.MailingInput(
    texts=[composing.Text("en", "Sign before COP", "Dear members")],
    sender_name="Secretariat", original_language="en", audiences=[audience.pk],
))
sending.send(secretariat, mailing)
print(mailing.pk)
"""


def test_a_mailing_interrupted_by_a_killed_worker_reaches_everyone_once(sqlite_site, slow_smtp):  # noqa: F811
    site = sqlite_site
    inbox, smtp_port = slow_smtp
    inbox.delay = 0.5
    site.env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    site.env["MAILING_RATE"] = "6000"  # everyone released at once: the kill lands mid-batch
    mailing = int(site.shell(CREATE_AND_SEND.format(readers=READERS)).strip().splitlines()[-1])

    first = site.start("worker-1", "worker")
    wait_for(lambda: len(inbox.received) >= 5, 60, 0.02, "five messages to arrive")
    wait_for(inbox.in_progress.is_set, 10, 0.01, "a message in flight")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    wait_for(lambda: inbox.dropped == 1, 10, 0.05, "the server to see the client vanish")
    sent_before = len(inbox.received)
    assert sent_before < READERS

    site.start("worker-2", "worker")
    unsent = "SELECT count(*) FROM core_outgoingemail WHERE batch = ? AND sent_at IS NULL"
    wait_for(
        lambda: site.sql(unsent, f"mailing:{mailing}") == [(0,)],
        RECOVERY_TIMEOUT + 30,
        0.5,
        "every message sent",
    )
    time.sleep(1)  # anything sent twice would arrive now
    readers = [f"r{n}@example.org" for n in range(READERS)]
    assert Counter(inbox.received) == dict.fromkeys(readers, 1)
    assert "queued again" in site.log("worker-2")
