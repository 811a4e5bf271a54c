"""Answers built once and sent many times: a body kept plain and gzip-compressed together,
so a crowd asking for the same bytes costs a cache read, not a render and a compression each.

GZipMiddleware leaves a response alone once it has a Content-Encoding, so a compressed body
from here is never compressed twice; a plain one is sent only to clients that do not accept
gzip (the middleware then has nothing to do either).
"""

import dataclasses
import gzip
import hashlib
import re
import time
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

# The test GZipMiddleware uses, so both agree on who gets gzip.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class Body:
    plain: bytes
    gzipped: bytes
    tag: str  # the content's fingerprint; each encoding gets its own ETag from it
    # Until when (time.time()) anyone without a cookie may be sent these bytes: 0 for never.
    shared_until: float = 0.0

    def shared_for(self, seconds: float) -> "Body":
        """This body, to be sent to visitors without a cookie for `seconds` more."""
        return dataclasses.replace(self, shared_until=time.time() + seconds)

    @classmethod
    def of(cls, content: bytes) -> "Body":
        # mtime=0: the same content always compresses to the same bytes (and ETag)
        return cls(
            plain=content,
            gzipped=gzip.compress(content, compresslevel=6, mtime=0),
            tag=hashlib.sha256(content).hexdigest()[:20],
        )


def answer(
    request: HttpRequest,
    body: Body,
    content_type: str,
    *,
    vary: tuple[str, ...] = ("Accept-Encoding",),
    cache_control: str = "",
) -> HttpResponse:
    """The response for `body` in the encoding the client accepts, or 304 when the client's
    copy (If-None-Match) is still this one."""
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    etag = f'"{body.tag}-gz"' if gzipped else f'"{body.tag}"'
    wanted = request.headers.get("If-None-Match", "")
    if wanted and (wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body.gzipped if gzipped else body.plain, content_type=content_type)
        response["Content-Length"] = str(len(response.content))
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    if cache_control:
        response["Cache-Control"] = cache_control
    patch_vary_headers(response, vary)
    left = body.shared_until - time.time()
    if left > 0 and response.status_code == 200:
        response[SHARED_FOR] = f"{left:.3f}"
    return response


# Set on an answer that may go to every visitor without a cookie for that many seconds more;
# core/shared_answers.py keeps such answers in front of Django and never sends the header on.
SHARED_FOR = "X-Concord-Shared-For"
