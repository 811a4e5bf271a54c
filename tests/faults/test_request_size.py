"""Against the real app server: a body over the app's limits is answered (413 for a file part
over MAX_UPLOAD_BYTES, 400 for a form or JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE), not
dropped with the connection, and the server's processes go on serving."""

import http.client
import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.faults.conftest import (
    free_port,
    healthz,
    server_processes,
    wait_for,
    wait_for_workers,
)

pytestmark = pytest.mark.faults

LIMIT = 100_000
# What `make test` collected before the suite (STATIC_ROOT, under CONCORD_VAR_DIR by default).
COLLECTED = Path(settings.STATIC_ROOT)


def post(port: int, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "concord-test-boundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_oversized_bodies_are_answered_and_the_server_stays_healthy(sqlite_site, app_server):
    site = sqlite_site
    site.env.update(
        APP_SERVER=app_server,
        MAX_UPLOAD_BYTES=str(LIMIT),
        DATA_UPLOAD_MAX_MEMORY_SIZE=str(LIMIT),
    )
    # Django's error pages (400 here) name the collected static files: use the copy that
    # `make test` collects before the suite (collecting into the site takes minutes).
    assert (COLLECTED / "staticfiles.json").exists(), "run `concord collectstatic` first"
    site.env["STATIC_ROOT"] = str(COLLECTED)
    port = free_port()
    serve = site.start("serve", "serve", "--port", str(port), "--workers", "2", "--threads", "2")
    wait_for(lambda: healthz(port) == 200, 40, message="concord serve to answer /healthz")
    before = wait_for_workers(serve, 2)

    # A file part 30 times the cap: refused while it streams in, before any view runs.
    body, content_type = multipart(30 * LIMIT)
    status, answer = post(port, "/api/v1/partnerships", body, content_type)
    assert status == 413, (status, answer[:200])
    assert "too large" in json.loads(answer)["detail"]

    # A JSON body over the cap on what Django reads into memory.
    payload = json.dumps({"name": "x" * (2 * LIMIT), "email": "a@example.org", "country": "SN"})
    status, answer = post(
        port, "/api/v1/declarations/none/signatures", payload.encode(), "application/json"
    )
    assert status == 400, (status, answer[:200])

    # A body just under the caps is read whole and reaches the view (which refuses the
    # anonymous request for its own reasons, not for the size).
    body, content_type = multipart(LIMIT // 2)
    status, _answer = post(port, "/api/v1/partnerships", body, content_type)
    assert status not in (400, 413) and status < 500, status

    # Nothing crashed: the same processes answer.
    for _ in range(10):
        assert healthz(port) == 200
    assert server_processes(serve) == before
    assert '" 500 ' not in (site.folder / "access.log").read_text()
