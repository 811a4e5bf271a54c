"""Writing a case study: start it, edit it (a published one keeps revisions), add language
versions; and the rules its text follows."""

from __future__ import annotations

from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import Errors, has_nul, length_message, nul_message, reject_markup
from concord.core.models import Sdg, Theme
from concord.core.numbers import figure
from concord.countries import checks as country_checks
from concord.knowledge import permissions, search
from concord.knowledge.models import LANGUAGES, BuildingBlock, Practice, Revision, Translation
from concord.organisations.models import Organisation

TEXT_FIELDS = ("title", "summary", "challenges", "beneficiaries", "impacts")
CHOICE_FIELDS = ("language", "setting", "adaptation", "mitigation")
REQUIRED = ("title", "summary", "language", "setting")
MAX_BLOCKS = 12
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
    if has_nul(value):
        raise ValidationError(nul_message(), code="null")
    if "<" in value:
        value = nh3.clean(value, tags=set(), strip_comments=True)
        # nh3 returns HTML: turn its entities back into the characters people typed.
        value = (
            value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&")
        )  # fmt: skip
    return value


def _check(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors = Errors()
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
            errors[name] = [length_message(LIMITS[name])]
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
        codes = country_checks.countries(errors, "countries", data["countries"])
        if not codes and "countries" not in errors:
            errors.add("countries", _("Name at least one country."))
        clean["countries"] = codes
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
    errors.raise_if_any()
    return clean


def _check_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, str]]:
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(
            ngettext(
                "At most %(count)s building block.",
                "At most %(count)s building blocks.",
                MAX_BLOCKS,
            )
            % {"count": figure(MAX_BLOCKS)}
        )
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
            search.refresh_after_commit(locked.pk)
    return locked


def save_translation(user: User, practice: Practice, data: dict[str, Any]) -> Translation:
    """Add or replace a language version translated by a person."""
    if not permissions.can_edit(user, practice):
        raise PermissionDenied(_("You may not edit this case study now."))
    errors = Errors()
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
            errors[name] = [length_message(limit)]
        elif not value and name != "body":
            errors[name] = [_("This field is required.")]
        values[name] = value
    errors.raise_if_any()
    with transaction.atomic():
        translation, _created = Translation.objects.update_or_create(
            practice=practice,
            language=language,
            defaults={**values, "translated_by": user},
        )
        log_event("practice.translated", practice, actor=user, language=language)
        if Practice.objects.filter(pk=practice.pk, status=Practice.Status.PUBLISHED).exists():
            search.refresh_after_commit(practice.pk)
    return translation
