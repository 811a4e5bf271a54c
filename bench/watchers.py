"""Watchers: the public declaration page and its statistics under load while signing goes on.

While the run lasts:
- a second wrk signs through the API (`lua/sign.lua`, 8 connections each pausing
  SIGN_DELAY_MS between requests: at most 100 pending signatures a second, three times the
  2,000 a minute that brought down a national petitions site);
- a *confirmer* thread in this process signs and confirms continuously through the services
  (`signing.sign` then `signing.confirm_signature`, about 40 a second), recording the moment
  each confirmation committed and the true confirmed count after it;
- a *poller* thread asks `/stats` every 0.2 s and the page every 0.5 s and records the count
  shown and when the answer arrived.
Meanwhile wrk loads the page (`/declarations/<slug>/`), then `/stats`, 20 s each
(`--quick`: 10 s). Staleness of one answer = how long before it arrived the true count had already moved
past the count shown (0 if the count shown was still the true one). We report max and p95.

    python bench/watchers.py [--db sqlite|postgres] [--quick]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

CONFIRM_RATE = 40  # confirmations per second from the confirmer thread
SIGN_DELAY_MS = 80  # 8 signing connections x 1 / 80 ms: at most 100 signatures a second
SHOWN = re.compile(rb"<strong>(\d[^<]{0,20})</strong>")  # "<strong>1,234</strong> signatures"


class Confirmer(threading.Thread):
    """Signs and confirms through the services; bounded by a stop flag and a maximum count."""

    def __init__(self, declaration, limit: int):
        super().__init__(daemon=True)
        self.declaration, self.limit = declaration, limit
        self.stop_flag = threading.Event()
        self.times: list[float] = []  # monotonic time at which count i+1 was committed
        self.errors = 0

    def run(self) -> None:
        from django.db import connection

        from concord.declarations.models import Signature
        from concord.declarations.services import signing

        try:
            for index in range(self.limit):
                if self.stop_flag.is_set():
                    break
                started = time.monotonic()
                try:
                    signature = signing.sign(
                        self.declaration,
                        signing.SignatureInput(
                            name=f"Confirmed {index}",
                            email=f"c{os.getpid()}.{index}@watchers.example.org",
                            country=("SN", "BD", "FJ", "KE")[index % 4],
                        ),
                        signing.Context(ip="203.0.113.9"),
                    )
                    token = f"watch-{index}"
                    Signature.objects.filter(pk=signature.pk).update(
                        token_hash=signing.hash_token(token)
                    )
                    signing.confirm_signature(self.declaration, token)
                    self.times.append(time.monotonic())
                except Exception:
                    self.errors += 1
                pause = 1 / CONFIRM_RATE - (time.monotonic() - started)
                if pause > 0:
                    time.sleep(pause)
        finally:
            connection.close()

    def staleness(self, shown: int, seen_at: float) -> float:
        """Seconds since the true count first exceeded `shown` (0 if it had not)."""
        if shown < len(self.times) and self.times[shown] < seen_at:
            return seen_at - self.times[shown]
        return 0.0


class Poller(threading.Thread):
    def __init__(self, url: str, every: float, parse, limit: int):
        super().__init__(daemon=True)
        self.url, self.every, self.parse, self.limit = url, every, parse, limit
        self.stop_flag = threading.Event()
        self.seen: list[tuple[float, int]] = []

    def run(self) -> None:
        for _ in range(self.limit):
            if self.stop_flag.wait(self.every):
                break
            status, body, _ = harness.get(self.url, timeout=30)
            if status == 200:
                value = self.parse(body)
                if value is not None:
                    self.seen.append((time.monotonic(), value))


def page_count(body: bytes) -> int | None:
    match = SHOWN.search(body)
    return int(re.sub(rb"\D", b"", match.group(1))) if match else None


def summarise(confirmer: Confirmer, seen: list[tuple[float, int]], since: float) -> dict:
    ages = sorted(confirmer.staleness(shown, at) for at, shown in seen if at >= since)
    if not ages:
        return {"samples": 0}
    return {
        "samples": len(ages),
        "max_s": round(ages[-1], 3),
        "p95_s": round(ages[min(len(ages) - 1, int(0.95 * len(ages)))], 3),
        "median_s": round(ages[len(ages) // 2], 3),
    }


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    seconds = 10 if args.quick else 20
    with harness.Run(args.db, "watchers", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        run.serve()
        result = run.result
        result["ceiling"] = harness.ceiling(run, seconds=5 if args.quick else 10)
        slug = declaration.slug
        page, stats = f"/declarations/{slug}/", f"/api/v1/declarations/{slug}/stats"
        sign_path = f"/api/v1/declarations/{slug}/signatures"
        # Each loop below is bounded by time (wrk's duration, stop flags) and by count.
        window = 2 * seconds + 8
        signer = subprocess.Popen(
            [
                harness.ensure_wrk(),
                "-t1",
                "-c8",
                f"-d{window}s",
                "-s",
                str(harness.LUA / "sign.lua"),
                run.base + sign_path,
            ],
            env={
                **os.environ,
                "RUN_ID": f"w{os.getpid()}",
                "SIGN_PATH": sign_path,
                "SIGN_DELAY_MS": str(SIGN_DELAY_MS),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        confirmer = Confirmer(declaration, limit=CONFIRM_RATE * (window + 10))
        pollers = {
            "stats": Poller(
                run.base + stats, 0.2, lambda b: json.loads(b)["signatures"], limit=10 * window
            ),
            "page": Poller(run.base + page, 0.5, page_count, limit=4 * window),
        }
        confirmer.start()
        for poller in pollers.values():
            poller.start()
        time.sleep(3)  # let the counter start moving
        measured_from = time.monotonic()
        result["page"] = harness.wrk(run.base + page, seconds=seconds, label="GET page")
        result["stats"] = harness.wrk(run.base + stats, seconds=seconds, label="GET stats")
        for poller in pollers.values():
            poller.stop_flag.set()
            poller.join(timeout=35)
        confirmer.stop_flag.set()
        confirmer.join(timeout=30)
        try:
            out, _ = signer.communicate(timeout=window + 30)
        except subprocess.TimeoutExpired:
            signer.kill()
            out, _ = signer.communicate()
        match = re.search(r"^JSON (\{.*\})$", out, re.M)
        if match:
            sign = json.loads(match.group(1))
            sign["rps"] = sign["requests"] / (sign["duration_us"] / 1e6)
            result["parallel_signing"] = sign
        result["confirmer"] = {
            "method": "signing.sign + signing.confirm_signature in the bench process",
            "confirmed": len(confirmer.times),
            "errors": confirmer.errors,
            "rate_target_per_s": CONFIRM_RATE,
        }
        result["staleness"] = {
            name: summarise(confirmer, poller.seen, measured_from)
            for name, poller in pollers.items()
        }
        harness.log(f"staleness: {result['staleness']}")
        result["share_of_ceiling"] = {
            "page": harness.share(result["page"]["rps"], result["ceiling"]["rps"]),
            "stats": harness.share(result["stats"]["rps"], result["ceiling"]["rps"]),
        }
        result["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
        run.save()


if __name__ == "__main__":
    main()
