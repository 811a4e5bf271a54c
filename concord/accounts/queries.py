"""Reads for accounts."""

from collections.abc import Sequence

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
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
    """The addresses the person has proved are theirs (allauth's verified rows), normalised
    as signatures store them: only these may find rows kept by address (a signature made
    before signing in), so adding an unconfirmed address to an account never reaches anyone
    else's data."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        {
            normalise_email(address)
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def language_of_address(email: str) -> str:
    """The email language chosen by the account that proved `email` its own ("" when none
    did): only a verified address, so nobody sets the language of someone else's mail by
    adding their address to an account."""
    found = (
        EmailAddress.objects.filter(email=normalise_email(email), verified=True)
        .values_list("user__language", flat=True)
        .first()
    )
    return found or ""


def languages_of_addresses(emails: Sequence[str]) -> dict[str, str]:
    """`language_of_address` for many addresses with one query: the normalised addresses
    whose account chose a language, and that language."""
    found = EmailAddress.objects.filter(
        email__in={normalise_email(email) for email in emails}, verified=True
    ).values_list("email", "user__language")
    return {normalise_email(email): language for email, language in found if language}


def owns_address(user, email: str) -> bool:
    return bool(email) and normalise_email(email) in verified_addresses(user)


def personal_data(user: User) -> dict:
    """What accounts holds about the person, for their download (token secrets are never
    stored, so never shown)."""
    return {
        "account": {
            "name": user.name,
            "email": user.email,
            "language": user.language,
            "created": user.date_joined,
            "last_sign_in": user.last_login,
            "email_addresses": [
                {"email": row.email, "verified": row.verified, "primary": row.primary}
                for row in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "two_factor": sorted(
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
        },
        "api_tokens": [
            {"name": token.name, "created": token.created_at, "last_used": token.last_used_at}
            for token in user.api_tokens.all()
        ],
    }
