"""Several app servers and workers behind HAProxy, on one PostgreSQL database and one Redis:
the deployment docs/deploying.md describes, started for a fault test.

HAProxy runs the repository's own deploy/haproxy.cfg, its addresses given through the
environment as on a real machine, so the guide and the test cannot drift apart. The database
is a throwaway one on the machine's PostgreSQL server; Redis is a database of this test's own
(see `redis_database`); mail goes to an SMTP server in this process.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller

from tests.faults.conftest import ROOT, Site, free_port, healthz, wait_for

PG_SERVER = os.environ.get("CONCORD_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
# A Redis URL with a database number the tests may empty (locally: that helper's own);
# unset, an empty database is claimed on the machine's server.
REDIS_TEST_URL = os.environ.get("CONCORD_TEST_REDIS_URL", "")
REDIS_SERVER = os.environ.get("CONCORD_TEST_REDIS_SERVER", "redis://127.0.0.1:6379")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
CLAIM_KEY = "concord-test:claimed-by"


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """A uniquely named database on the machine's PostgreSQL, dropped at the end."""
    name = f"concord_cluster_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {PG_SERVER}: {error}")
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database nobody else uses, emptied at the end. Cache keys and rate-limit
    counters of other sites on the same server must neither leak into this test nor be
    wiped by it, so an empty numbered database is claimed with a marker key (15 down to 1)
    unless CONCORD_TEST_REDIS_URL names one."""
    url = REDIS_TEST_URL
    token = uuid.uuid4().hex
    try:
        if not url:
            for number in range(15, 0, -1):
                candidate = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
                if candidate.set(CLAIM_KEY, token, nx=True, ex=3600):
                    if candidate.dbsize() == 1:
                        url = f"{REDIS_SERVER}/{number}"
                        break
                    candidate.delete(CLAIM_KEY)  # it holds someone's keys: not ours
            else:
                pytest.fail(f"no empty Redis database to claim on {REDIS_SERVER}")
        client = redis.Redis.from_url(url)
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"no Redis server at {url or REDIS_SERVER}: {error}")
    try:
        yield url
    finally:
        client.flushdb()


class Inbox:
    """An SMTP server's handler keeping (recipient, message text) for each accepted message."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode("utf-8", errors="replace")
        with self.lock:
            self.received.extend((to, text) for to in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


# One request as HAProxy's `option httplog` writes it: client, server, status, retries
# (`+N` once redispatched), the captured Idempotency-Key, method and path.
LOG_LINE = re.compile(
    r" (?P<client>[\d.]+):\d+ \[[^\]]+\] \S+ \S+/(?P<server>\S+) \S+ (?P<status>\d{3}) "
    r".*? \d+/\d+/\d+/\d+/(?P<retries>\+?\d+) \d+/\d+ \{(?P<key>[^}]*)\} "
    r'"(?P<method>\S+) (?P<path>\S+)'
)


@dataclass
class Logged:
    client: str
    server: str
    status: int
    retries: int
    key: str
    method: str
    path: str


@dataclass
class Cluster:
    """App servers (`concord serve`), workers and the balancer of one site."""

    site: Site
    balancer_port: int
    app_ports: dict[str, int]
    apps: dict[str, subprocess.Popen] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start_app(self, name: str) -> None:
        port = str(self.app_ports[name])
        self.apps[name] = self.site.start(
            name, "serve", "--port", port, "--workers", "2", "--threads", "4"
        )

    def start_worker(self, name: str) -> None:
        self.workers[name] = self.site.start(name, "worker")

    def start_balancer(self) -> None:
        env = {
            **os.environ,
            "CONCORD_LISTEN": f"127.0.0.1:{self.balancer_port}",
            "CONCORD_HAPROXY_LOG": "stdout",
            # What one `concord serve --workers 2 --threads 4` runs at once.
            "CONCORD_APP_MAXCONN": "8",
            **{f"CONCORD_{name.upper()}": f"127.0.0.1:{p}" for name, p in self.app_ports.items()},
        }
        env.pop("CONCORD_TLS_CERT", None)
        check = subprocess.run(
            [HAPROXY, "-c", "-q", "-f", str(HAPROXY_CFG)], env=env, capture_output=True, text=True
        )
        assert check.returncode == 0, f"{HAPROXY_CFG} is not valid:\n{check.stderr}"
        log = (self.site.folder / "haproxy.log").open("ab")
        process = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(HAPROXY_CFG)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.site.processes.append(process)  # stopped with the site's processes

    def wait_ready(self) -> None:
        for name, port in self.app_ports.items():
            wait_for(lambda p=port: healthz(p) == 200, 60, message=f"{name} to answer /healthz")
        wait_for(lambda: healthz(self.balancer_port) == 200, 20, message="HAProxy to answer")

        # Both servers in service: leastconn takes turns among idle servers, so a few
        # requests through the balancer reach each of them.
        def both_answer() -> bool:
            healthz(self.balancer_port)
            served = {line.server for line in self.log() if line.path == "/healthz"}
            return served >= set(self.app_ports)

        wait_for(both_answer, 20, 0.3, "both app servers to answer through HAProxy")

    def ensure_ready(self) -> None:
        for name, port in self.app_ports.items():
            wait_for(lambda p=port: healthz(p) == 200, 20, message=f"{name} still up")
        for name, process in self.workers.items():
            assert process.poll() is None, f"{name} stopped:\n{self.site.log(name)[-2000:]}"

    def kill_app(self, name: str) -> None:
        """kill -9 the whole `concord serve` group: its gunicorn master and workers."""
        process = self.apps[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_worker(self, name: str) -> None:
        process = self.workers[name]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self) -> list[Logged]:
        lines = self.site.log("haproxy").splitlines()
        found = (LOG_LINE.search(line) for line in lines)
        return [
            Logged(
                client=m["client"],
                server=m["server"],
                status=int(m["status"]),
                retries=int(m["retries"].lstrip("+")),
                key=m["key"],
                method=m["method"],
                path=m["path"],
            )
            for m in found
            if m
        ]


def post(
    port: int,
    path: str,
    body: dict,
    *,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """POST JSON from the loopback address `source` (127.0.N.1: its own /24 network, as far
    as the per-network limits can tell); raises OSError/HTTPException on network errors."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Connection": "close", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def get_json(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        return json.loads(response.read())
    finally:
        connection.close()


@contextlib.contextmanager
def running_cluster(folder: Path, **env: str) -> Iterator[tuple[Cluster, Inbox]]:
    """Two app servers (`app1`, `app2`), two workers and HAProxy on a fresh database."""
    with throwaway_database() as database, redis_database() as redis_url, smtp_inbox() as mail:
        inbox, smtp_port = mail
        balancer_port = free_port()
        site = Site(
            folder,
            database_url=database,
            REDIS_URL=redis_url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            SITE_URL=f"http://127.0.0.1:{balancer_port}",
            # One hop: HAProxy's X-Forwarded-For names the client.
            TRUSTED_PROXIES="1",
            **env,
        )
        # Rate limits stay on, as in production: the clients come from several networks.
        site.env["DISABLE_RATE_LIMITS"] = "0"
        cluster = Cluster(site, balancer_port, {"app1": free_port(), "app2": free_port()})
        try:
            site.run("migrate", "--no-input", "--verbosity", "0", timeout=300)
            for name in cluster.app_ports:
                cluster.start_app(name)
            cluster.start_worker("worker1")
            cluster.start_worker("worker2")
            cluster.start_balancer()
            cluster.wait_ready()
            yield cluster, inbox
        finally:
            site.stop_all()


def sql(site: Site, query: str, *params) -> list[tuple]:
    """Read the site's PostgreSQL database directly, as another process would."""
    with psycopg.connect(site.env["DATABASE_URL"]) as connection:
        return connection.execute(query, params).fetchall()  # type: ignore[arg-type]
