"""Demo accounts: the secretariat's sign-in and verified people for every app's demo part."""

import os

from allauth.account.models import EmailAddress

from concord.accounts.models import User

DEMO_ADMIN_EMAIL = "secretariat@concord.example"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "concord-demo")


def verified_user(
    email: str,
    name: str,
    *,
    staff: bool = False,
    password: str | None = None,
    language: str = "en",
):
    """A person whose address counts as verified: with a password they can sign in at once;
    without one they cannot sign in at all (`set_password(None)` makes it unusable)."""
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        is_staff=staff,
        is_superuser=staff,
        language=language,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
