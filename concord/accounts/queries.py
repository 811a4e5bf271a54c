"""Reads for accounts."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from concord.accounts.models import ApiToken, User, hash_token, normalise_email


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


def verified_addresses(user) -> list[str]:
    """The addresses a signed-in person has proved are theirs (allauth's verified rows),
    normalised as signatures store them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({normalise_email(email) for email in emails})


def owns_address(user, email: str) -> bool:
    return bool(email) and normalise_email(email) in verified_addresses(user)
