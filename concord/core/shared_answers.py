"""Answers everyone gets alike, kept by each process in front of Django.

A crowd watching a declaration during a surge asks for the same bytes thousands of times a
second: the page and its statistics, which the views already build once per period
(`core/precompressed.py`). Even served from the cache, each request still ran every
middleware, the URL resolver and the view (about half of what the machine can answer at all,
bench/RESULTS.md). So an answer a view marks as the same for every visitor without a cookie
(`precompressed.SHARED_FOR`, with how long it stays true) is kept here, per process, and sent
to the next such visitor before Django runs.

Only plain GETs qualify: no Cookie (a session or a message makes a personal page), no
Authorization, no If-None-Match (Django answers 304s), a 200 without Set-Cookie. The key
holds the host, the scheme the proxy reports, the path, the query string and the values of
every header the answer varies on, so nothing is sent that Django would not have sent; the
headers Django set (security headers included) are kept with the body.
"""

import threading
import time
from collections.abc import Callable, Iterable

from concord.core.precompressed import SHARED_FOR

MARKER = SHARED_FOR.lower()
MAX_ANSWERS = 512

Headers = list[tuple[str, str]]


class _Kept:
    __slots__ = ("body", "headers", "status", "until")

    def __init__(self, status: str, headers: Headers, body: bytes, until: float) -> None:
        self.status, self.headers, self.body, self.until = status, headers, body, until


# base key -> the header names the answer varies on; (base, values) -> the answer
_varies: dict[tuple, tuple[str, ...]] = {}
_kept: dict[tuple, _Kept] = {}
_lock = threading.Lock()


def _base(environ: dict) -> tuple | None:
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    for name in ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH"):
        if environ.get(name):
            return None
    return (
        environ.get("HTTP_HOST", ""),
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_X_FORWARDED_PROTO", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def _meta_name(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _key(base: tuple, names: tuple[str, ...], environ: dict) -> tuple:
    return (base, tuple(environ.get(_meta_name(name), "") for name in names))


def serve(environ: dict, start_response: Callable, application: Callable) -> Iterable[bytes]:
    """Answer from what is kept, or run `application` and keep its answer if it says so."""
    base = _base(environ)
    now = time.time()
    if base is not None:
        names = _varies.get(base)
        if names is not None:
            kept = _kept.get(_key(base, names, environ))
            if kept is not None and kept.until > now:
                start_response(kept.status, kept.headers)
                return [kept.body]
    caught: dict = {}

    def catch(status: str, headers: Headers, exc_info=None):
        shared = [value for name, value in headers if name.lower() == MARKER]
        headers = [(name, value) for name, value in headers if name.lower() != MARKER]
        caught.update(status=status, headers=headers, shared=shared)
        if exc_info is None:
            return start_response(status, headers)
        return start_response(status, headers, exc_info)

    answer = application(environ, catch)
    shared = caught.get("shared")
    if base is None or not shared or not caught["status"].startswith("200 "):
        return answer
    headers = caught["headers"]
    if any(name.lower() == "set-cookie" for name, _value in headers):
        return answer
    try:
        body = b"".join(answer)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()
    names = tuple(
        sorted(
            {
                part.strip().lower()
                for name, value in headers
                if name.lower() == "vary"
                for part in value.split(",")
                if part.strip()
            }
        )
    )
    if "*" not in names:
        with _lock:
            if len(_kept) >= MAX_ANSWERS:  # many paths: start again rather than grow
                _kept.clear()
                _varies.clear()
            _varies[base] = names
            _kept[_key(base, names, environ)] = _Kept(
                caught["status"], headers, body, now + float(shared[0])
            )
    return [body]


def forget() -> None:
    with _lock:
        _kept.clear()
        _varies.clear()
