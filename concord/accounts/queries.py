"""Reads for accounts."""

from django.utils import timezone

from concord.accounts.models import ApiToken, User, hash_token


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None. Marks the token as used."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute, so a busy client does not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
