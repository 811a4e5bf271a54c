"""The public signatory CSV and JSON as built files, so a download costs a file read.

Streaming the list afresh for every request let any visitor make the server read every
signature, as often as they liked. Now each export is a `SignatoryFile`:

- **open declaration**: a file is rebuilt, in the background, when it is older than
  `SIGNATORY_EXPORT_SECONDS` *and* a signature was confirmed or invalidated since it was
  built; until the new one is ready the last one is served. So a surge costs one build per
  window, and a quiet list none.
- **closed declaration**: closing builds the final CSV and takes its fingerprint from the
  very bytes written (`build_final`), so what is served afterwards is exactly what was
  fingerprinted, whatever changes later; the JSON is built once after closing.
- **no file yet**: the first request asks for a build and answers "being prepared" (503,
  `Retry-After`) rather than building while the visitor waits: a list of a million rows
  takes tens of seconds, and a request must never hold a web worker that long. (With the
  immediate task backend of tests and a worker-less laptop, the build has run by the time
  the request looks again, so the file is served at once.)

Superseded files are deleted once a newer one exists; final files are kept.
"""

import hashlib
import secrets
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from concord.declarations import exports
from concord.declarations.models import Declaration, SignatoryFile, Signature

CONTENT_TYPES = {
    SignatoryFile.Format.CSV: "text/csv",
    SignatoryFile.Format.JSON: "application/json",
}


def window() -> timedelta:
    return timedelta(seconds=settings.SIGNATORY_EXPORT_SECONDS)


def is_closed(declaration: Declaration) -> bool:
    return declaration.status in (Declaration.Status.CLOSED, Declaration.Status.PUBLISHED)


def latest(declaration: Declaration, format: str) -> SignatoryFile | None:
    return (
        SignatoryFile.objects.filter(declaration=declaration, format=format)
        .order_by("-final", "-built_at", "-pk")
        .first()
    )


def changed_since(declaration: Declaration, moment) -> bool:
    """Whether a signature was confirmed or invalidated after `moment` (two index seeks)."""
    latest_change = Signature.objects.filter(declaration=declaration).aggregate(
        confirmed=Max("confirmed_at"), invalidated=Max("invalidated_at")
    )
    return any(at is not None and at >= moment for at in latest_change.values())


def needs_build(declaration: Declaration, current: SignatoryFile | None) -> bool:
    if current is None:
        return True
    if current.final:
        return False
    if is_closed(declaration):
        # Built while the list could still change: build the final one (once).
        return bool(declaration.closed_at and current.built_at < declaration.closed_at)
    if timezone.now() - current.built_at < window():
        return False
    return changed_since(declaration, current.built_at)


def _write(
    declaration: Declaration, format: str, chunks: Iterator[bytes], *, final: bool
) -> SignatoryFile:
    """Store the bytes of `chunks` as a new file; its SHA-256 is taken of exactly those."""
    digest, rows = hashlib.sha256(), 0
    built_at = timezone.now()
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks:
            digest.update(chunk)
            rows += chunk.count(b"\n")
            spool.write(chunk)
        spool.seek(0)
        # A random name: the storage's own URL must not lead to a draft's list.
        name = f"{declaration.slug}-{secrets.token_hex(8)}.{format}"
        built = SignatoryFile(
            declaration=declaration,
            format=format,
            sha256=digest.hexdigest(),
            rows=rows,
            built_at=built_at,
            final=final,
        )
        built.file.save(name, File(spool), save=False)
    built.save()
    return built


def _drop_superseded(built: SignatoryFile) -> None:
    older = SignatoryFile.objects.filter(
        declaration_id=built.declaration_id, format=built.format, final=False
    ).exclude(pk=built.pk)
    for stale in older:
        stale.file.delete(save=False)  # a download under way keeps its open file (POSIX)
        stale.delete()


def build(declaration: Declaration, format: str) -> SignatoryFile:
    """Build the export now (the task's work)."""
    if format == SignatoryFile.Format.CSV:
        chunks = exports.signatories_csv_chunks(declaration)
    else:
        chunks = exports.signatories_json_chunks(declaration)
    built = _write(declaration, format, chunks, final=False)
    if is_closed(declaration):
        # After closing the list no longer changes: this one is kept. A CSV counts as final
        # only if it is the fingerprinted list (declarations closed before files were kept).
        built.final = format != SignatoryFile.Format.CSV or (
            built.sha256 == declaration.final_export_sha256
        )
        built.save(update_fields=["final"])
    _drop_superseded(built)
    return built


def build_final(declaration: Declaration) -> SignatoryFile:
    """At closing, in its transaction: the final CSV, whose SHA-256 becomes the published
    fingerprint (the caller stores `sha256`). Earlier files are dropped after commit."""
    chunks = exports.signatories_csv_chunks(declaration)
    built = _write(declaration, SignatoryFile.Format.CSV, chunks, final=True)
    transaction.on_commit(lambda: _drop_superseded(built))
    return built


def _building_key(declaration_id: int, format: str) -> str:
    return f"signatory-file-building:{declaration_id}:{format}"


@task()
def build_signatory_file(declaration_id: int, format: str) -> None:
    """The background build; does nothing when a current file exists (safe to run twice)."""
    try:
        declaration = Declaration.objects.filter(pk=declaration_id).first()
        if declaration is not None and needs_build(declaration, latest(declaration, format)):
            build(declaration, format)
    finally:
        cache.delete(_building_key(declaration_id, format))


def request_build(declaration: Declaration, format: str) -> None:
    """Enqueue one build, not one per request: the key stays while it is queued or runs."""
    key = _building_key(declaration.pk, format)
    if cache.add(key, 1, timeout=max(settings.SIGNATORY_EXPORT_SECONDS, 60)):
        # At once, not after commit: a download writes nothing the build would wait for.
        build_signatory_file.enqueue(declaration.pk, format)


def current(declaration: Declaration, format: str) -> SignatoryFile | None:
    """The file to serve now (None: being prepared). Asks for a rebuild when it is due, and
    never builds in the request."""
    found = latest(declaration, format)
    if needs_build(declaration, found):
        request_build(declaration, format)
        # A build that ran at once (immediate tasks) has replaced the file we found.
        found = latest(declaration, format)
    return found


def open_current(declaration: Declaration, format: str) -> tuple[SignatoryFile, IO[bytes]] | None:
    """The file to serve, opened; None while the first one is being prepared."""
    for _attempt in range(3):
        found = current(declaration, format)
        if found is None:
            return None
        try:
            return found, found.file.open("rb")
        except FileNotFoundError:
            continue  # superseded and deleted between the lookup and the open: look again
    return None
