"""Who may see a case study's photos and PDFs (served by `core/files.py`): those of a
published case study are public once reviewed; a draft's, and any still waiting for the
secretariat's review, only its authors and the secretariat."""

from concord.core.files import PDF, WEBP, Served, download_name
from concord.knowledge import permissions
from concord.knowledge.models import Document, Photo, Practice


def _served(practice: Practice, item: Photo | Document, content_type: str, name: str) -> Served:
    return Served(
        content_type=content_type,
        filename=download_name(name, content_type),
        public=practice.status == Practice.Status.PUBLISHED and not item.awaits_review,
        may_see=lambda user: permissions.can_see_unreviewed_media(user, practice),
    )


def resolve_photo(name: str) -> Served | None:
    photo = Photo.objects.filter(image=name).select_related("practice__organisation").first()
    if photo is None:
        return None
    return _served(photo.practice, photo, WEBP, "photo")


def resolve_document(name: str) -> Served | None:
    document = Document.objects.filter(file=name).select_related("practice__organisation").first()
    if document is None:
        return None
    return _served(document.practice, document, PDF, document.title)
