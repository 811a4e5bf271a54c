"""A worker killed (kill -9) in the middle of a task: the task stays RUNNING with the dead
worker's id, its heartbeat goes stale, the `requeue-lost-tasks` job puts it back to READY and
another worker finishes it. Both tasks used here skip work already done, so running again is
safe: the PDF export ends DONE with its file, and every signer gets exactly one email."""

import asyncio
import json
import os
import signal
import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from tests.faults.conftest import free_port, wait_for

pytestmark = pytest.mark.faults

# After the kill: the dead worker's heartbeat goes stale (20 s), the job runs every 10 s and
# the scheduler looks every 5 s; then the task runs again.
RECOVERY_TIMEOUT = 50

SIGNATURES = 2000  # enough for WeasyPrint to take several seconds, even on an idle machine

CREATE_DECLARATION_WITH_SIGNATURES = """
from django.utils import timezone
from concord.accounts.models import User
from concord.declarations import counting
from concord.declarations.services import lifecycle, pdf_exports, signing
from concord.declarations.models import Signature
user = User.objects.create_user(email="sec@example.org", password="not-used-42", is_staff=True, name="Sec")
declaration = lifecycle.create_declaration(user, slug="big", title="Big", text="We agree.")
declaration = lifecycle.open_declaration(user, declaration)
countries = ["SN", "BD", "KE", "BR", "IN", "PH", "NG", "PE", "FJ", "EG"]
now = timezone.now()
Signature.objects.bulk_create(
    Signature(
        declaration=declaration, email=f"s{{i}}@example.org", name=f"Signer Number {{i}}",
        country_id=countries[i % 10], kind="individual", status="confirmed",
        confirmed_at=now, language="en",
    )
    for i in range({count})
)
counting.recount(declaration)
export = pdf_exports.request_pdf(user, declaration, "en")
print(export.pk)
"""

SIGN_AS_ANONYMOUS = """
from concord.accounts.models import User
from concord.declarations.services import lifecycle, pdf_exports, signing
user = User.objects.create_user(email="sec@example.org", password="not-used-42", is_staff=True, name="Sec")
declaration = lifecycle.create_declaration(user, slug="mail", title="Mail", text="We agree.")
declaration = lifecycle.open_declaration(user, declaration)
for email in {emails!r}:
    signing.sign(
        declaration,
        signing.SignatureInput(name="Signer", email=email, country="SN"),
        signing.Context(ip="127.0.0.1"),
    )
"""


def _task(site, task_name: str) -> list[tuple[str, list[str]]]:
    return [
        (status, json.loads(worker_ids))
        for status, worker_ids in site.sql(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE ?",
            f"%.{task_name}",
        )
    ]


def test_a_pdf_export_interrupted_by_a_killed_worker_is_finished_by_another(sqlite_site):
    site = sqlite_site
    export_id = int(site.shell(CREATE_DECLARATION_WITH_SIGNATURES.format(count=SIGNATURES)))

    def export():
        return site.sql(
            "SELECT status, progress, file, signature_count FROM declarations_export WHERE id = ?",
            export_id,
        )[0]

    first = site.start("worker-1", "worker")
    # Progress 50 is set just before WeasyPrint lays the document out (the long part).
    wait_for(lambda: export()[:2] == ("running", 50), 40, 0.05, "the PDF build to start")
    time.sleep(1)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert export()[0] == "running", "the build finished before the worker was killed"
    [(status, dead_workers)] = _task(site, "build_pdf")
    assert status == "RUNNING" and len(dead_workers) == 1

    killed_at = time.monotonic()
    site.start("worker-2", "worker")
    wait_for(lambda: export()[0] == "done", RECOVERY_TIMEOUT, 0.5, "the export to be DONE")
    print(f"\nexport finished {time.monotonic() - killed_at:.1f} s after the kill")

    status, progress, file, signature_count = export()
    assert (progress, signature_count) == (100, SIGNATURES)
    pdf = site.folder / "media" / file
    assert pdf.read_bytes().startswith(b"%PDF")
    # The same task result ran again on the second worker: requeued, not enqueued anew.
    [(status, workers)] = _task(site, "build_pdf")
    assert status == "SUCCESSFUL"
    assert workers[0] == dead_workers[0] and len(workers) == 2
    assert "queued again" in site.log("worker-2")


class SlowInbox:
    """An SMTP server that takes `delay` seconds to accept each message. A message counts as
    delivered only once the server has answered 250: if the client vanishes before that
    (aiosmtpd then cancels the handler), the message was not accepted and is not counted."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: list[str] = []
        self.dropped = 0
        self.in_progress = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.in_progress.set()
        try:
            await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            self.dropped += 1
            raise
        finally:
            self.in_progress.clear()
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_smtp():
    inbox = SlowInbox(delay=3)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_emails_interrupted_by_a_killed_worker_are_sent_exactly_once(sqlite_site, slow_smtp):
    site = sqlite_site
    inbox, smtp_port = slow_smtp
    site.env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    signers = [f"signer{n}@example.org" for n in range(3)]
    site.shell(SIGN_AS_ANONYMOUS.format(emails=signers))
    assert site.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL") == [(3,)]

    first = site.start("worker-1", "worker")
    wait_for(inbox.in_progress.is_set, 40, 0.02, "the first message to reach the mail server")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = time.monotonic()
    wait_for(lambda: inbox.dropped == 1, 10, 0.05, "the server to see the client vanish")
    assert inbox.received == []

    site.start("worker-2", "worker")
    wait_for(
        lambda: site.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL") == [(0,)],
        RECOVERY_TIMEOUT,
        0.5,
        "every message to be sent",
    )
    print(f"\nall sent {time.monotonic() - killed_at:.1f} s after the kill")
    time.sleep(1)  # anything sent twice would arrive now
    assert Counter(inbox.received) == dict.fromkeys(signers, 1)
    assert inbox.dropped == 1
    assert "queued again" in site.log("worker-2")
    statuses = [status for status, _workers in _task(site, "deliver_email")]
    assert statuses == ["SUCCESSFUL"] * 3
