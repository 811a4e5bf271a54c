"""The demo dataset: a believable, deterministic coalition for `make run` and for trying things.

Names of organisations and people are generated from word lists; none is a real person.
Each app adds its part in `<app>/demo.py`; this module, at the top of the layering, calls them
in dependency order.
"""

import random

from django.db import transaction

from concord.accounts.demo import DEMO_ADMIN_EMAIL, demo_password, verified_user
from concord.accounts.models import User
from concord.declarations import demo as declarations_demo
from concord.events import demo as events_demo
from concord.groups import demo as groups_demo
from concord.knowledge import demo as knowledge_demo
from concord.mailings import demo as mailings_demo
from concord.organisations import demo as organisations_demo
from concord.organisations.demo import DEMO_ORG_ADMIN_EMAIL
from concord.organisations.models import Organisation, Representative
from concord.partnerships import demo as partnerships_demo
from concord.results import demo as results_demo

SEED = 2024


def is_empty() -> bool:
    return not (User.objects.exists() or Organisation.objects.exists())


@transaction.atomic
def _sweep_people() -> list[User]:
    """The demo's organisation admin and a representative join the groups (see groups/demo.py)."""
    admin = User.objects.filter(email=DEMO_ORG_ADMIN_EMAIL).first()
    found = (
        Representative.objects.filter(organisation__status="member", role="representative")
        .exclude(user__representations__role="admin")
        .first()
    )
    return [user for user in (admin, found.user if found else None) if user]


def build_demo(size: int = 500) -> dict[str, int]:
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
    counts |= mailings_demo.build(rng, secretariat=secretariat)
    counts |= groups_demo.build(rng, secretariat=secretariat, people=_sweep_people())
    return counts
