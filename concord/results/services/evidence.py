"""The files attached to an update as evidence: checked by content and size, stored under
names no one can guess."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from concord.core.checks import Errors
from concord.core.images import reencode_image
from concord.results.models import Evidence, Update

EVIDENCE_MAX_FILES = 5


def evidence_max_bytes() -> int:
    return getattr(settings, "RESULTS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def check_evidence(files) -> list[tuple[Any, str, str, int]]:
    """(content, name, content type, size) per file, checked by content and size: PDFs as
    they are, images re-encoded (metadata dropped). Anything else is refused."""
    errors = Errors()
    checked = []
    if len(files) > EVIDENCE_MAX_FILES:
        errors.add("evidence", _("Attach at most %(count)s files.") % {"count": EVIDENCE_MAX_FILES})
    for upload in files[:EVIDENCE_MAX_FILES]:
        name = (getattr(upload, "name", "") or "evidence")[-200:]
        limit = evidence_max_bytes()
        if upload.size > limit:
            errors.add(
                "evidence",
                _("%(name)s is too large (%(size)s KB); the limit is %(limit)s KB.")
                % {"name": name, "size": upload.size // 1024, "limit": limit // 1024},
            )
            continue
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if head.startswith(b"%PDF-"):
            checked.append((upload, name, "application/pdf", upload.size))
            continue
        try:
            clean = reencode_image(upload, max_bytes=limit, max_side=2000)
        except ValidationError:
            errors.add(
                "evidence",
                _("%(name)s is not a PDF or an image (PNG, JPEG, WebP, GIF).") % {"name": name},
            )
            continue
        checked.append((clean, name.rsplit(".", 1)[0] + ".webp", "image/webp", clean.size))
    errors.raise_if_any()
    return checked


def _stored_name(name: str) -> str:
    """A random file name (keeping the extension), so no one reaches a draft's evidence by
    guessing its URL; the original name is kept on the row for display."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return f"{uuid.uuid4().hex}.{extension if extension.isalnum() else 'bin'}"


def store_evidence(update: Update, checked: list[tuple[Any, str, str, int]]) -> None:
    """Save files already passed by `check_evidence` on the update (inside its transaction)."""
    for content, name, content_type, size in checked:
        item = Evidence(update=update, name=name, content_type=content_type, size=size)
        item.file.save(_stored_name(name), content, save=False)
        item.save()
