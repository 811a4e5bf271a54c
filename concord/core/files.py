"""Users' files: how they are named, checked and served.

An upload is stored under a random name whose extension comes from the content type its
content was checked to be (never from the uploader's file name), and it is served only
through `serve`, which asks the app that owns the file who may see it. Every answer carries
the stored content type, `X-Content-Type-Options: nosniff`, a sandboxing
Content-Security-Policy and `Content-Disposition: attachment` (images may stay inline), so
a file that slips past the checks is never run as a page of the site.

Apps register the folder they store under (`register("results/evidence/", resolve)`) in
their `AppConfig.ready`; core imports no app. When `MEDIA_URL` names another origin, the
session of the site is not sent there, so links to files that are not public carry a
signature valid for `MEDIA_LINK_SECONDS` (`url_for`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

PDF = "application/pdf"
WEBP = "image/webp"
EXTENSIONS = {PDF: "pdf", WEBP: "webp", "image/png": "png", "image/jpeg": "jpg"}

# Markup that makes a browser treat bytes as a page. None of it is valid PDF syntax ("<"
# opens a hex string or a dictionary, and these letters are not hex digits), so a PDF that
# holds it is a polyglot built to be opened as HTML.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|object|embed|svg|img|meta|form|style|link)\b",
    re.IGNORECASE,
)
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_SALT = "concord.core.files"


def stored_name(content_type: str) -> str:
    """A random name with the extension the checked content type implies."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"


def download_name(name: str, content_type: str) -> str:
    """The uploader's name for display and download, its extension forced to the checked one."""
    stem = (name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "file"
    return f"{stem[:150]}.{EXTENSIONS.get(content_type, 'bin')}"


def is_clean_pdf(data: bytes) -> bool:
    """A PDF header at the very start, an end-of-file marker at the end, and no web markup."""
    return (
        _PDF_HEADER.match(data) is not None
        and b"%%EOF" in data[-2048:]
        and _MARKUP.search(data) is None
    )


_RANDOM = re.compile(r"[0-9a-f]{32}\.[a-z]+")


def renamed(name: str, folder: str, content_type: str) -> str | None:
    """For data migrations: move a file stored under an older, guessable or wrongly
    extended name to a random one (returned); None when the name is already right or the
    file is gone (the row then keeps its name and answers 404)."""
    base = name.rsplit("/", 1)[-1]
    if _RANDOM.fullmatch(base) and base.endswith("." + EXTENSIONS.get(content_type, "bin")):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as old:
        new = default_storage.save(folder + stored_name(content_type), old)
    default_storage.delete(name)
    return new


@dataclass(frozen=True)
class Served:
    """What the owning app says about one stored file."""

    content_type: str
    filename: str
    public: bool
    # Asked only when the file is not public: may this person (possibly anonymous) see it?
    may_see: Callable[[Any], bool]


Resolver = Callable[[str], Served | None]
_OWNERS: dict[str, Resolver] = {}


def register(folder: str, resolve: Resolver) -> None:
    _OWNERS[folder] = resolve


def resolve(name: str) -> Served | None:
    for folder, resolver in _OWNERS.items():
        if name.startswith(folder):
            return resolver(name)
    return None


def media_is_elsewhere() -> bool:
    return bool(urlsplit(settings.MEDIA_URL).netloc)


def url_for(name: str) -> str:
    """The file's link; signed when files are served from another origin (no session there)."""
    url = default_storage.url(name)
    if not media_is_elsewhere():
        return url
    signed = signing.TimestampSigner(salt=_SALT).sign(name)
    return f"{url}?k={signed[len(name) + 1 :]}"


def _signed(name: str, token: str) -> bool:
    try:
        signing.TimestampSigner(salt=_SALT).unsign(
            f"{name}:{token}", max_age=settings.MEDIA_LINK_SECONDS
        )
    except signing.BadSignature:
        return False
    return True


def serve(request: HttpRequest, name: str) -> FileResponse:
    """The file, if its owner says this request may see it; else 404 (existence not told)."""
    served = resolve(name) if ".." not in name.split("/") else None
    if served is None or not default_storage.exists(name):
        raise Http404
    if not served.public and not (
        _signed(name, request.GET.get("k", "")) or served.may_see(request.user)
    ):
        raise Http404
    # Only the types uploads are checked to be; anything else is just bytes to save.
    content_type = (
        served.content_type if served.content_type in EXTENSIONS else "application/octet-stream"
    )
    inline = content_type.startswith("image/")
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=served.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600" if served.public else "private, no-store"
    return response


def keep_newest_built(builds: Any, done: str, busy: list[str]) -> None:
    """Of the builds of one document (a queryset of rows with `status`, `created_at` and
    `file`), keep the newest finished one and any still being built; delete the rest with
    their files. One being built is left to finish: when it does, this runs again."""
    newest = builds.filter(status=done).order_by("-created_at", "-pk").first()
    if newest is None:
        return
    for stale in builds.exclude(pk=newest.pk).exclude(status__in=busy):
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()
