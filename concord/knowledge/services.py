"""Every write path for case studies: writing, review, revisions, translations, media,
adaptations and messages to the owning organisation.

Each function checks permission and input, writes in one transaction, logs the audit event,
updates the full-text index in that transaction and, once it commits, asks a background
task to compute the vectors. Errors: ValidationError (per field) or PermissionDenied.
"""

from __future__ import annotations

from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import reject_markup
from concord.core.emails import queue_email
from concord.core.images import reencode_image
from concord.core.models import Sdg, Theme
from concord.countries.queries import is_country
from concord.knowledge import permissions, search
from concord.knowledge.models import (
    LANGUAGES,
    Adaptation,
    BuildingBlock,
    Document,
    Photo,
    Practice,
    Revision,
    Translation,
)
from concord.organisations.models import Organisation, Representative

TEXT_FIELDS = ("title", "summary", "challenges", "beneficiaries", "impacts")
CHOICE_FIELDS = ("language", "setting", "adaptation", "mitigation")
REQUIRED = ("title", "summary", "language", "setting")
MAX_BLOCKS = 12
PHOTO_MAX_BYTES = getattr(settings, "PRACTICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
DOCUMENT_MAX_BYTES = getattr(settings, "PRACTICE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
MAX_PHOTOS = 8
MAX_DOCUMENTS = 5
LIMITS = {
    "title": 200,
    "summary": 1500,
    "challenges": 4000,
    "beneficiaries": 2000,
    "impacts": 4000,
}


def clean_text(value: str) -> str:
    """Long text is plain text: tags are removed (their words kept), nothing else touched.
    Pages escape it when they show it, so what is stored is exactly what people read."""
    value = (value or "").replace("\r\n", "\n").strip()
    if "\x00" in value:
        raise ValidationError(_("contains a null character"), code="null")
    if "<" in value:
        value = nh3.clean(value, tags=set(), strip_comments=True)
        # nh3 returns HTML: turn its entities back into the characters people typed.
        value = (
            value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&")
        )  # fmt: skip
    return value


def _check(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name not in data:
            continue
        try:
            value = reject_markup(data[name] or "") if name == "title" else clean_text(data[name])
            value = value.strip()
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if len(value) > LIMITS[name]:
            errors[name] = [_("Keep this under %(limit)s characters.") % {"limit": LIMITS[name]}]
        clean[name] = value
    choices = {
        "language": dict(LANGUAGES),
        "setting": dict(Practice.Setting.choices),
        "adaptation": dict(Practice.Relevance.choices),
        "mitigation": dict(Practice.Relevance.choices),
    }
    for name in CHOICE_FIELDS:
        if name in data:
            value = data[name] or ""
            if value not in choices[name]:
                errors[name] = [_("Choose one of the listed values.")]
            clean[name] = value
    for name in REQUIRED:
        if (not partial or name in data) and not clean.get(name) and name not in errors:
            errors[name] = [_("This field is required.")]
    if "countries" in data:
        codes = [str(getattr(c, "code", c)).upper() for c in data["countries"] or []]
        unknown = [code for code in codes if not is_country(code)]
        if unknown:
            errors["countries"] = [
                _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": unknown[0]}
            ]
        elif not codes:
            errors["countries"] = [_("Name at least one country.")]
        clean["countries"] = sorted(set(codes))
    elif not partial:
        errors["countries"] = [_("Name at least one country.")]
    if "themes" in data:
        slugs = sorted({str(getattr(t, "slug", t)) for t in data["themes"] or []})
        if Theme.objects.filter(slug__in=slugs).count() != len(slugs):
            errors["themes"] = [_("Unknown theme.")]
        elif not slugs:
            errors["themes"] = [_("Choose at least one theme.")]
        clean["themes"] = slugs
    elif not partial:
        errors["themes"] = [_("Choose at least one theme.")]
    if "sdgs" in data:
        numbers = sorted({int(getattr(s, "number", s)) for s in data["sdgs"] or []})
        if any(not 1 <= n <= 17 for n in numbers):
            errors["sdgs"] = [_("SDGs are numbered 1 to 17.")]
        clean["sdgs"] = numbers
    if "blocks" in data:
        try:
            clean["blocks"] = _check_blocks(data["blocks"] or [])
        except ValidationError as error:
            errors["blocks"] = error.messages
    if errors:
        raise ValidationError(errors)
    return clean


def _check_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, str]]:
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(_("At most %(count)s building blocks.") % {"count": MAX_BLOCKS})
    clean = []
    for block in blocks:
        title = reject_markup((block.get("title") or "").strip())
        texts = {
            name: clean_text(block.get(name) or "")[:3000]
            for name in ("description", "enabling_factors", "lessons")
        }
        if not title and not any(texts.values()):
            continue
        if not title:
            raise ValidationError(_("Give each building block a title."))
        clean.append({"title": title[:200], **texts})
    return clean


def _snapshot(practice: Practice) -> dict[str, Any]:
    return {
        **{name: getattr(practice, name) for name in TEXT_FIELDS + CHOICE_FIELDS},
        "countries": sorted(c.code for c in practice.countries.all()),
        "themes": sorted(t.slug for t in practice.themes.all()),
        "sdgs": sorted(s.number for s in practice.sdgs.all()),
        "blocks": [
            {
                "title": b.title,
                "description": b.description,
                "enabling_factors": b.enabling_factors,
                "lessons": b.lessons,
            }
            for b in practice.blocks.all()
        ],
    }


def _write(practice: Practice, clean: dict[str, Any]) -> None:
    for name in TEXT_FIELDS + CHOICE_FIELDS:
        if name in clean:
            setattr(practice, name, clean[name])
    practice.save()
    if "countries" in clean:
        practice.countries.set(clean["countries"])
    if "themes" in clean:
        practice.themes.set(clean["themes"])
    if "sdgs" in clean:
        practice.sdgs.set(Sdg.objects.filter(number__in=clean["sdgs"]))
    if "blocks" in clean:
        practice.blocks.all().delete()
        BuildingBlock.objects.bulk_create(
            BuildingBlock(practice=practice, position=i, **block)
            for i, block in enumerate(clean["blocks"])
        )


def _refresh_search_after_commit(practice_id: int) -> None:
    """Full text now (in the caller's transaction); vectors in the background after commit."""
    search.index_practice(practice_id)
    from concord.knowledge.tasks import refresh_search

    transaction.on_commit(lambda: refresh_search.enqueue(practice_id))


def create_practice(user: User, organisation: Organisation, data: dict[str, Any]) -> Practice:
    """A representative starts a case study for the organisation: a draft only they see."""
    if not permissions.can_write_for(user, organisation):
        raise PermissionDenied(
            _("Only representatives of a member organisation write its case studies.")
        )
    clean = _check(data, partial=False)
    with transaction.atomic():
        practice = Practice(organisation=organisation, created_by=user)
        _write(practice, clean)
        log_event("practice.created", practice, actor=user, title=practice.title)
    return practice


def update_practice(user: User, practice: Practice, data: dict[str, Any]) -> Practice:
    """Edit a case study. Once published, the previous text is kept as a revision."""
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    clean = _check(data, partial=True)
    with transaction.atomic():
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        if not permissions.can_edit(user, locked):
            raise PermissionDenied(_("You may not edit this case study now."))
        before = _snapshot(locked)
        changed = [name for name in clean if before.get(name) != clean[name]]
        if not changed:
            return locked
        if locked.is_published:
            locked.revision += 1
            Revision.objects.create(
                practice=locked,
                number=locked.revision,
                edited_by=user,
                changed=changed,
                snapshot={name: before[name] for name in changed},
            )
        _write(locked, clean)
        log_event("practice.updated", locked, actor=user, changed=changed)
        if locked.is_published:
            _refresh_search_after_commit(locked.pk)
    return locked


def _transition(user, practice: Practice, allowed: set[str]) -> Practice:
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("This case study is “%(status)s” and cannot be changed that way.")
            % {"status": locked.get_status_display()},
            code="state",
        )
    return locked


def submit_practice(user: User, practice: Practice) -> Practice:
    if not permissions.can_write_for(user, practice.organisation):
        raise PermissionDenied(
            _("Only the organisation's representatives submit its case studies.")
        )
    with transaction.atomic():
        locked = _transition(user, practice, {Practice.Status.DRAFT, Practice.Status.RETURNED})
        locked.status = Practice.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        log_event("practice.submitted", locked, actor=user)
        for reviewer in User.objects.filter(is_staff=True, is_active=True):
            queue_email(
                key=f"practice.submitted:{locked.pk}:{locked.submitted_at.isoformat()}:{reviewer.pk}",
                to=reviewer.email,
                template="knowledge/emails/submitted",
                context={"practice": locked, "url": _absolute("knowledge:review")},
                language=reviewer.language or "en",
            )
    return locked


def return_practice(reviewer: User, practice: Practice, comment: str) -> Practice:
    """The secretariat sends the case study back to its authors with comments."""
    if not permissions.can_review(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews case studies."))
    comment = clean_text(comment or "")[:3000]
    if not comment:
        raise ValidationError({"comment": [_("Tell the authors what to change.")]})
    with transaction.atomic():
        locked = _transition(reviewer, practice, {Practice.Status.SUBMITTED})
        locked.status = Practice.Status.RETURNED
        locked.review_note = comment
        locked.save(update_fields=["status", "review_note", "updated_at"])
        log_event("practice.returned", locked, actor=reviewer, comment=comment)
        _notify_authors(locked, "returned")
    return locked


def publish_practice(reviewer: User, practice: Practice) -> Practice:
    if not permissions.can_review(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews case studies."))
    with transaction.atomic():
        locked = _transition(reviewer, practice, {Practice.Status.SUBMITTED})
        locked.status = Practice.Status.PUBLISHED
        locked.published_at = locked.published_at or timezone.now()
        locked.review_note = ""
        locked.save(update_fields=["status", "published_at", "review_note", "updated_at"])
        log_event("practice.published", locked, actor=reviewer)
        _refresh_search_after_commit(locked.pk)
        _notify_authors(locked, "published")
    return locked


def _absolute(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _representatives(organisation_id: int):
    return Representative.objects.filter(
        organisation_id=organisation_id, user__is_active=True
    ).select_related("user")


def _notify_authors(practice: Practice, event: str) -> None:
    stamp = timezone.now().isoformat()
    for rep in _representatives(practice.organisation_id):
        queue_email(
            key=f"practice.{event}:{practice.pk}:{stamp}:{rep.user_id}",
            to=rep.user.email,
            template=f"knowledge/emails/{event}",
            context={"practice": practice, "url": _absolute("knowledge:detail", practice.pk)},
            language=rep.user.language or "en",
        )


def save_translation(user: User, practice: Practice, data: dict[str, Any]) -> Translation:
    """Add or replace a language version translated by a person."""
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    errors: dict[str, list[str]] = {}
    language = data.get("language") or ""
    if language not in dict(LANGUAGES):
        errors["language"] = [_("Choose one of the listed values.")]
    elif language == practice.language:
        errors["language"] = [_("The case study is already written in this language.")]
    values = {}
    for name, limit in (("title", 200), ("summary", 1500), ("body", 12000)):
        try:
            value = (
                reject_markup(data.get(name) or "")
                if name == "title"
                else clean_text(data.get(name) or "")
            ).strip()
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if len(value) > limit:
            errors[name] = [_("Keep this under %(limit)s characters.") % {"limit": limit}]
        elif not value and name != "body":
            errors[name] = [_("This field is required.")]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        translation, _created = Translation.objects.update_or_create(
            practice=practice,
            language=language,
            defaults={**values, "translated_by": user},
        )
        log_event("practice.translated", practice, actor=user, language=language)
        if Practice.objects.filter(pk=practice.pk, status=Practice.Status.PUBLISHED).exists():
            _refresh_search_after_commit(practice.pk)
    return translation


def add_photo(user: User, practice: Practice, upload, caption: str = "") -> Photo:
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    if practice.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": [_("At most %(count)s photos.") % {"count": MAX_PHOTOS}]})
    try:
        caption = reject_markup((caption or "").strip())[:200]
        clean = reencode_image(upload, max_bytes=PHOTO_MAX_BYTES, max_side=1600)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    with transaction.atomic():
        photo = Photo(practice=practice, caption=caption)
        photo.image.save(clean.name or "photo.webp", clean, save=True)
        log_event("practice.photo_added", practice, actor=user, photo=photo.pk)
    return photo


def check_pdf(upload) -> bytes:
    """The upload's bytes if it is a PDF (by content) within the size limit."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is too large (%(size)s KB); the limit is %(limit)s KB.")
            % {"size": upload.size // 1024, "limit": DOCUMENT_MAX_BYTES // 1024},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The document is too large."), code="too_large")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("Upload a PDF document."), code="format")
    return data


def add_document(user: User, practice: Practice, upload, title: str) -> Document:
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    if practice.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            {"file": [_("At most %(count)s documents.") % {"count": MAX_DOCUMENTS}]}
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
    import uuid

    with transaction.atomic():
        document = Document(practice=practice, title=title, size=len(data))
        document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=True)
        log_event("practice.document_added", practice, actor=user, document=document.pk)
    return document


def record_adaptation(
    user: User, practice: Practice, organisation: Organisation, data: dict[str, Any]
) -> Adaptation:
    """Another member organisation says it adapted the practice, where and how."""
    if not permissions.can_record_adaptation(user, practice, organisation):
        raise PermissionDenied(
            _("Representatives of another member organisation record adaptations.")
        )
    errors: dict[str, list[str]] = {}
    country = str(data.get("country") or "").upper()
    if not is_country(country):
        errors["country"] = [
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": country}
        ]
    try:
        place = reject_markup((data.get("place") or "").strip())[:120]
    except ValidationError as error:
        errors["place"] = error.messages
        place = ""
    try:
        account = clean_text(data.get("account") or "")
    except ValidationError as error:
        errors["account"] = error.messages
        account = ""
    if not account and "account" not in errors:
        errors["account"] = [_("Say in a few words what you did and what happened.")]
    elif len(account) > 3000:
        errors["account"] = [_("Keep this under %(limit)s characters.") % {"limit": 3000}]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            adaptation = Adaptation.objects.create(
                practice=practice,
                organisation=organisation,
                country_id=country,
                place=place,
                account=account,
                created_by=user,
            )
            log_event("practice.adapted", practice, actor=user, organisation=organisation.pk)
    except IntegrityError:
        raise ValidationError(
            {"country": [_("Your organisation has already recorded an adaptation there.")]},
            code="duplicate",
        ) from None
    return adaptation


def contact_organisation(user: User, practice: Practice, message: str) -> int:
    """Send a message to the owning organisation's representatives through the platform:
    their addresses are never shown; they answer the sender directly."""
    if not permissions.can_contact(user, practice):
        raise PermissionDenied(_("Sign in to contact the organisation."))
    message = clean_text(message or "")
    if not message:
        raise ValidationError({"message": [_("Write a message.")]})
    if len(message) > 3000:
        raise ValidationError(
            {"message": [_("Keep this under %(limit)s characters.") % {"limit": 3000}]}
        )
    stamp = timezone.now().isoformat()
    sent = 0
    with transaction.atomic():
        for rep in _representatives(practice.organisation_id):
            queue_email(
                key=f"practice.contact:{practice.pk}:{user.pk}:{stamp}:{rep.user_id}",
                to=rep.user.email,
                template="knowledge/emails/contact",
                context={
                    "practice": practice,
                    "sender": user,
                    "message": message,
                    "url": _absolute("knowledge:detail", practice.pk),
                },
                language=rep.user.language or "en",
            )
            sent += 1
        log_event("practice.contacted", practice, actor=user, recipients=sent)
    return sent
