"""SIGHUP to `concord serve` replaces the app server's processes in the middle of a surge of
signatures without failing a request: no refused or reset connection, no error status, every
acknowledged signature stored; the same master goes on serving on the same port."""

import http.client
import os
import signal
import threading
import time

import pytest

from concord.web.management.commands.serve import MIGRATE_WARNING, queued_connections_move
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
RELOAD_AFTER = 100  # answered requests before the SIGHUP
AFTER_RELOAD = 40  # requests the surge goes on for once every process has been replaced


def test_a_reload_in_a_surge_fails_no_request(sqlite_site, app_server):
    site = sqlite_site
    site.env["APP_SERVER"] = app_server
    # A machine set up as deploy/sysctl.conf says; without it granian resets a few requests.
    assert app_server != "granian" or queued_connections_move() is not False, MIGRATE_WARNING
    site.shell(CREATE_OPEN_DECLARATION.format(slug="surge"))
    port = free_port()
    serve = site.start("serve", "serve", "--port", str(port), "--workers", "2", "--threads", "4")
    wait_for(lambda: healthz(port) == 200, 40, message="concord serve to answer /healthz")
    master, old_workers = wait_for_workers(serve, 2)

    outcomes: list[tuple[str, int | str, float]] = []  # (email, status or error, time)
    lock = threading.Lock()
    replaced: dict[str, float] = {}
    stop = threading.Event()

    def client(number: int) -> None:
        index = 0
        while not stop.is_set():
            index += 1
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

    def reloader() -> None:
        try:
            while len(outcomes) < RELOAD_AFTER:
                time.sleep(0.01)
            replaced["sighup"] = time.monotonic()
            os.kill(serve.pid, signal.SIGHUP)
            # Every old process gone and as many new ones serving.
            wait_for(
                lambda: (lambda m, w: len(w) == 2 and not set(w) & set(old_workers))(
                    *server_processes(serve)
                ),
                60,
                interval=0.1,
                message=f"{app_server} to replace its workers",
            )
            replaced["at"] = time.monotonic()
            # New processes may still be loading the app: the surge goes on until they have
            # answered a share of it (gunicorn's wait in the listening socket's queue).
            wait_for(
                lambda: sum(1 for _e, _o, at in outcomes if at > replaced["at"]) >= AFTER_RELOAD,
                60,
                interval=0.1,
                message="requests answered by the new workers",
            )
        finally:
            stop.set()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=reloader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "the surge did not finish in 120 s"
    assert "at" in replaced, "the workers were not replaced"

    failed = [(email, o) for email, o, _at in outcomes if o != 202]
    assert failed == [], f"{len(failed)} of {len(outcomes)} requests failed: {failed[:10]}"
    during = [o for _e, o, at in outcomes if replaced["sighup"] <= at <= replaced["at"]]
    after = [o for _e, o, at in outcomes if at > replaced["at"]]
    # The surge really went on while the processes were being replaced, and after. gunicorn
    # replaces its workers within a second, in which a loaded machine answers only a few.
    assert len(during) >= 1 and len(after) >= AFTER_RELOAD, (len(during), len(after))

    accepted = {email for email, _o, _at in outcomes}
    assert "'kept': 0" in site.record_accepted()
    stored = {email for (email,) in site.sql("SELECT email FROM declarations_signature")}
    assert accepted - stored == set(), "acknowledged signatures were lost"

    new_master, _new_workers = server_processes(serve)
    assert new_master == master, "the whole server restarted instead of replacing its workers"
    assert serve.poll() is None and healthz(port) == 200
    print(
        f"\n{app_server}: {len(outcomes)} requests, {len(during)} while the workers were "
        f"replaced ({replaced['at'] - replaced['sighup']:.1f} s), all accepted"
    )
