"""Demo accounts: the secretariat's sign-in and verified people for every app's demo part."""

import os

from allauth.account.models import EmailAddress

from concord.accounts.models import User

DEMO_ADMIN_EMAIL = "secretariat@concord.example"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "concord-demo")


def verified_user(email: str, name: str, *, staff: bool = False, password: str | None = None):
    """An account that can sign in at once (its address counts as verified)."""
    user = User.objects.create_user(
        email=email, password=password, name=name, is_staff=staff, is_superuser=staff
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
