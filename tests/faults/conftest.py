"""What the fault tests share: real `concord` processes on a throwaway database, started in
their own process group and always stopped, plus small HTTP and /proc helpers.

Nothing here touches the test database of pytest-django: each test builds its own site (a
temporary SQLite file, a private PostgreSQL cluster, or a throwaway database on the local
server) and drives it only through subprocesses, HTTP and direct SQL reads.
"""

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

# A declaration open for signature, made by a secretariat member, for the surge tests.
CREATE_OPEN_DECLARATION = """
from concord.accounts.models import User
from concord.declarations.services import lifecycle
user = User.objects.create_user(email="sec@example.org", password="not-used-42", is_staff=True, name="Sec")
declaration = lifecycle.create_declaration(user, slug="{slug}", title="Surge", text="We agree.")
lifecycle.open_declaration(user, declaration)
print("declaration", declaration.pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2, message: str = ""):
    """Poll until predicate() is truthy; return its value, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s: {message or predicate}")
        time.sleep(interval)


class Site:
    """One Concord installation in a temporary folder, driven through `python -m concord.cli`."""

    def __init__(self, folder: Path, database_url: str | None = None, **env: str):
        self.folder = folder
        self.database = folder / "concord.sqlite3"
        self.processes: list[subprocess.Popen] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "DATABASE_", "CONCORD_", "EMAIL_", "SECRET_KEY", "TASKS_", "PG")
            )
        }
        self.env.update(
            DATABASE_URL=database_url or f"sqlite:///{self.database}",
            CONCORD_VAR_DIR=str(folder / "var"),
            STATIC_ROOT=str(folder / "static"),
            MEDIA_ROOT=str(folder / "media"),
            SECRET_KEY="faults-test-not-secret",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            ACCESS_LOG=str(folder / "access.log"),
            # The surges come from 127.0.0.1, one network far over its signing budget.
            DISABLE_RATE_LIMITS="1",
            **env,
        )

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "concord.cli", *args]

    def run(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            self.command(*args),
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, f"concord {' '.join(args)} failed:\n{result.stderr}"
        return result

    def shell(self, code: str) -> str:
        return self.run("shell", "--no-imports", "-c", code).stdout

    def record_accepted(self) -> str:
        """Turn accepted submissions into signatures, as the worker does (declarations/
        intake.py); the servers in these tests run without a worker."""
        return self.shell("from concord.declarations import intake; print(intake.process())")

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """Start a long-running command in its own process group, logging to NAME.log."""
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            self.command(*args),
            env=self.env,
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        """SIGTERM each started process group, then SIGKILL what is left after 15 s."""
        for process in self.processes:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.processes:
            # The group may outlive its leader (the app server's workers): kill what remains of it.
            _signal_group(process, signal.SIGKILL)
            if process.poll() is None:
                process.wait(timeout=10)

    # Reading the SQLite database directly, as another process would.
    def sql(self, query: str, *params) -> list[tuple]:
        connection = sqlite3.connect(self.database, timeout=30)
        try:
            return connection.execute(query, params).fetchall()
        finally:
            connection.close()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is pid, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


# The app servers `concord serve --server` runs (APP_SERVER in a site's environment).
APP_SERVERS = ("granian", "gunicorn")


def server_processes(serve: subprocess.Popen) -> tuple[int | None, list[int]]:
    """(the app server's master, its worker processes) under a `concord serve` process,
    whichever server it runs: each forks its workers from a master that `serve` started."""
    for child in children_of(serve.pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if any(f"-m {server} ".encode() in cmdline for server in APP_SERVERS):
            return child, children_of(child)
    return None, []


# The name the first fault tests used, from when gunicorn was the only server.
gunicorn_processes = server_processes


def wait_for_workers(serve: subprocess.Popen, count: int, timeout: float = 30):
    """(master, workers) once the server under `serve` has `count` worker processes."""
    return wait_for(
        lambda: (lambda m, w: (m, w) if m and len(w) == count else None)(*server_processes(serve)),
        timeout,
        message=f"the app server's {count} workers",
    )


@pytest.fixture(params=APP_SERVERS)
def app_server(request) -> str:
    """Each app server in turn, for the tests that hold for both: put it in the site's
    environment as APP_SERVER."""
    return request.param


def request(
    port: int, method: str, path: str, body: dict | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request on a fresh connection; raises OSError/HTTPException on network errors."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Connection": "close"} if payload else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def healthz(port: int) -> int:
    try:
        return request(port, "GET", "/healthz", timeout=5)[0]
    except (OSError, http.client.HTTPException):
        return 0


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A freshly migrated SQLite database, made once; each site starts from a copy of it."""
    site = Site(tmp_path_factory.mktemp("faults-template"))
    site.run("migrate", "--no-input", "--verbosity", "0")
    return site.database


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy through the backup API, so the copy holds what is still in the -wal file too."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


@pytest.fixture
def sqlite_site(tmp_path, migrated_sqlite) -> Iterator[Site]:
    site = Site(tmp_path)
    copy_sqlite(migrated_sqlite, site.database)
    try:
        yield site
    finally:
        site.stop_all()


class PostgresCluster:
    """A private PostgreSQL cluster (initdb) on a free loopback port, owned by the postgres
    user (initdb and pg_ctl refuse to run as root). Stopped and deleted at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.log = folder / "postgres.log"

    def _as_postgres(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(arg) for arg in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def destroy(self) -> None:
        try:
            if self.is_running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def pg_cluster() -> Iterator[PostgresCluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)")
    # A short path: the Unix socket's path must fit in 107 bytes.
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="concord-pg-")))
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
