"""The files attached to an update as evidence: checked by content and size, stored under
random names whose extension is the one the checked content implies (the uploader's name is
kept for display only)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.checks import Errors
from concord.core.files import PDF, WEBP, download_name, is_clean_pdf, stored_name
from concord.core.images import reencode_image
from concord.core.numbers import figure
from concord.results.models import Evidence, Update

EVIDENCE_MAX_FILES = 5


def evidence_max_bytes() -> int:
    return getattr(settings, "RESULTS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def too_many_files() -> str:
    return ngettext(
        "Attach at most %(count)s file.", "Attach at most %(count)s files.", EVIDENCE_MAX_FILES
    ) % {"count": figure(EVIDENCE_MAX_FILES)}


def check_evidence(files) -> list[tuple[Any, str, str, int]]:
    """(content, name, content type, size) per file, checked by content and size: PDFs as
    they are, images re-encoded (metadata dropped). Anything else is refused."""
    errors = Errors()
    checked = []
    if len(files) > EVIDENCE_MAX_FILES:
        errors.add("evidence", too_many_files())
    for upload in files[:EVIDENCE_MAX_FILES]:
        name = (getattr(upload, "name", "") or "evidence")[-200:]
        limit = evidence_max_bytes()
        if upload.size > limit:
            errors.add(
                "evidence",
                _("%(name)s is too large (%(size)s KB); the limit is %(limit)s KB.")
                % {
                    "name": name,
                    "size": figure(upload.size // 1024),
                    "limit": figure(limit // 1024),
                },
            )
            continue
        upload.seek(0)
        data = upload.read(limit + 1)
        upload.seek(0)
        refusal = _("%(name)s is not a PDF or an image (PNG, JPEG, WebP, GIF).") % {"name": name}
        if data.startswith(b"%PDF-"):
            # A PDF is kept as it is, so it must be one through and through: a file that
            # starts like a PDF but holds a web page is refused, not stored.
            if not is_clean_pdf(data):
                errors.add("evidence", refusal)
                continue
            checked.append((ContentFile(data), download_name(name, PDF), PDF, len(data)))
            continue
        try:
            clean = reencode_image(upload, max_bytes=limit, max_side=2000)
        except ValidationError:
            errors.add("evidence", refusal)
            continue
        checked.append((clean, download_name(name, WEBP), WEBP, clean.size))
    errors.raise_if_any()
    return checked


def store_evidence(update: Update, checked: list[tuple[Any, str, str, int]]) -> None:
    """Save files already passed by `check_evidence` on the update (inside its transaction)."""
    for content, name, content_type, size in checked:
        item = Evidence(update=update, name=name, content_type=content_type, size=size)
        item.file.save(stored_name(content_type), content, save=False)
        item.save()
