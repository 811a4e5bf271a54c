"""The demo dataset: a believable, deterministic coalition for `make run` and for trying things.

Names of organisations and people are generated from word lists; none is a real person.
Each app adds its part in `<app>/demo.py`; this module calls them in dependency order.
"""

import os
import random

from django.db import transaction

DEMO_ADMIN_EMAIL = "secretariat@concord.example"
DEMO_ORG_ADMIN_EMAIL = "amina.diallo@concord.example"
SEED = 2024


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "concord-demo")


def is_empty() -> bool:
    from concord.accounts.models import User
    from concord.organisations.models import Organisation

    return not (User.objects.exists() or Organisation.objects.exists())


def verified_user(email: str, name: str, *, staff: bool = False, password: str | None = None):
    """An account that can sign in at once (its address counts as verified)."""
    from allauth.account.models import EmailAddress

    from concord.accounts.models import User

    user = User.objects.create_user(
        email=email, password=password, name=name, is_staff=staff, is_superuser=staff
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def build_demo(size: int = 500) -> dict[str, int]:
    from concord.declarations import demo as declarations_demo
    from concord.events import demo as events_demo
    from concord.knowledge import demo as knowledge_demo
    from concord.organisations import demo as organisations_demo
    from concord.partnerships import demo as partnerships_demo
    from concord.results import demo as results_demo

    rng = random.Random(SEED)
    secretariat = verified_user(
        DEMO_ADMIN_EMAIL, "Leyla Mammadova", staff=True, password=demo_password()
    )
    counts = organisations_demo.build(rng, size=size, secretariat=secretariat)
    counts |= declarations_demo.build(rng, secretariat=secretariat)
    counts |= knowledge_demo.build(rng, secretariat=secretariat)
    counts |= events_demo.build(rng, secretariat=secretariat)
    counts |= results_demo.build(rng, secretariat=secretariat)
    counts |= partnerships_demo.build(rng, secretariat=secretariat)
    return counts
