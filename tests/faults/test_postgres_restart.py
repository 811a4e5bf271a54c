"""PostgreSQL restarted in the middle of a surge: clients get 503 with Retry-After (never 500)
while it is down, the same app server processes serve again once it is back, and no
acknowledged signature is lost."""

import http.client
import json
import threading
import time

import psycopg
import pytest

from tests.faults.conftest import (
    CREATE_OPEN_DECLARATION,
    Site,
    free_port,
    gunicorn_processes,
    healthz,
    request,
    wait_for,
)

pytestmark = pytest.mark.faults

CLIENTS = 4
BEFORE, DOWN, AFTER = 4.0, 3.0, 6.0  # seconds of surge before the stop, of outage, after


@pytest.fixture
def pg_site(tmp_path, pg_cluster):
    pg_cluster.create_database("concord")
    site = Site(tmp_path, database_url=pg_cluster.url("concord"))
    try:
        yield site
    finally:
        site.stop_all()


def test_a_database_restart_answers_503_then_recovers_without_losing_signatures(
    pg_site, pg_cluster
):
    site = pg_site
    site.run("migrate", "--no-input", "--verbosity", "0")
    site.shell(CREATE_OPEN_DECLARATION.format(slug="surge"))
    port = free_port()
    serve = site.start("serve", "serve", "--port", str(port), "--workers", "2", "--threads", "4")
    wait_for(lambda: healthz(port) == 200, 40, message="concord serve to answer /healthz")
    master, workers = gunicorn_processes(serve)

    # (email, status or error, Retry-After, body, sent at, answered at)
    outcomes: list[tuple] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        index = 0
        while not stop.is_set():
            index += 1
            email = f"signer-{number}-{index}@example.org"
            body = {"name": f"Signer {number} {index}", "email": email, "country": "KE"}
            sent = time.monotonic()
            try:
                status, headers, content = request(
                    port, "POST", "/api/v1/declarations/surge/signatures", body, timeout=20
                )
                outcome = (email, status, headers.get("retry-after"), content)
            except (OSError, http.client.HTTPException) as error:
                outcome = (email, type(error).__name__, None, b"")
            with lock:
                outcomes.append((*outcome, sent, time.monotonic()))
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(BEFORE)
        stopped_at = time.monotonic()
        pg_cluster.stop("fast")
        down_at = time.monotonic()  # pg_ctl waits until the server is gone
        time.sleep(DOWN)
        starting_at = time.monotonic()  # from here the server may answer again
        pg_cluster.start()
        restarted_at = time.monotonic()
        # The app server notices by itself: wait until it answers again (a busy machine may
        # take a few seconds), then every request from a moment later must succeed.
        deadline = restarted_at + 30
        while healthz(port) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        recovered_at = time.monotonic()
        time.sleep(AFTER)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    statuses = [outcome[1] for outcome in outcomes]
    during = [o for o in outcomes if o[4] > down_at and o[5] < starting_at]
    after = [o for o in outcomes if o[4] > recovered_at + 1]
    summary = {s: statuses.count(s) for s in set(statuses)}
    print(f"\n{len(outcomes)} requests: {summary}; {len(during)} during the outage")

    # Never a 500, nor a dropped connection: the app server stayed up and said "try later".
    unexpected = [o[:4] for o in outcomes if o[1] not in (202, 503)]
    assert not unexpected, (summary, unexpected[:3])
    assert sum(1 for o in outcomes if o[1] == 202 and o[5] < stopped_at) >= 20
    assert during and all(o[1] == 503 for o in during), [o[1] for o in during]
    for _email, status, retry_after, content, _sent, _answered in outcomes:
        if status == 503:
            assert retry_after == "5"
            assert "unavailable" in json.loads(content)["detail"]
    # Back to normal without restarting anything: every request well after the restart works.
    assert len(after) >= 20 and all(o[1] == 202 for o in after), [o[1] for o in after]
    assert gunicorn_processes(serve) == (master, workers), "an app server process was replaced"
    assert healthz(port) == 200

    accepted = {o[0] for o in outcomes if o[1] == 202}
    assert "'kept': 0" in site.record_accepted()
    with psycopg.connect(pg_cluster.url("concord")) as connection:
        stored = {row[0] for row in connection.execute("SELECT email FROM declarations_signature")}
    assert accepted - stored == set(), "acknowledged signatures were lost"
    assert "Database unavailable on POST /api/v1/declarations/surge/signatures" in site.log("serve")
