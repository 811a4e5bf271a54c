"""A person's data rights, assembled from every app: the download of all they hold about
the person, and the deletion of their account.

Each app reads and forgets its own rows (`queries.personal_data`, `forget_person` in its
services); only this top layer knows every app, so the assembly and the order live here.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from concord.accounts import queries as account_queries
from concord.accounts import services as account_services
from concord.accounts.models import User
from concord.core import audit, emails
from concord.declarations import queries as declaration_queries
from concord.declarations.services import erasure as declaration_erasure
from concord.events import queries as event_queries
from concord.events.services import erasure as event_erasure
from concord.knowledge import personal as knowledge_personal
from concord.organisations import erasure as organisation_erasure
from concord.organisations import queries as organisation_queries
from concord.partnerships import queries as partnership_queries
from concord.results import queries as results_queries


def personal_data(user: User, now: datetime | None = None) -> dict:
    addresses = account_queries.verified_addresses(user)
    return {
        "exported_at": now or timezone.now(),
        **account_queries.personal_data(user),
        **organisation_queries.personal_data(user),
        **declaration_queries.personal_data(user, addresses),
        **event_queries.personal_data(user),
        **knowledge_personal.personal_data(user),
        **partnership_queries.personal_data(user),
        **results_queries.personal_data(user),
    }


def check_can_delete(user: User) -> None:
    """Refused (409) while deleting would leave a member organisation without an admin."""
    organisation_erasure.check_can_forget(user)


def delete_account(user: User) -> None:
    """Erase the person everywhere, in one transaction: all of it or nothing. Organisations
    go first (they may refuse); the account row goes last, once nothing points at it."""
    # Only proved addresses: an unconfirmed one may be someone else's, whose mail and
    # signatures must not go with this account.
    addresses = account_queries.verified_addresses(user)
    with transaction.atomic():
        organisation_erasure.forget_person(user, addresses)
        declaration_erasure.forget_person(user, addresses)
        event_erasure.forget_person(user)
        emails.forget_recipient(addresses)
        audit.forget_address(addresses)
        account_services.forget_person(user)
