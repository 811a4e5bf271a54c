"""A fresh confirmation link for a pending signer who asks again (the page and the API)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import normalise_email
from concord.core.emails import queue_prepared
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import confirmation_mail
from concord.declarations.services.signing import hash_token


def resend_confirmation(declaration: Declaration, email: str, language: str = "") -> None:
    """Send a fresh link to a pending signer, in the `language` they ask in. Says nothing
    about whether the address signed."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .filter(declaration=declaration, email=normalise_email(email or ""))
            .first()
        )
        if signature is None or signature.status != Signature.Status.PENDING:
            return
        if "honeypot" in signature.flags.split(","):
            return
        if signature.confirmations_sent >= settings.SIGNATURE_MAX_CONFIRMATIONS:
            return
        token = secrets.token_urlsafe(24)
        signature.token_hash = hash_token(token)
        signature.token_expires_at = timezone.now() + timedelta(
            hours=settings.SIGNATURE_CONFIRM_HOURS
        )
        signature.confirmations_sent += 1
        signature.save(update_fields=["token_hash", "token_expires_at", "confirmations_sent"])
        queue_prepared(confirmation_mail.confirmation_email(signature, token, language))
