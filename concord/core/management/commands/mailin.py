"""`concord mailin`: receive bounces (and apps' mail) over SMTP or LMTP (core/mailin.py)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from concord.core import mailin


class Command(BaseCommand):
    help = "Receive bounces and replies over SMTP (or LMTP) on one address."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.MAILIN_HOST, help="address to listen on")
        parser.add_argument("--port", type=int, default=settings.MAILIN_PORT)
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args, host: str, port: int, lmtp: bool, **options):
        server = mailin.controller(host, port, lmtp=lmtp)
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        server.start()
        kind = "LMTP" if lmtp else "SMTP"
        self.stdout.write(f"mailin: {kind} on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            server.stop()
