"""A POST sent again with the same `Idempotency-Key` header does its work once and gets the
same answer.

A phone at a forum sends a signature, a registration or a check-in it kept while offline, and
may send it again when it cannot tell whether the first attempt arrived; an API client
retries after a timeout. Each sends the same client-made key. The first request claims the
key (one row, unique per caller and key, written before the view runs), runs, and stores its
answer: status, body, content type and redirect. A later request with the same key and the
same method, path and body is answered from that row, marked `Idempotent-Replayed: true`; the
same key with another request is refused (422), since the client has mixed two things up.
Two identical requests at once: the second finds the claim and waits for the answer (up to
`WAIT`), then answers 409 "still running" if it has not come. On PostgreSQL the claimant
also holds a session lock on the key, which ends with its connection: a request sent again
because its server died mid-way takes the dead claim over at once and runs.

Keys belong to their caller: the hash of its Authorization header, else the signed-in
person, else its network (core/network.py), so nobody meets another caller's answers. Answers
that say the attempt could not be judged (401, 429, 5xx) are not kept, so a retry runs.
Rows live `REMEMBER`; `forget_old` (a periodic job, core/tasks.py) deletes them after.

The middleware handles every POST under /api/ and the page forms listed in `PAGE_ROUTES`,
after the CSRF check, so a page's form is judged as without the header. The public signing
API also dedupes by the key in its intake (declarations/intake.py), which holds the
submission a day even when this row is gone.
"""

import hashlib
import time
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.utils import timezone

from concord.core.models import IdempotentRequest
from concord.core.network import client_ip, network_of

HEADER = "Idempotency-Key"
REMEMBER = timedelta(hours=24)
# How long a request waits for the same one already running, then answers 409.
WAIT = 5.0
# A claim older than this without an answer was left by a process that died: taken over.
STALE_CLAIM = timedelta(minutes=2)
MAX_KEY = 255
# Not kept: the attempt was not judged (no valid credentials, too many tries, a failure).
NOT_KEPT = frozenset({401, 429})
# Page POSTs that accept the header (the forms an offline phone sends later), by URL name.
PAGE_ROUTES = frozenset(
    {
        "declarations:sign",
        "declarations:kiosk",
        "events:register",
        "events:checkin",
        "events:checkin_sync",
    }
)

OTHER_REQUEST = (
    "This Idempotency-Key was used for another request (another path or body): "
    "send a new key for a new request."
)
STILL_RUNNING = "A request with this Idempotency-Key is still being processed: try again shortly."
BAD_KEY = f"The Idempotency-Key must be 1 to {MAX_KEY} visible ASCII characters."


def caller_scope(request: HttpRequest) -> str:
    """Who sends: their token, else the signed-in person, else their network. (Not the
    session: a visitor's first POST may start one, and the same form sent again must meet
    its key.)"""
    authorization = request.headers.get("Authorization", "")
    user = getattr(request, "user", None)
    if authorization:
        identity = f"token:{authorization}"
    elif user is not None and user.is_authenticated:
        identity = f"user:{user.pk}"
    else:
        identity = f"network:{network_of(client_ip(request))}"
    return hashlib.sha256(identity.encode()).hexdigest()


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart form read already (the upload limit, the CSRF check): its parts.
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY and all(33 <= ord(char) <= 126 for char in key)


def _error(status: int, detail: str, code: str) -> HttpResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


def _lock_id(scope: str, key: str) -> int:
    digest = hashlib.sha256(f"{scope}\n{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _try_lock(lock: int) -> bool:
    """On PostgreSQL, take the key's session lock: held by this connection until released,
    or until the connection ends, so a server killed mid-request frees it at once. (SQLite
    serves one process: the claim's age tells a dead claim there, `STALE_CLAIM`.)"""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock])
        return bool(cursor.fetchone()[0])


def _unlock(lock: int | None) -> None:
    if lock is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])


def claim(request: HttpRequest, key: str) -> IdempotentRequest | HttpResponse:
    """The caller's claim on `key` (its row), or the answer to give at once: the stored
    one, a 422 for another request, a 409 while the first still runs after `WAIT`."""
    scope, mark = caller_scope(request), fingerprint(request)
    deadline = time.monotonic() + WAIT
    lock = _lock_id(scope, key)
    while not _try_lock(lock):  # the same key runs elsewhere now: wait for its end
        if time.monotonic() > deadline:
            return _error(409, STILL_RUNNING, "idempotency_key_running")
        time.sleep(0.05)
    try:
        outcome = _claim_row(scope, key, mark, deadline)
    except BaseException:
        _unlock(lock)
        raise
    if isinstance(outcome, HttpResponse):
        _unlock(lock)
    else:
        outcome.lock = lock  # type: ignore[attr-defined]
    return outcome


def _claim_row(scope: str, key: str, mark: str, deadline: float):
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    scope=scope, key=key, fingerprint=mark, created_at=now
                )
        except IntegrityError:
            pass
        row = IdempotentRequest.objects.filter(scope=scope, key=key).first()
        if row is None:
            continue  # forgotten meanwhile: claim it again
        if row.fingerprint != mark:
            return _error(422, OTHER_REQUEST, "idempotency_key_reused")
        if row.status is not None:
            return replay(row)
        # Unanswered: on PostgreSQL its claimant has died (we hold the key's lock); on
        # SQLite, once it is older than STALE_CLAIM.
        taken = IdempotentRequest.objects.filter(pk=row.pk, status__isnull=True)
        if connection.vendor != "postgresql":
            taken = taken.filter(created_at__lt=now - STALE_CLAIM)
        if taken.update(created_at=now):
            row.created_at = now
            return row
        if time.monotonic() > deadline:
            return _error(409, STILL_RUNNING, "idempotency_key_running")
        time.sleep(0.05)


def keep(row: IdempotentRequest, response: HttpResponse) -> None:
    """Store the answer on the claim, or give the claim up if the answer is not kept."""
    try:
        if response.streaming or response.status_code in NOT_KEPT or response.status_code >= 500:
            IdempotentRequest.objects.filter(pk=row.pk).delete()
            return
        row.status = response.status_code
        row.content_type = response.get("Content-Type", "")
        row.location = response.get("Location", "")
        row.body = response.content
        row.save(update_fields=["status", "content_type", "location", "body"])
    finally:
        _unlock(getattr(row, "lock", None))


def forget_old(now=None) -> int:
    """Delete the keys older than REMEMBER."""
    cutoff = (now or timezone.now()) - REMEMBER
    deleted, _counts = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def applies(request: HttpRequest) -> bool:
    if request.method != "POST" or HEADER not in request.headers:
        return False
    if request.path_info.startswith("/api/"):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PAGE_ROUTES


class IdempotencyMiddleware:
    """After the CSRF and session middleware: claim in `process_view`, keep the answer on
    the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        row = getattr(request, "_idempotent_claim", None)
        if row is not None:
            keep(row, response)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not applies(request):
            return None
        key = request.headers[HEADER].strip()
        if not _valid_key(key):
            return _error(422, BAD_KEY, "idempotency_key_invalid")
        try:
            outcome = claim(request, key)
        except RequestDataTooBig:
            return None  # answered 413 by the view's own read of the body
        if isinstance(outcome, HttpResponse):
            return outcome
        request._idempotent_claim = outcome  # type: ignore[attr-defined]
        return None
