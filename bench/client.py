"""HTTP from Python, small and bounded: single requests and a keep-alive POST client."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"  # loopback only


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
