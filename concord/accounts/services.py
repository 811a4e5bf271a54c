"""Write paths for accounts: tokens, preferences, and forgetting a person."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import ApiToken, User, hash_token
from concord.core.audit import log_event


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    name = (name or "").strip()[:80] or "API token"
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_token(secret), hint=secret[:10]
        )
        log_event("api_token.created", token, actor=user, name=name)
    return token, secret


def revoke_api_token(user: User, token_id: int) -> bool:
    with transaction.atomic():
        token = ApiToken.objects.filter(user=user, pk=token_id).first()
        if token is None:
            return False
        log_event("api_token.revoked", token, actor=user, name=token.name)
        token.delete()
    return True


def set_preferences(user: User, *, name: str, language: str) -> None:
    user.name = name.strip()
    user.language = language
    user.save(update_fields=["name", "language"])


def end_sessions(user: User) -> int:
    """Delete every live session signed in as `user` (on any device). Sessions are stored
    opaque, so each is decoded; the cost is paid only when a person leaves."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def forget_person(user: User) -> None:
    """Erase the account itself, last of all (the other apps have let go of it first): its
    sessions, tokens, addresses, two-factor authenticators and the row. The audit log keeps
    that an account went, never whose address it had."""
    with transaction.atomic():
        end_sessions(user)
        user.api_tokens.all().delete()
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        log_event("account.deleted", user)
        user.delete()
