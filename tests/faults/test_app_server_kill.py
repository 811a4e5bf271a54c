"""An app server process killed (kill -9) in the middle of a surge of signatures loses none
of the signatures it acknowledged, and the app server (granian or gunicorn) replaces it."""

import http.client
import os
import signal
import threading
import time

import pytest

from tests.faults.conftest import (
    CREATE_OPEN_DECLARATION,
    free_port,
    healthz,
    request,
    server_processes,
    wait_for,
    wait_for_workers,
)

pytestmark = pytest.mark.faults

CLIENTS = 4
PER_CLIENT = 5000  # at most; clients stop AFTER_KILL seconds after the kill
KILL_AFTER = 120  # answered requests before one worker is killed
AFTER_KILL = 4.0


def test_no_acknowledged_signature_is_lost_when_a_worker_is_killed(sqlite_site, app_server):
    site = sqlite_site
    site.env["APP_SERVER"] = app_server
    site.shell(CREATE_OPEN_DECLARATION.format(slug="surge"))
    port = free_port()
    serve = site.start("serve", "serve", "--port", str(port), "--workers", "2", "--threads", "4")
    wait_for(lambda: healthz(port) == 200, 40, message="concord serve to answer /healthz")
    master, _workers = wait_for_workers(serve, 2)

    outcomes: list[tuple[str, int | str, float]] = []  # (email, status or error, time)
    lock = threading.Lock()
    killed: dict[str, float] = {}

    def client(number: int) -> None:
        for index in range(PER_CLIENT):
            if killed and time.monotonic() > killed["at"] + AFTER_KILL:
                return
            email = f"signer-{number}-{index}@example.org"
            body = {"name": f"Signer {number} {index}", "email": email, "country": "SN"}
            try:
                status, _headers, _body = request(
                    port, "POST", "/api/v1/declarations/surge/signatures", body
                )
                outcome: int | str = status
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            with lock:
                outcomes.append((email, outcome, time.monotonic()))

    def killer() -> None:
        while len(outcomes) < KILL_AFTER:
            if len(outcomes) >= CLIENTS * PER_CLIENT:
                return
            time.sleep(0.01)
        victim = server_processes(serve)[1][0]
        os.kill(victim, signal.SIGKILL)
        killed.update(pid=victim, at=time.monotonic())

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=killer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "the surge did not finish in 120 s"
    surge_seconds = time.monotonic() - started

    assert killed, "the worker was never killed"
    accepted = {email for email, outcome, _at in outcomes if outcome == 202}
    after_kill = [o for _email, o, at in outcomes if at > killed["at"] + 1]
    statuses = {o for _email, o, _at in outcomes if isinstance(o, int)}
    # Nothing but acceptances (or 503s, were SQLite's lock ever held too long): never a 500.
    assert statuses <= {202, 503}, statuses
    # The kill happened mid-surge: the server kept accepting signatures afterwards.
    assert after_kill.count(202) >= 50, (len(after_kill), after_kill[:20])
    assert len(accepted) >= 0.8 * len(outcomes), (len(accepted), len(outcomes))

    # Every 202 was stored: once recorded, each is a signature (read directly, as another
    # process would).
    assert "'kept': 0" in site.record_accepted()
    stored = {email for (email,) in site.sql("SELECT email FROM declarations_signature")}
    assert accepted - stored == set(), "acknowledged signatures were lost"
    assert site.sql("PRAGMA integrity_check") == [("ok",)]

    # The server replaced the dead worker; it answers as before, without a restart.
    wait_for(
        lambda: (lambda m, w: m == master and len(w) == 2 and killed["pid"] not in w)(
            *server_processes(serve)
        ),
        20,
        message=f"{app_server} to start a new worker",
    )
    assert healthz(port) == 200
    assert serve.poll() is None
    print(
        f"\n{app_server}: {len(outcomes)} requests in {surge_seconds:.1f} s: {len(accepted)} accepted, "
        f"{sum(1 for _e, o, _a in outcomes if isinstance(o, str))} connection errors, "
        f"worker {killed['pid']} killed after {KILL_AFTER}"
    )
