"""Files people attach to what they write (a result's evidence, a working-group post): PDFs
and images, checked by content and size, whatever the file is called.

A PDF is kept as it is, so it must be one through and through (`files.is_clean_pdf`); an
image is re-encoded (`images.reencode_image`), which drops its metadata. Anything else is
refused with a message naming the file. The checks come before anything is written, so a
refused file leaves nothing behind; `store` then saves what passed under random names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.checks import Errors
from concord.core.files import PDF, WEBP, download_name, is_clean_pdf, stored_name
from concord.core.images import reencode_image
from concord.core.numbers import figure

IMAGE_MAX_SIDE = 2000


@dataclass(frozen=True)
class Checked:
    """One file that passed: what to store, the uploader's name (for display and download,
    its extension the checked one), the checked content type and the stored size."""

    content: ContentFile
    name: str
    content_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def too_many_files(limit: int) -> str:
    return ngettext("Attach at most %(count)s file.", "Attach at most %(count)s files.", limit) % {
        "count": figure(limit)
    }


def check_files(
    errors: Errors, field: str, files: Sequence, *, max_files: int, max_bytes: int
) -> list[Checked]:
    """The files that pass; each refusal is added to `errors` under `field`."""
    checked = []
    if len(files) > max_files:
        errors.add(field, too_many_files(max_files))
    for upload in files[:max_files]:
        name = (getattr(upload, "name", "") or "file")[-200:]
        if upload.size > max_bytes:
            errors.add(
                field,
                _("%(name)s is too large (%(size)s KB); the limit is %(limit)s KB.")
                % {
                    "name": name,
                    "size": figure(upload.size // 1024),
                    "limit": figure(max_bytes // 1024),
                },
            )
            continue
        found = _check(upload, name, max_bytes)
        if found is None:
            errors.add(
                field,
                _("%(name)s is not a PDF or an image (PNG, JPEG, WebP, GIF).") % {"name": name},
            )
        else:
            checked.append(found)
    return checked


def _check(upload, name: str, max_bytes: int) -> Checked | None:
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        # A file that starts like a PDF but holds a web page is refused, not stored.
        if not is_clean_pdf(data):
            return None
        return Checked(ContentFile(data), download_name(name, PDF), PDF, len(data))
    try:
        clean = reencode_image(upload, max_bytes=max_bytes, max_side=IMAGE_MAX_SIDE)
    except ValidationError:
        return None
    return Checked(clean, download_name(name, WEBP), WEBP, clean.size)


def store(item, checked: Checked) -> None:
    """Save a checked file on a new row (its `file` field), then the row."""
    item.file.save(stored_name(checked.content_type), checked.content, save=False)
    item.save()
