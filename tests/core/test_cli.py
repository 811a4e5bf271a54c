"""The `concord` console script, run for real: migrate, collectstatic, serve and demo against
a fresh SQLite database in a temporary directory."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "concord.sqlite3"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CONCORD_", "EMAIL_", "SECRET_KEY"))
        }
        self.env.update(
            DATABASE_URL=f"sqlite:///{self.database}",
            CONCORD_VAR_DIR=str(folder / "var"),
            STATIC_ROOT=str(folder / "static"),
            SECRET_KEY="cli-test-not-secret",
            PYTHONPATH=str(ROOT),
        )

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "concord.cli", *args]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            self.command(*args),
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=300,  # generous: a busy CI machine is slow, not broken
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def count(self, table: str) -> int:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated database with collected static files, shared by the tests below."""
    site = Site(tmp_path_factory.mktemp("concord-cli"))
    site.run("migrate", "--no-input", "--verbosity", "0")
    site.run("collectstatic", "--no-input", "--verbosity", "0")
    return site


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "concord serve exited before answering"
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer 200 within {timeout} s")


def port_is_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_serve_answers_health_checks_and_the_api_then_stops_on_sigterm(site):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (site.folder / "serve.log").open("w")
    server = subprocess.Popen(
        site.command("serve", "--port", str(port), "--workers", "1", "--threads", "2"),
        env={**site.env, "PORT": str(port)},
        cwd=site.folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(f"{base}/healthz", server)
        assert fetch(f"{base}/healthz") == (200, b"ok\n")

        status, body = fetch(f"{base}/api/v1/countries?un_member=true")
        assert status == 200
        page = json.loads(body)
        assert page["count"] == 193
        assert all(country["un_member"] for country in page["results"])

        # Static files are served from the collected, hashed copies.
        status, html = fetch(f"{base}/")
        assert status == 200
        stylesheet = html.decode().split('rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/web/concord.")
        assert fetch(f"{base}{stylesheet}")[0] == 200

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
        assert port_is_closed(port)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    assert f"Concord is serving at {base}" in (site.folder / "serve.log").read_text()


def test_demo_loads_the_requested_size_once(site):
    assert site.count("organisations_organisation") == 0

    loaded = site.run("demo", "--size", "20")

    assert "Demo loaded: 20 organisations" in loaded.stdout
    assert site.count("organisations_organisation") == 20
    users = site.count("accounts_user")
    assert users > 1
    before = {
        table: site.count(table)
        for table in ["organisations_organisation", "accounts_user", "core_auditevent"]
    }

    again = site.run("demo", "--if-empty")
    assert "already holds data; the demo was not loaded" in again.stdout
    refused = site.run("demo", "--size", "5", check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr

    assert {table: site.count(table) for table in before} == before
