"""`concord serve`: the production app server (gunicorn), optionally with a worker beside it.

It serves the whole site (concord.wsgi) and prints the demo sign-in, so it sits with the
site's assembly in web, not in core (which imports no app).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from concord.accounts.demo import DEMO_ADMIN_EMAIL, demo_password


class Command(BaseCommand):
    help = "Serve Concord with gunicorn; --with-worker also runs the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=settings.WEB_CONCURRENCY)
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS)
        parser.add_argument("--with-worker", action="store_true")

    def handle(self, *args, host, port, workers, threads, with_worker, **options):
        address = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"Concord is serving at {address}"))
        self.stdout.write(f"Demo secretariat login: {DEMO_ADMIN_EMAIL} / {demo_password()}")
        children = []
        if with_worker:
            worker = [sys.executable, "-m", "concord.cli", "worker", "--verbosity", "0"]
            # Lower priority: in a surge the requests are served first and the worker records
            # the accepted signatures in the time left (declarations/intake.py).
            children.append(subprocess.Popen(worker, preexec_fn=lambda: os.nice(10)))  # noqa: S603
        server = [
            sys.executable, "-m", "gunicorn", "concord.wsgi",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread",
            "--access-logfile", os.environ.get("ACCESS_LOG", "-"),
            "--graceful-timeout", "10",
        ]  # fmt: skip
        children.append(subprocess.Popen(server))  # noqa: S603

        def stop(signum, frame):
            for child in children:
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # When either child ends, end the other, so the pair lives and dies together.
        while all(child.poll() is None for child in children):
            try:
                children[-1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
        stop(None, None)
        for child in children:
            child.wait()
