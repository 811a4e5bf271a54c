"""`concord serve`: the production app server, optionally with a worker beside it.

Two servers can run the site (concord.wsgi) with the same settings: gunicorn (threaded
workers) and granian (a Rust HTTP server; WSGI workers with a pool of Python threads each).
`--server`, or APP_SERVER, picks one, so a benchmark can run both on the same code. Under
either server:

- WEB_CONCURRENCY processes of WEB_THREADS threads each answer requests; a process that dies
  is replaced, and SIGHUP (sent to `concord serve`, which passes it on) replaces every process
  gracefully: requests in flight finish, new ones are answered by the new processes.
- one access log line per request, to ACCESS_LOG (a path, or "-" for standard output), with
  the request line and the status: `"GET /healthz HTTP/1.1" 200`.
- the server trusts no proxy headers of its own: whether a request came over HTTPS and which
  address sent it is the app's decision (BEHIND_PROXY, TRUSTED_PROXIES: core/network.py).
- request bodies are capped by the app (DATA_UPLOAD_MAX_MEMORY_SIZE, MAX_UPLOAD_BYTES:
  core/uploads.py), neither server has a body limit of its own.

It serves the whole site and prints the demo sign-in, so it sits with the site's assembly in
web, not in core (which imports no app).
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from concord.accounts.demo import DEMO_ADMIN_EMAIL, demo_password

SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"
# Seconds a process told to stop (SIGTERM, or replaced on SIGHUP) has to finish its requests.
GRACEFUL_SECONDS = 10
# gunicorn's common log format, so both servers' lines read alike (and the bench counts
# either): address, time, request line, status, then the milliseconds it took.
GRANIAN_ACCESS_FORMAT = (
    '%(addr)s - - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1f'
)
# On Linux granian gives each process a listening socket of its own (SO_REUSEPORT). When one
# closes (its process replaced on SIGHUP, or dead), the connections waiting in its queue are
# reset unless the kernel moves them to a sibling socket: this setting (Linux 5.14 and later).
MIGRATE_QUEUED = Path("/proc/sys/net/ipv4/tcp_migrate_req")
MIGRATE_WARNING = (
    "net.ipv4.tcp_migrate_req is 0: when granian replaces a process (SIGHUP, or one that "
    "died), the connections waiting for it are reset. Set it to 1 (sysctl -w "
    "net.ipv4.tcp_migrate_req=1, and in /etc/sysctl.d/, see deploy/sysctl.conf) or run "
    "APP_SERVER=gunicorn."
)


def queued_connections_move() -> bool | None:
    """Whether the kernel hands the connections queued on a closing listening socket to
    another one on the same port; None where it has no such setting (granian then shares one
    socket between its processes)."""
    try:
        return MIGRATE_QUEUED.read_text().strip() != "0"
    except OSError:
        return None


def gunicorn_command(host: str, port: int, workers: int, threads: int, access_log: str):
    return [
        sys.executable, "-m", "gunicorn", "concord.wsgi",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--access-logfile", access_log,
        "--graceful-timeout", str(GRACEFUL_SECONDS),
        # By default gunicorn believes X-Forwarded-Proto from 127.0.0.1 and sets the scheme
        # itself; granian never does. Trusting no address leaves the decision to Django's
        # SECURE_PROXY_SSL_HEADER (BEHIND_PROXY), the same under both servers.
        "--forwarded-allow-ips", "",
    ]  # fmt: skip


def granian_log_config(access_log: str) -> dict:
    """granian's logging (its own lines on standard output, the access log to ACCESS_LOG);
    granian replaces its default handlers and loggers with these whole."""
    if access_log == "-":
        access = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
    else:
        access = {"class": "logging.FileHandler", "filename": access_log}
    return {
        "formatters": {
            "generic": {"()": "logging.Formatter", "fmt": "[%(levelname)s] %(message)s"},
            "access": {"()": "logging.Formatter", "fmt": "%(message)s"},
        },
        "handlers": {
            "console": {
                "formatter": "generic",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
            },
            "access": {"formatter": "access", **access},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def granian_command(host: str, port: int, workers: int, threads: int, log_config: Path):
    return [
        sys.executable, "-m", "granian", "concord.wsgi:application",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        # The Python threads that run the app in each process: gunicorn's --threads.
        "--blocking-threads", str(threads),
        # Behind a proxy, as gunicorn: HTTP/1.1 only.
        "--http", "1",
        "--no-ws",
        "--respawn-failed-workers",
        # A process replaced on SIGHUP stops once its successor has had this long to start.
        "--respawn-interval", "10",
        "--workers-kill-timeout", str(GRACEFUL_SECONDS),
        "--log-config", str(log_config),
        "--access-log",
        "--access-log-fmt", GRANIAN_ACCESS_FORMAT,
    ]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Serve Concord with granian or gunicorn (--server, APP_SERVER); --with-worker also "
        "runs the background worker. SIGHUP replaces the server's processes gracefully."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=settings.WEB_CONCURRENCY)
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS)
        parser.add_argument(
            "--server", choices=SERVERS, default=os.environ.get("APP_SERVER") or DEFAULT_SERVER
        )
        parser.add_argument("--with-worker", action="store_true")

    def handle(self, *args, host, port, workers, threads, server, with_worker, **options):
        address = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"Concord is serving at {address} ({server})"))
        self.stdout.write(f"Demo secretariat login: {DEMO_ADMIN_EMAIL} / {demo_password()}")
        self.stdout.flush()
        access_log = os.environ.get("ACCESS_LOG") or "-"
        with tempfile.TemporaryDirectory(prefix="concord-serve-") as folder:
            if server == "granian":
                if queued_connections_move() is False:
                    self.stderr.write(MIGRATE_WARNING)
                log_config = Path(folder) / "logging.json"
                log_config.write_text(json.dumps(granian_log_config(access_log)))
                command = granian_command(host, port, workers, threads, log_config)
            else:
                command = gunicorn_command(host, port, workers, threads, access_log)
            self.run_children(command, with_worker)

    def run_children(self, server: list[str], with_worker: bool) -> None:
        children = []
        if with_worker:
            worker = [sys.executable, "-m", "concord.cli", "worker", "--verbosity", "0"]
            # Lower priority: in a surge the requests are served first and the worker records
            # the accepted signatures in the time left (declarations/intake.py).
            children.append(subprocess.Popen(worker, preexec_fn=lambda: os.nice(10)))  # noqa: S603
        children.append(subprocess.Popen(server))  # noqa: S603

        def stop(signum, frame):
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)

        def reload(signum, frame):
            # Both servers replace their processes gracefully on SIGHUP; the worker is left
            # running, as its tasks are not tied to the server's processes.
            with contextlib.suppress(ProcessLookupError):
                children[-1].send_signal(signal.SIGHUP)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, reload)
        # When either child ends, end the other, so the pair lives and dies together.
        while all(child.poll() is None for child in children):
            try:
                children[-1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
        stop(None, None)
        for child in children:
            child.wait()
