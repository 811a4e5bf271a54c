"""A case study's photos (re-encoded, without metadata) and PDF documents.

Stored under random names with the extension their checked content implies. Added to a case
study that is already published, they wait for the secretariat (`awaits_review`): public
only once approved (`approve_media`), as the case study itself was reviewed before it went live.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import reject_markup
from concord.core.files import PDF, WEBP, is_clean_pdf, stored_name
from concord.core.images import reencode_image
from concord.core.numbers import figure
from concord.knowledge import permissions
from concord.knowledge.models import Document, Photo, Practice

PHOTO_MAX_BYTES = getattr(settings, "PRACTICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
DOCUMENT_MAX_BYTES = getattr(settings, "PRACTICE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
MAX_PHOTOS = 8
MAX_DOCUMENTS = 5


def add_photo(user: User, practice: Practice, upload, caption: str = "") -> Photo:
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    if practice.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {
                "image": [
                    ngettext("At most %(count)s photo.", "At most %(count)s photos.", MAX_PHOTOS)
                    % {"count": figure(MAX_PHOTOS)}
                ]
            }
        )
    try:
        caption = reject_markup((caption or "").strip())[:200]
        clean = reencode_image(upload, max_bytes=PHOTO_MAX_BYTES, max_side=1600)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    with transaction.atomic():
        photo = Photo(practice=practice, caption=caption, awaits_review=practice.is_published)
        photo.image.save(stored_name(WEBP), clean, save=True)
        log_event("practice.photo_added", practice, actor=user, photo=photo.pk)
    return photo


def check_pdf(upload) -> bytes:
    """The upload's bytes if it is a PDF (by content) within the size limit."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is too large (%(size)s KB); the limit is %(limit)s KB.")
            % {"size": figure(upload.size // 1024), "limit": figure(DOCUMENT_MAX_BYTES // 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The document is too large."), code="too_large")
    if not is_clean_pdf(data):
        raise ValidationError(_("Upload a PDF document."), code="format")
    return data


def add_document(user: User, practice: Practice, upload, title: str) -> Document:
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    if practice.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            {
                "file": [
                    ngettext(
                        "At most %(count)s document.", "At most %(count)s documents.", MAX_DOCUMENTS
                    )
                    % {"count": figure(MAX_DOCUMENTS)}
                ]
            }
        )
    try:
        title = reject_markup((title or "").strip())[:200]
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from None
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    try:
        data = check_pdf(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        document = Document(
            practice=practice, title=title, size=len(data), awaits_review=practice.is_published
        )
        document.file.save(stored_name(PDF), ContentFile(data), save=True)
        log_event("practice.document_added", practice, actor=user, document=document.pk)
    return document


def approve_media(reviewer: User, practice: Practice) -> int:
    """The secretariat lets the photos and PDFs waiting on a published case study go live."""
    if not permissions.can_review(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews case studies."))
    with transaction.atomic():
        photos = list(practice.photos.filter(awaits_review=True).values_list("pk", flat=True))
        documents = list(practice.documents.filter(awaits_review=True).values_list("pk", flat=True))
        Photo.objects.filter(pk__in=photos).update(awaits_review=False)
        Document.objects.filter(pk__in=documents).update(awaits_review=False)
        if photos or documents:
            log_event(
                "practice.media_approved", practice, actor=reviewer, photos=photos,
                documents=documents,
            )  # fmt: skip
    return len(photos) + len(documents)
