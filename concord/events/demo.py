"""Demo events: a COP side event in Baku (past, with check-ins, where the demo's Baku Call
was adopted), a South-South cooperation conference for NGOs with a programme and a waiting
list, a national NGO forum and an online workshop. Participants are the demo's member
representatives (generated names); rows are written directly, so the demo sends no email.
"""

import random
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from concord.core.models import Theme
from concord.events.models import CheckIn, CheckInKit, CheckInScan, Event, Outcome, Registration
from concord.events.services.programme import EventInput, add_question, add_session, create_event
from concord.organisations.models import Organisation, Representative


def _event(secretariat, organisations, **fields) -> Event:
    event = create_event(
        secretariat,
        EventInput(organisation_ids=[o.pk for o in organisations], **fields),
    )
    return event


def _register(rng, event: Event, people, *, confirmed: int, waiting: int = 0) -> list:
    """Registrations of a random sample of people (some go to several events)."""
    rows = []
    now = timezone.now()
    chosen = rng.sample(people, min(len(people), confirmed + waiting))
    confirmed = min(confirmed, len(chosen) - min(waiting, len(chosen) // 5))
    for index, representative in enumerate(chosen):
        user, organisation = representative.user, representative.organisation
        on_list = index >= confirmed
        rows.append(
            Registration(
                event=event,
                user=user,
                email=user.email,
                name=user.name or user.email,
                country_id=organisation.country_id,
                organisation=organisation if rng.random() < 0.8 else None,
                status=Registration.Status.WAITING if on_list else Registration.Status.CONFIRMED,
                listed=rng.random() < 0.7,
                language=user.language,
                badge_nonce=secrets.token_hex(8),
                waiting_since=now + timedelta(seconds=index) if on_list else None,
            )
        )
    return Registration.objects.bulk_create(rows)


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    members = list(Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("pk"))
    people = list(
        Representative.objects.filter(organisation__status=Organisation.Status.MEMBER)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    if not members or not people:
        return {"events": 0, "registrations": 0}
    soon = (timezone.now() + timedelta(days=45)).replace(tzinfo=None, second=0, microsecond=0)

    # Co-hosted by a member from the host country and one from elsewhere.
    hosts = [m for m in members if m.country_id == "AZ"][:1]
    hosts += rng.sample([m for m in members if m.country_id != "AZ"], 2 - len(hosts))
    baku = _event(
        secretariat,
        hosts,
        slug="cop29-side-event-baku",
        title="Climate finance that reaches communities: a Global South NGO side event at COP29",
        kind=Event.Kind.SIDE_EVENT,
        format=Event.Format.IN_PERSON,
        starts_at=datetime(2024, 11, 14, 13, 15),
        ends_at=datetime(2024, 11, 14, 14, 45),
        time_zone="Asia/Baku",
        venue="Baku Olympic Stadium, Blue Zone, side-event room 4",
        city="Baku",
        country="AZ",
        languages=["en", "fr", "ar", "ru", "az"],
        capacity=120,
        description="Member organisations from four regions present how communities use "
        "climate finance, and adopt the Baku Call.",
    )
    past = _register(rng, baku, people, confirmed=112)
    CheckIn.objects.bulk_create(
        CheckIn(
            registration=registration,
            event=baku,
            checked_in_by=secretariat,
            door="Blue Zone" if index % 3 else "Side entrance",
        )
        for index, registration in enumerate(past[:87])
    )
    # The declaration model through the outcome's own link to it: events import no declarations.
    declarations = Outcome.declaration.field.related_model._default_manager
    adopted = declarations.filter(slug="baku-call").first()
    if adopted is not None:
        Outcome.objects.create(event=baku, declaration=adopted)

    kenyan = [m for m in members if m.country_id == "KE"][:1]
    conference = _event(
        secretariat,
        kenyan + rng.sample([m for m in members if m not in kenyan], 3 - len(kenyan)),
        slug="south-south-ngo-conference",
        title="South-South Cooperation Conference for NGOs",
        kind=Event.Kind.CONFERENCE,
        format=Event.Format.HYBRID,
        starts_at=soon.replace(hour=9, minute=0),
        ends_at=(soon + timedelta(days=1)).replace(hour=17, minute=30),
        time_zone="Africa/Nairobi",
        venue="UN Gigiri complex, conference room 2",
        city="Nairobi",
        country="KE",
        online_link="https://meet.example.org/south-south-ngo-conference",
        languages=["en", "fr", "ar", "es", "pt", "sw"],
        capacity=60,
        description="Two days on peer learning between NGOs of the Global South: what "
        "travels from one country to another, and how to fund it.",
    )
    themes = list(Theme.objects.all()[:6])
    programme = [
        (
            0,
            9,
            0,
            10,
            0,
            "Opening plenary: why South-South cooperation between NGOs",
            "Plenary hall",
        ),
        (0, 10, 30, 12, 0, "Peer learning that works: three partnerships", "Room 2"),
        (0, 14, 0, 15, 30, "Funding cooperation: pooled funds and small grants", "Room 2"),
        (1, 9, 30, 11, 0, "Workshop: writing a joint proposal", "Room 5"),
        (1, 11, 30, 13, 0, "Data we share: counting results across countries", "Room 5"),
        (1, 15, 0, 17, 0, "Closing plenary and adoption of the outcome document", "Plenary hall"),
    ]
    for day, h1, m1, h2, m2, title, room in programme:
        date = soon + timedelta(days=day)
        add_session(
            secretariat,
            conference,
            title=title,
            starts_at=date.replace(hour=h1, minute=m1),
            ends_at=date.replace(hour=h2, minute=m2),
            room=room,
            speakers=", ".join(p.user.name for p in rng.sample(people, 2)),
            organisation_ids=[o.pk for o in rng.sample(members, 1)],
            topic_ids=[t.pk for t in rng.sample(themes, min(2, len(themes)))],
        )
    add_question(
        secretariat,
        conference,
        label="Will you attend in person?",
        kind="yes_no",
        choices=[],
        required=True,
    )
    add_question(
        secretariat,
        conference,
        label="Which workshop do you choose?",
        kind="choice",
        choices=["Joint proposals", "Shared data"],
        required=False,
    )
    full = _register(rng, conference, people, confirmed=60, waiting=9)

    forum = _event(
        secretariat,
        [m for m in members if m.country_id == "SN"][:1] or rng.sample(members, 1),
        slug="forum-national-ong-senegal",
        title="Forum national des ONG du Sénégal",
        kind=Event.Kind.FORUM,
        format=Event.Format.IN_PERSON,
        starts_at=(soon - timedelta(days=20)).replace(hour=9, minute=0),
        ends_at=(soon - timedelta(days=20)).replace(hour=18, minute=0),
        time_zone="Africa/Dakar",
        venue="Centre international de conférences Abdou Diouf",
        city="Diamniadio",
        country="SN",
        languages=["fr"],
    )
    national = _register(rng, forum, people, confirmed=40)

    workshop = _event(
        secretariat,
        rng.sample(members, 1),
        slug="online-workshop-loss-and-damage",
        title="Online workshop: applying to the loss and damage fund",
        kind=Event.Kind.WORKSHOP,
        format=Event.Format.ONLINE,
        starts_at=(soon - timedelta(days=35)).replace(hour=12, minute=0),
        ends_at=(soon - timedelta(days=35)).replace(hour=14, minute=0),
        time_zone="UTC",
        online_link="https://meet.example.org/loss-and-damage",
        languages=["en", "fr"],
        capacity=100,
    )
    online = _register(rng, workshop, people, confirmed=35)
    Event.objects.filter(pk=baku.pk).update(
        registration_closes_at=datetime(2024, 11, 13, 18, 0, tzinfo=UTC)
    )
    forum = _forum_today(rng, secretariat, members, people)
    registrations = len(past) + len(full) + len(national) + len(online) + forum
    return {"events": 5, "registrations": registrations}


def _forum_today(rng: random.Random, secretariat, members, people) -> int:
    """Forum mode: a forum in Khankendi under way today, whose doors check badges in with
    an offline kit; two door phones synced their scans, and a few badges were read at
    both doors (one check-in, two scans)."""
    hosts = [m for m in members if m.country_id == "AZ"][:1] or rng.sample(members, 1)
    today = datetime.now(ZoneInfo("Asia/Baku")).replace(tzinfo=None, second=0, microsecond=0)
    forum = _event(
        secretariat,
        hosts,
        slug="khankendi-ngo-forum",
        title="Khankendi NGO Forum: rebuilding communities together",
        kind=Event.Kind.FORUM,
        format=Event.Format.IN_PERSON,
        starts_at=today.replace(hour=0, minute=0),
        ends_at=today.replace(hour=23, minute=30),
        time_zone="Asia/Baku",
        venue="Karabakh University, main hall",
        city="Khankendi",
        country="AZ",
        languages=["az", "en", "ru"],
        capacity=300,
        description="Member organisations meet local NGOs on housing, water and schools; "
        "the hall's network fails often, so the doors check badges in offline.",
    )
    rows = _register(rng, forum, people, confirmed=60)
    kit = CheckInKit.objects.create(
        event=forum,
        key=f"{rng.getrandbits(256):064x}",
        created_by=secretariat,
        expires_at=timezone.now() + timedelta(hours=48),
    )
    arrived = rows[:24]
    checkins = CheckIn.objects.bulk_create(
        CheckIn(
            registration=row,
            event=forum,
            checked_in_by=secretariat,
            door="North" if index % 2 else "South",
        )
        for index, row in enumerate(arrived)
    )
    now = timezone.now()
    scans = []
    for index, checkin in enumerate(checkins):
        doors = ["North", "South"] if index < 3 else [checkin.door]
        for door in doors:
            scans.append(
                CheckInScan(
                    event=forum,
                    checkin=checkin,
                    kit=kit,
                    client_id=f"demo-{checkin.registration_id}-{door}",
                    device=f"door-phone-{door.lower()}",
                    door=door,
                    scanned_at=now - timedelta(minutes=90 - index * 3),
                    scanned_by=secretariat,
                )
            )
    CheckInScan.objects.bulk_create(scans)
    return len(rows)
