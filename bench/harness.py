"""What every benchmark shares: a fresh database, the production server, wrk, the results file.

Each benchmark runs in its own process:

1. `Run(db)` creates a fresh database (a SQLite file in a temporary directory, or a PostgreSQL
   database created here and dropped at the end) and points the environment at it;
2. `run.prepare()` migrates and collects static files the way `make run` does, then sets Django
   up in *this* process too (to create the declaration, bulk-load rows, read tokens, recount);
3. `run.serve()` starts `concord serve` (its default app server, or `--server` from the
   argument or APP_SERVER) as a child process, in a session of its own whose processes
   `run.sample_memory()` watches;
4. `wrk(...)` generates load from a separate process, only against 127.0.0.1;
5. `run.job(...)` runs a piece of the worker's work in a process of its own (`worker_job.py`).

Every process, the bench's own included, imports `concord` from CODE_ROOT: the checkout the
bench runs from, or BENCH_CODE_ROOT.

Every load loop is bounded twice: wrk by its duration (and our timeout on the wrk process),
Python client loops by a deadline *and* a maximum count.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from client import get, percentile_ms, post_json, post_many  # noqa: F401 - shared by scripts
from machine import machine, versions

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# The code served and imported here is the checkout's the bench runs from (BENCH_CODE_ROOT:
# another copy, to measure "before" a change), never whichever copy the venv has installed.
CODE_ROOT = Path(os.environ.get("BENCH_CODE_ROOT") or ROOT).resolve()
sys.path.insert(0, str(CODE_ROOT))
LUA = BENCH / "lua"
RESULTS = Path(os.environ.get("BENCH_RESULTS") or BENCH / "results")
# How an access-log line names a request and its answer. gunicorn's default format and
# granian's (`"POST /path HTTP/1.1" 202 ...`) both match; BENCH_ACCESS_LOG_RE may give
# another, with the named groups method, path (without the query) and status.
ACCESS_LOG_RE = re.compile(
    os.environ.get("BENCH_ACCESS_LOG_RE")
    or r'"(?P<method>[A-Z]+) (?P<path>[^ "?]+)(?:\?[^ "]*)? HTTP/[0-9.]+" (?P<status>\d{3})\b'
)
HOST = "127.0.0.1"  # load goes to loopback only
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Defaults for the wrk runs: two load threads (the machine has two cores, shared with the
# server) and enough connections to keep every gunicorn thread busy.
WRK_THREADS = 2


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    log("wrk is missing: installing Debian's package (apt-get install -y wrk)")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed: `apt-get install -y wrk` (Debian), then run again.")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def parse_args(description: str):
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="shorter runs, smaller sizes")
    return parser.parse_args()


class Run:
    """One benchmark run: a temporary directory, a fresh database, a server."""

    def __init__(self, db: str, name: str, quick: bool = False, **env: str):
        self.db, self.name, self.quick = db, name, quick
        self.tmp = Path(tempfile.mkdtemp(prefix=f"concord-bench-{name}-"))
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.pg_name = f"concord_bench_{name.replace('-', '_')}_{os.getpid()}"
        if db == "sqlite":
            url = f"sqlite:///{self.tmp / 'concord.sqlite3'}"
        else:
            url = f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "CONCORD_VAR_DIR": str(self.tmp),
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "SECRET_KEY": "bench-" + "x" * 50,
            "PORT": str(self.port),
            "SITE_URL": self.base,
            "DJANGO_SETTINGS_MODULE": "concord.settings",
            # Every simulated signer comes from 127.0.0.1: one network, far over its budget.
            "DISABLE_RATE_LIMITS": "1",
            "PYTHONPATH": str(CODE_ROOT),
            **env,
        }
        self.server: subprocess.Popen | None = None
        self.result: dict = {
            "benchmark": name,
            "db": db,
            "quick": quick,
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        }

    # --- database and Django ---------------------------------------------------------

    def __enter__(self) -> Run:
        if self.db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        if self.db == "postgres":
            import psycopg
            from django.db import connections

            with contextlib.suppress(Exception):
                connections.close_all()
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)

    def concord(self, *args: str) -> None:
        # `python -m concord.cli` with PYTHONPATH=CODE_ROOT: the venv's `concord` script would
        # import the copy of the package the venv was installed from.
        subprocess.run(
            [sys.executable, "-m", "concord.cli", *args], env=self.env, check=True, cwd=CODE_ROOT
        )

    def job(self, name: str, *args: str, timeout: float = 3600, **env: str) -> dict:
        """Run a piece of the worker's work in its own process (`worker_job.py`)."""
        done = subprocess.run(
            [sys.executable, str(BENCH / "worker_job.py"), name, *args],
            env={**self.env, **env},
            cwd=CODE_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        match = re.search(r"^JSON (\{.*\})$", done.stdout, re.M)
        if not match:
            raise RuntimeError(f"job {name} gave no summary:\n{done.stdout}\n{done.stderr}")
        return json.loads(match.group(1))

    def prepare(self) -> None:
        """Migrate and collect static files as `make run` does, then set Django up here."""
        log(f"{self.name} [{self.db}]: migrating a fresh database")
        self.concord("migrate", "--no-input", "--verbosity", "0")
        self.concord("collectstatic", "--no-input", "--verbosity", "0")
        os.environ.update(self.env)
        import django

        django.setup()

    def open_declaration(self, slug: str = "surge"):
        """An open declaration (English original, French translation), anyone may sign."""
        from concord.accounts.models import User
        from concord.declarations.services import lifecycle

        staff = User.objects.create_user(
            "secretariat@bench.example", "bench-password-1", is_staff=True, name="Secretariat"
        )
        draft = lifecycle.create_declaration(
            staff,
            slug=slug,
            title="The Benchmark Call for Climate Justice",
            text="We, the undersigned organisations, call for fair climate finance. " * 20,
            language="en",
            goal_signatures=1_000_000,
        )
        lifecycle.set_text(
            staff,
            draft,
            language="fr",
            title="L'Appel du banc d'essai",
            text="Nous, organisations soussignées, appelons à un financement juste. " * 20,
        )
        return lifecycle.open_declaration(staff, draft)

    # --- the server ------------------------------------------------------------------

    def serve(self, server: str | None = None, **env: str) -> None:
        """`concord serve` exactly as `make run` starts it (without the background worker,
        whose work the benchmarks time apart). `server` (else APP_SERVER from the
        environment) is passed as `--server` only when given, so the default stays
        `concord serve`'s own."""
        self.stop()
        # Answers are counted from the access log, which must go to server.log.
        server_env = {**self.env, **env, "ACCESS_LOG": "-"}
        app_server = server or os.environ.get("APP_SERVER") or None
        command = [sys.executable, "-m", "concord.cli", "serve", "--port", str(self.port)]
        if app_server:
            command += ["--server", app_server]
        self.server_log = open(self.tmp / "server.log", "ab")  # noqa: SIM115
        self.server = subprocess.Popen(
            command,
            env=server_env,
            cwd=CODE_ROOT,
            stdout=self.server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.server.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not start:\n{self.server_log_tail()}")
        self.result["server"] = {
            "command": " ".join(["concord", *command[3:4], *command[6:]]),
            "app_server": app_server or "default (granian, WSGI)",
            "workers": int(server_env.get("WEB_CONCURRENCY") or _setting("WEB_CONCURRENCY")),
            "threads": int(server_env.get("WEB_THREADS") or _setting("WEB_THREADS")),
            "stats_cache_seconds": float(
                server_env.get("STATS_CACHE_SECONDS") or _setting("STATS_CACHE_SECONDS")
            ),
            "cache": "redis" if server_env.get("REDIS_URL") else "locmem (per process)",
        }
        # Warm every worker's imports, templates and connections before measuring.
        for _ in range(20):
            get(self.base + "/healthz")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            # The server was started in its own session: signal that group, i.e. only the
            # processes this run started (concord serve and its gunicorn children).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)
        self.server = None

    def access_count(self, method: str, path: str, status: int) -> int:
        """How many requests the server answered with `status` (from its access log, see
        ACCESS_LOG_RE), including those still in flight when wrk stopped reading."""
        wanted = (method, path, str(status))
        count = 0
        with open(self.tmp / "server.log", errors="replace") as lines:
            for line in lines:
                found = ACCESS_LOG_RE.search(line)
                if found and found.group("method", "path", "status") == wanted:
                    count += 1
        return count

    def sample_memory(self):
        """Start polling the resident memory of every server process; `.finish()` reports."""
        import memory

        assert self.server is not None
        sampler = memory.Sampler(self.server.pid)
        sampler.start()
        return sampler

    def drain(self, count, limit_s: float = 60) -> int:
        """Wait until `count()` stops changing (requests wrk left in flight have finished)."""
        deadline, last = time.monotonic() + limit_s, -1
        while time.monotonic() < deadline:
            now = count()
            if now == last:
                return now
            last = now
            time.sleep(1.5)
        return last

    def server_log_tail(self, lines: int = 30) -> str:
        path = self.tmp / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # --- results -----------------------------------------------------------------------

    def save(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        self.result["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        self.result["machine"] = machine()
        self.result["versions"] = versions(self.db)
        path = RESULTS / f"{self.name}-{self.db}.json"
        path.write_text(json.dumps(self.result, indent=2, default=str))
        log(f"results written to {path}")
        return path


def _setting(name: str):
    from django.conf import settings

    return getattr(settings, name)


# --- wrk -----------------------------------------------------------------------------------


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int = 32,
    threads: int = WRK_THREADS,
    script: str = "count.lua",
    env: dict | None = None,
    label: str = "",
    finished=None,
) -> dict:
    """Run wrk for `seconds` against a loopback URL; return its summary from the Lua `done`
    callback (requests, statuses, latency percentiles in ms, throughput). `finished()`, if
    given, is asked every 0.2 s: once true, wrk is stopped (SIGINT: it still reports)."""
    assert url.startswith(f"http://{HOST}:"), "load may target loopback only"
    binary = ensure_wrk()
    command = [
        binary,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA / script),
        url,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + seconds + 60
    while finished is not None and process.poll() is None and time.monotonic() < deadline:
        if finished():
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.2)
    try:
        stdout, stderr = process.communicate(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    match = re.search(r"^JSON (\{.*\})$", stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no summary:\n{stdout}\n{stderr}")
    summary = json.loads(match.group(1))
    span = re.search(r"^SPAN_US (\d+)$", stdout, re.M)
    if span:  # first request to last counted answer, from scripts that stop early
        summary["span_s"] = int(span.group(1)) / 1e6
    summary["duration_s"] = summary.pop("duration_us") / 1e6
    summary["rps"] = summary["requests"] / summary["duration_s"] if summary["duration_s"] else 0
    codes = summary.get("statuses") or {}
    summary["non_2xx"] = sum(n for code, n in codes.items() if not code.startswith("2"))
    summary["errors"] = summary["non_2xx"] + sum(summary["socket_errors"].values())
    summary["connections"], summary["threads"] = connections, threads
    summary["url"] = url
    summary["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    if label:
        summary["label"] = label
    log(
        f"wrk {label or url}: {summary['rps']:.0f} req/s, p50 {summary['p50_ms']:.1f} ms, "
        f"p99 {summary['p99_ms']:.1f} ms, statuses {codes}, socket errors "
        f"{summary['socket_errors']}"
    )
    return summary


def ceiling(run: Run, seconds: float, connections: int = 32) -> dict:
    """The same server answering the minimal view (`/healthz`: one `SELECT 1`)."""
    return wrk(run.base + "/healthz", seconds=seconds, connections=connections, label="/healthz")


def share(value: float, ceiling_rps: float) -> float | None:
    return round(value / ceiling_rps, 3) if ceiling_rps else None
