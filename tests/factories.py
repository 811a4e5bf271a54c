"""Factories for tests, in one place: people, organisations, personas."""

import itertools

from allauth.account.models import EmailAddress

from concord.accounts.models import User
from concord.organisations.models import Organisation, Representative

_sequence = itertools.count(1)


def make_user(
    email: str | None = None, *, staff: bool = False, password: str = "pass-word-42", **fields
) -> User:
    email = email or f"person{next(_sequence)}@example.org"
    user = User.objects.create_user(
        email=email,
        password=password,
        is_staff=staff,
        name=fields.pop("name", "Test Person"),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_organisation(
    *,
    name: str | None = None,
    country: str = "SN",
    status: str = "member",
    admin: User | None = None,
    **fields,
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name or f"Coastal Action Group {next(_sequence)}",
        country_id=country,
        status=status,
        **fields,
    )
    if admin is not None:
        Representative.objects.create(
            organisation=organisation, user=admin, role=Representative.Role.ADMIN
        )
    return organisation


def add_representative(
    organisation: Organisation, user: User, role: str = "representative"
) -> Representative:
    return Representative.objects.create(organisation=organisation, user=user, role=role)


# --- Partnerships ---------------------------------------------------------------------------


def make_partnership_request(organisation: Organisation, user: User | None = None, **data):
    """A request (or offer, kind="offer") posted through the service, as a page would."""
    from concord.partnerships.services import requests

    if user is None:
        representative = organisation.representatives.select_related("user").first()
        if representative is None:
            user = make_user()
            add_representative(organisation, user)
        else:
            user = representative.user
    data.setdefault("purpose", "knowledge_exchange")
    data.setdefault("title", "Partner sought for mangrove restoration")
    data.setdefault("description", "We restore mangroves with fishing communities.")
    return requests.post_request(user, organisation, data)


def make_funding_call(secretariat: User, **data):
    from datetime import timedelta

    from django.utils import timezone

    from concord.partnerships.services import funding

    data.setdefault("title", "Community adaptation grants")
    data.setdefault("funder", "Adaptation Fund")
    data.setdefault("instrument", "grant")
    data.setdefault("amount_min", 10000)
    data.setdefault("amount_max", 50000)
    data.setdefault("currency", "USD")
    data.setdefault("deadline", (timezone.now() + timedelta(days=30)).replace(tzinfo=None))
    data.setdefault("deadline_timezone", "UTC")
    data.setdefault("link", "https://example.org/call")
    return funding.create_funding_call(secretariat, data)


def make_practice(
    organisation: Organisation,
    *,
    title: str = "Mangrove belts against coastal erosion",
    summary: str = "Villagers replanted mangroves along the shore to slow erosion.",
    language: str = "en",
    status: str = "published",
    themes: tuple[str, ...] = ("oceans-coasts",),
    countries: tuple[str, ...] = ("SN",),
    setting: str = "coastal",
    **fields,
):
    """A case study; a published one is indexed for full text and, if the model is on, vectors."""
    from django.utils import timezone

    from concord.knowledge import search
    from concord.knowledge.models import Practice

    practice = Practice.objects.create(
        organisation=organisation,
        title=title,
        summary=summary,
        language=language,
        status=status,
        setting=setting,
        published_at=timezone.now() if status == "published" else None,
        **fields,
    )
    practice.themes.set(themes)
    practice.countries.set(countries)
    if status == "published":
        search.index_practice(practice.pk)
        search.compute_vectors(practice.pk)
    return practice


def make_event(created_by: User, **fields):
    """An event through the service (times are wall-clock at the venue unless aware)."""
    from datetime import datetime, timedelta

    from concord.events.services.programme import EventInput, create_event

    start = fields.pop("starts_at", None) or (datetime.now() + timedelta(days=30)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    data = EventInput(
        slug=fields.pop("slug", f"event-{next(_sequence)}"),
        title=fields.pop("title", "National NGO Forum"),
        kind=fields.pop("kind", "forum"),
        format=fields.pop("format", "in_person"),
        starts_at=start,
        ends_at=fields.pop("ends_at", None) or start + timedelta(hours=8),
        time_zone=fields.pop("time_zone", "Africa/Dakar"),
        city=fields.pop("city", "Dakar"),
        country=fields.pop("country", "SN"),
        **fields,
    )
    return create_event(created_by, data)
