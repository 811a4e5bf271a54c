"""Write paths for accounts: tokens and preferences."""

import secrets

from django.db import transaction

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
