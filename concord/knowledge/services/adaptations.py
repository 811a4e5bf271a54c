"""What other members do with a published case study: record that they adapted it, and
write to the organisation that owns it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import Errors, length_message, reject_markup
from concord.core.emails import page_url, queue_email
from concord.countries import checks as country_checks
from concord.knowledge import permissions
from concord.knowledge.models import Adaptation, Practice
from concord.knowledge.services.notices import representatives_of
from concord.knowledge.services.writing import clean_text
from concord.organisations.models import Organisation


def record_adaptation(
    user: User, practice: Practice, organisation: Organisation, data: dict[str, Any]
) -> Adaptation:
    """Another member organisation says it adapted the practice, where and how."""
    if not permissions.can_record_adaptation(user, practice, organisation):
        raise PermissionDenied(
            _("Representatives of another member organisation record adaptations.")
        )
    errors = Errors()
    country = country_checks.country(errors, "country", data.get("country"))
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
        errors["account"] = [length_message(3000)]
    errors.raise_if_any()
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
        raise ValidationError({"message": [length_message(3000)]})
    stamp = timezone.now().isoformat()
    sent = 0
    with transaction.atomic():
        for rep in representatives_of(practice.organisation_id):
            queue_email(
                key=f"practice.contact:{practice.pk}:{user.pk}:{stamp}:{rep.user_id}",
                to=rep.user,
                template="knowledge/emails/contact",
                context={
                    "practice": practice,
                    "sender": user,
                    "message": message,
                    "url": page_url("knowledge:detail", practice.pk),
                },
            )
            sent += 1
        log_event("practice.contacted", practice, actor=user, recipients=sent)
    return sent
