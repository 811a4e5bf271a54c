"""A local SMTP server (aiosmtpd) that accepts every message and counts it, in its own process
so it never shares an interpreter with the sender.

    with smtp_sink.running() as sink:   # sink.port, then sink.summary() after the block
        ...

Run alone: `python bench/smtp_sink.py PORT`; on SIGTERM it prints `JSON {"received": n,
"first_s": t0, "last_s": t1}` (monotonic times of the first and last message).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"


def send_mail_to(port: int, bounce_domain: str) -> None:
    """Point the in-process Concord at the sink on `port`, with return paths and no limits, and
    run tasks only when the benchmark calls them (set before Django starts)."""
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["BOUNCE_DOMAIN"] = bounce_domain
    os.environ["DISABLE_RATE_LIMITS"] = "1"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"


class Counter:
    def __init__(self) -> None:
        self.received = 0
        self.first: float | None = None
        self.last: float | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it so
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.received += 1
        return "250 OK"


def serve(port: int) -> None:
    from aiosmtpd.controller import Controller

    counter = Counter()
    controller = Controller(counter, hostname=HOST, port=port)
    controller.start()
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait(3600)  # bounded: a forgotten sink ends within the hour
    controller.stop()
    summary = {"received": counter.received, "first_s": counter.first, "last_s": counter.last}
    print("JSON " + json.dumps(summary), flush=True)


class Sink:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port, self.process = port, process
        self.url = f"smtp://{HOST}:{port}"
        self._summary: dict | None = None

    def summary(self) -> dict:
        if self._summary is None:
            self.process.terminate()
            out, _ = self.process.communicate(timeout=30)
            match = re.search(r"^JSON (\{.*\})$", out, re.M)
            self._summary = json.loads(match.group(1)) if match else {"received": None}
            first, last = self._summary.get("first_s"), self._summary.get("last_s")
            received = self._summary.get("received") or 0
            span = (last - first) if first and last else 0
            self._summary["per_second"] = (received - 1) / span if span else None
        return self._summary


@contextlib.contextmanager
def running(port: int):
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    sink = Sink(port, process)
    try:
        said = []
        for _ in range(50):  # aiosmtpd may warn before it is ready
            said.append(process.stdout.readline() if process.stdout else "")
            if "READY" in said[-1] or not said[-1]:
                break
        if "READY" not in said[-1]:
            raise RuntimeError("the SMTP sink did not start: " + "".join(said))
        yield sink
        sink.summary()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
