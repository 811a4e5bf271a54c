"""What every benchmark shares: a fresh database, the production server, wrk, the results file.

Each benchmark runs in its own process:

1. `Run(db)` creates a fresh database (a SQLite file in a temporary directory, or a PostgreSQL
   database created here and dropped at the end) and points the environment at it;
2. `run.prepare()` migrates and collects static files the way `make run` does, then sets Django
   up in *this* process too (to create the declaration, bulk-load rows, read tokens, recount);
3. `run.serve()` starts `concord serve` (gunicorn, gthread) as a child process;
4. `wrk(...)` generates load from a separate process, only against 127.0.0.1.

Every load loop is bounded twice: wrk by its duration (and our timeout on the wrk process),
Python client loops by a deadline *and* a maximum count.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
LUA = BENCH / "lua"
RESULTS = BENCH / "results"
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
            # BENCH_CODE_ROOT: serve another copy of the code (to measure "before" a change).
            "PYTHONPATH": os.environ.get("BENCH_CODE_ROOT", str(ROOT)),
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
        subprocess.run([str(VENV_BIN / "concord"), *args], env=self.env, check=True, cwd=ROOT)

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

    def serve(self, **env: str) -> None:
        """`concord serve` exactly as `make run` starts it (without the background worker,
        whose email delivery would only print to the console here)."""
        self.stop()
        server_env = {**self.env, **env}
        self.server_log = open(self.tmp / "server.log", "ab")  # noqa: SIM115
        self.server = subprocess.Popen(
            [str(VENV_BIN / "concord"), "serve", "--port", str(self.port)],
            env=server_env,
            cwd=ROOT,
            stdout=self.server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not start; see {self.tmp / 'server.log'}")
        self.result["server"] = {
            "command": "concord serve (gunicorn, gthread)",
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
        """How many requests the server answered with `status` (from gunicorn's access log),
        including those still in flight when wrk stopped reading."""
        text = (self.tmp / "server.log").read_text(errors="replace")
        return len(re.findall(rf'"{method} {re.escape(path)} HTTP/1\.1" {status} ', text))

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
        log(f"results written to {path.relative_to(ROOT)}")
        return path


def _setting(name: str):
    from django.conf import settings

    return getattr(settings, name)


# --- HTTP from Python (small, bounded) ----------------------------------------------------


def get(url: str, timeout: float = 120) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - loopback
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, time.perf_counter() - started


def post_json(url: str, payload: dict, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_many(
    port: int,
    requests: list[tuple[str, bytes, dict[str, str]]],
    threads: int,
    *,
    timeout: float = 60,
    deadline_s: float | None = None,
) -> dict:
    """POST each (path, body, headers) once from `threads` keep-alive connections, bounded by
    count and, if given, by a deadline. Returns the wall time, sorted latencies (seconds) and
    answers per status ("socket-error" when the connection failed)."""
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    deadline = time.monotonic() + deadline_s if deadline_s else None

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        while deadline is None or time.monotonic() < deadline:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            path, body, headers = requests[index]
            started = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                answer = conn.getresponse()
                answer.read()
                code = str(answer.status)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
                code = "socket-error"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[code] = statuses.get(code, 0) + 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    latencies.sort()
    return {"wall_s": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}


def percentile_ms(sorted_latencies: list[float], fraction: float) -> float | None:
    if not sorted_latencies:
        return None
    index = min(len(sorted_latencies) - 1, int(fraction * len(sorted_latencies)))
    return round(sorted_latencies[index] * 1000, 1)


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
) -> dict:
    """Run wrk for `seconds` against a loopback URL; return its summary from the Lua `done`
    callback (requests, statuses, latency percentiles in ms, throughput)."""
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
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        env={**os.environ, **(env or {})},
        check=False,
    )
    match = re.search(r"^JSON (\{.*\})$", done.stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no summary:\n{done.stdout}\n{done.stderr}")
    summary = json.loads(match.group(1))
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


# --- the machine ---------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = re.findall(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))
    return {
        "cpu": models[0] if models else platform.processor(),
        "cores": len(models) or os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
    }


def versions(db: str) -> dict:
    import django

    found = {"python": platform.python_version(), "django": django.get_version()}
    with contextlib.suppress(Exception):
        import gunicorn

        found["gunicorn"] = gunicorn.__version__
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("select sqlite_version()")
                found["database"] = "SQLite " + cursor.fetchone()[0]
            else:
                cursor.execute("show server_version")
                found["database"] = "PostgreSQL " + cursor.fetchone()[0]
    with contextlib.suppress(Exception):
        found["wrk"] = subprocess.run(
            [ensure_wrk(), "-v"], capture_output=True, text=True, check=False
        ).stdout.split("\n")[0][:40]
    return found
