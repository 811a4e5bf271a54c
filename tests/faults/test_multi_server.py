"""The several-machines deployment (docs/deploying.md), tested: HAProxy with the repository's
deploy/haproxy.cfg in front of two `concord serve`, two `concord worker`, one PostgreSQL
database and one Redis.

Limits are shared: a rate-limit budget and the per-network soft limit are spent across both
app servers. Then a signing surge through HAProxy loses one app server and one worker to
kill -9 half-way, and still every 202 is one signature, every signer gets one email, the
balancer's retries double nothing, and the statistics equal a recount in SQL.

Runs on PostgreSQL whatever DATABASE_URL says (it makes its own database), in the
PostgreSQL pass of `make test` only (tests/conftest.py).
"""

import http.client
import re
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.cluster import Cluster, get_json, post, running_cluster, sql
from tests.faults.conftest import CREATE_OPEN_DECLARATION, healthz, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres_only]

SOFT_LIMIT = 20  # SIGN_SOFT_LIMIT_PER_NETWORK: signatures a minute before a network is flagged
CLIENTS = 8  # each from its own /24, so the per-network rate limit (600/10 min) holds
KILL_AFTER = 300  # answers before an app server and a worker are killed
AFTER_KILL = 250  # answers the surge goes on for once they are dead, however slow the machine
MOST_PER_CLIENT = 400  # under the per-network limit (600 in 10 minutes)
COUNTRIES = ["SN", "KE", "BD", "BR", "PH", "FJ"]
CONFIRMED = 120  # signers who then open their link


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    env = {"SIGN_SOFT_LIMIT_PER_NETWORK": str(SOFT_LIMIT)}
    with running_cluster(tmp_path_factory.mktemp("cluster"), **env) as (cluster, inbox):
        cluster.site.shell(CREATE_OPEN_DECLARATION.format(slug="surge"))
        yield cluster, inbox


def sign_path(slug: str) -> str:
    return f"/api/v1/declarations/{slug}/signatures"


def served_by(cluster: Cluster, client: str) -> set[str]:
    return {
        line.server for line in cluster.log() if line.client == client and line.method == "POST"
    }


def test_rate_limits_and_the_soft_limit_are_shared_by_the_app_servers(cluster):
    cluster, _inbox = cluster
    cluster.ensure_ready()
    port = cluster.balancer_port
    resend = sign_path("surge") + "/resend"

    # One address, 3 an hour, whichever app server each attempt reaches.
    address = [post(port, resend, {"email": "a@example.org"}, source="127.0.200.1")[0]]
    address += [post(port, resend, {"email": "a@example.org"}, source="127.0.200.1")[0]]
    address += [post(port, resend, {"email": "a@example.org"}, source="127.0.200.1")[0]]
    address += [post(port, resend, {"email": "a@example.org"}, source="127.0.200.1")[0]]
    assert address == [202, 202, 202, 429]
    assert served_by(cluster, "127.0.200.1") == {"app1", "app2"}

    # One network, 30 an hour.
    network = [
        post(port, resend, {"email": f"n{n}@example.org"}, source="127.0.201.1")[0]
        for n in range(31)
    ]
    assert network == [202] * 30 + [429]
    assert served_by(cluster, "127.0.201.1") == {"app1", "app2"}

    # The soft limit counts a network's signatures a minute in the shared cache: past it,
    # each is flagged for review (never refused), whichever server took it.
    if time.time() % 60 > 40:  # all of them in one minute
        time.sleep(61 - time.time() % 60)
    for n in range(SOFT_LIMIT + 5):
        body = {"name": f"Near {n}", "email": f"near{n}@example.org", "country": "SN"}
        assert post(port, sign_path("surge"), body, source="127.0.202.1")[0] == 202
    assert served_by(cluster, "127.0.202.1") == {"app1", "app2"}

    def flags():
        rows = sql(
            cluster.site,
            "SELECT flags FROM declarations_signature WHERE email LIKE 'near%%@example.org'",
        )
        return rows if len(rows) == SOFT_LIMIT + 5 else None

    found = Counter(row[0] for row in wait_for(flags, 60, 0.5, "the workers to record them"))
    assert found == {"": SOFT_LIMIT, "busy-network": 5}


def _surge(cluster: Cluster) -> tuple[list[tuple], dict]:
    """CLIENTS threads sign through HAProxy, each from its own network, each submission
    with its own Idempotency-Key; one app server and one worker die after KILL_AFTER answers,
    and the surge goes on until AFTER_KILL more (a loaded machine answers fewer a second, so
    the surge is counted in answers, not seconds)."""
    outcomes: list[tuple] = []  # (email, key, status or error name, answered at)
    lock = threading.Lock()
    killed: dict = {}

    def enough() -> bool:
        with lock:
            at = killed.get("at")
            return at is not None and sum(1 for *_, t in outcomes if t > at) >= AFTER_KILL

    def client(number: int) -> None:
        for index in range(MOST_PER_CLIENT):
            if enough():
                break
            email = f"signer-{number}-{index}@example.org"
            key = uuid.uuid4().hex
            country = COUNTRIES[(number + index) % len(COUNTRIES)]
            body = {"name": f"Signer {number} {index}", "email": email, "country": country}
            try:
                status, _body = post(
                    cluster.balancer_port,
                    sign_path("surge"),
                    body,
                    source=f"127.0.{10 + number}.1",
                    headers={"Idempotency-Key": key},
                )
                outcome: int | str = status
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            with lock:
                outcomes.append((email, key, outcome, time.monotonic()))

    def killer() -> None:
        while len(outcomes) < KILL_AFTER:
            time.sleep(0.01)
        # Mid-task: wait (briefly) until worker1 is running something, then kill both.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not running_on(cluster, "worker1"):
            time.sleep(0.02)
        killed["busy"] = running_on(cluster, "worker1")
        killed["log_from"] = len(cluster.site.log("haproxy"))
        cluster.kill_app("app1")
        cluster.kill_worker("worker1")
        killed["at"] = time.monotonic()
        killed["db_time"] = sql(cluster.site, "SELECT now()")[0][0]
        killed["answered"] = len(outcomes)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=killer, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join(timeout=150)
    assert not any(thread.is_alive() for thread in threads[:-1]), "the surge did not finish"
    return outcomes, killed


def confirm(cluster: Cluster, token: str) -> int:
    return post(cluster.balancer_port, sign_path("surge") + "/confirm", {"token": token})[0]


def intake_batch() -> int:
    from concord.declarations import intake  # the test process's copy of the same code

    return intake.BATCH


def running_on(cluster: Cluster, worker: str) -> list[str]:
    """Paths of the tasks RUNNING on that worker (its id holds its process id)."""
    pid = cluster.workers[worker].pid
    rows = sql(
        cluster.site,
        "SELECT task_path, worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE status = 'RUNNING'",
    )
    return [path for path, ids in rows if ids and f"-{pid}-" in ids[-1]]


def _release_dead_claims(cluster: Cluster, killed: dict) -> int:
    """The dead worker's claimed intake rows wait for their claim to expire (2 minutes,
    declarations/intake.py: CLAIM). Rather than wait, age those claims, which is all the
    passing of time would do: a claim made before the kill ends before db_time + CLAIM, one
    made after it later, and once no live task that started before the kill is running,
    the only claims ending that early are the dead worker's."""
    dead = cluster.workers["worker1"].pid

    def settled() -> bool:
        rows = sql(
            cluster.site,
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'RUNNING' AND started_at < %s",
            killed["db_time"],
        )
        return all(f"-{dead}-" in ids[-1] for (ids,) in rows)

    wait_for(settled, 60, 0.5, "the live worker to finish what it began before the kill")
    aged = sql(
        cluster.site,
        "UPDATE declarations_signatureintake SET claimed_until = now() - interval '1 second'"
        " WHERE claimed_until > now() AND claimed_until <= %s::timestamptz + interval '2 minutes'"
        " RETURNING id",
        killed["db_time"],
    )
    return len(aged)


def test_a_surge_through_haproxy_survives_a_killed_app_server_and_worker(cluster):
    cluster, inbox = cluster
    cluster.ensure_ready()
    site = cluster.site
    started = time.monotonic()
    outcomes, killed = _surge(cluster)
    surge_seconds = time.monotonic() - started
    assert killed.get("at"), "nothing was killed"

    statuses = Counter(outcome for _e, _k, outcome, _at in outcomes)
    accepted = {email for email, _k, outcome, _at in outcomes if outcome == 202}
    unanswered = {email for email, _k, outcome, _at in outcomes if outcome != 202}
    after_kill = [o for _e, _k, o, at in outcomes if at > killed["at"]]
    # The balancer hid the dead server: every request was answered 202, but for those whose
    # answer the killed server was sending (HAProxy cannot take back what it passed on).
    # Those broke at the kill, at most one per client, and never as an error of the app.
    cut = [(o, at - killed["at"]) for _e, _k, o, at in outcomes if o != 202]
    assert all(isinstance(o, str) and abs(delay) < 2 for o, delay in cut), statuses
    assert len(cut) <= CLIENTS, statuses
    assert after_kill.count(202) >= 150, len(after_kill)
    # The health checks took the dead server out (the retries hid it until then).
    assert "app1 is DOWN" in cluster.site.log("haproxy")[killed["log_from"] :]

    aged = _release_dead_claims(cluster, killed)
    signed = "SELECT email FROM declarations_signature WHERE email LIKE 'signer-%%'"

    def all_recorded():
        waiting = sql(
            site,
            "SELECT count(*) FROM declarations_signatureintake WHERE error = '' AND recorded_at IS NULL",
        )
        return waiting == [(0,)] and len(sql(site, signed)) >= len(accepted)

    wait_for(all_recorded, 120, 1, "every accepted submission to be recorded")
    assert sql(site, "SELECT error FROM declarations_signatureintake WHERE error <> ''") == []
    stored = [email for (email,) in sql(site, signed)]
    # Every 202 is recorded exactly once (the table's unique rule would refuse a second); a
    # request cut at the kill may have been recorded too: its signer has the email.
    assert len(stored) == len(set(stored))
    assert accepted <= set(stored) <= accepted | unanswered
    signers = set(stored)

    # One outbox message per signer: their confirmation (written with the signature). A
    # submission recorded twice would add an "already signed" message to the same address.
    outbox_query = (
        'SELECT "to", key, attempts FROM core_outgoingemail WHERE "to" LIKE \'signer-%%\''
    )
    outbox = sql(site, outbox_query)
    per_address = Counter(to for to, _key, _attempts in outbox)
    doubled = {to for to, count in per_address.items() if count > 1}
    # The balancer retries a request whose server died or went silent; one that had been
    # stored already is then submitted twice, and only the Idempotency-Key tells.
    keys = {key: email for email, key, _o, _at in outcomes}
    retried = {keys[line.key] for line in cluster.log() if line.retries and line.key in keys}
    idempotent = bool(
        sql(
            site,
            "SELECT 1 FROM information_schema.columns WHERE table_name ="
            " 'declarations_signatureintake' AND column_name = 'submission'",
        )
    )
    # Without an idempotent intake two more doubles are known, and tolerated only there:
    # a submission HAProxy sent twice, and the batch the killed worker had recorded but not
    # yet deleted from the intake (run again, each of its rows is "already signed").
    confirmations = Counter(to for to, key, _a in outbox if key.startswith("signature.confirm:"))
    assert confirmations == dict.fromkeys(signers, 1)
    replayed, doubles = doubled - retried, len(doubled)
    if not idempotent:
        assert len(replayed) <= intake_batch(), sorted(replayed)[:10]
        doubled = set()
    assert doubled == set(), sorted(doubled)[:10]

    # Delivered over SMTP once each. Sending is at least once: the one message the dead
    # worker may have handed to the server before it could mark it sent may come twice.
    def all_sent():
        left = sql(site, "SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL")
        return left == [(0,)]

    wait_for(all_sent, 120, 1, "every message to be sent")
    outbox = sql(site, outbox_query)
    time.sleep(1)  # a second copy would arrive now
    delivered = Counter(to for to, _text in inbox.received if to.startswith("signer-"))
    assert set(delivered) == signers
    twice = {to for to, count in delivered.items() if count > per_address[to]}
    resent = {to for to, _key, attempts in outbox if attempts > 1}
    assert len(twice) <= 1 and twice <= resent, twice

    # Half the signers open their link (through the balancer); the statistics then equal a
    # recount of the signature table, on the balancer and on the surviving server alike.
    links = {}
    for to, text in inbox.received:
        found = re.search(r"/declarations/surge/confirm/([A-Za-z0-9_-]+)/", text)
        if found and to.startswith("signer-"):
            links.setdefault(to, found[1])
    tokens = list(links.values())[:CONFIRMED]
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda token: confirm(cluster, token), tokens))
    assert answers == [200] * len(tokens)
    time.sleep(2.5)  # STATS_CACHE_SECONDS: the cached figures are renewed by now
    expected = dict(
        sql(
            site,
            "SELECT country_id, count(*) FROM declarations_signature"
            " WHERE status = 'confirmed' GROUP BY country_id",
        )
    )
    assert sum(expected.values()) == len(tokens)
    for port in (cluster.balancer_port, cluster.app_ports["app2"]):
        stats = get_json(port, "/api/v1/declarations/surge/stats")
        by_country = {row["country"]: row["signatures"] for row in stats["by_country"]}
        assert (stats["signatures"], by_country) == (sum(expected.values()), expected)
    assert healthz(cluster.balancer_port) == 200

    print(
        f"\n{len(outcomes)} requests in {surge_seconds:.1f} s, {statuses}; app1 and worker1"
        f" killed after {killed['answered']} answers (worker1 running {killed['busy']});"
        f" {len(retried)} submissions retried by HAProxy, {doubles} signers"
        f" mailed twice (intake idempotent: {idempotent}; {len(replayed)} by the killed"
        f" worker's batch); {aged} claims of the dead worker aged;"
        f" {len(twice)} sent twice over SMTP"
    )
