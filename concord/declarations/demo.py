"""Demo declarations: one published (in the nine languages of the interface), one open and
collecting signatures (written first in Spanish), one draft (English and Swahili).

Signatories are the demo's member organisations (signing through their representatives) and
generated individuals; no name belongs to a real person. Texts are written for the demo.
Some signatures were brought by the share links of a few members (`BROUGHT_BY`), mostly from
their own country, so the "Brought by" figures have something to show.
"""

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from concord.declarations import counting, demo_drafting
from concord.declarations.log import entries as log
from concord.declarations.log import sealing
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import lifecycle
from concord.organisations import demo as organisations_demo
from concord.organisations.models import Organisation, Representative

DATA = Path(__file__).resolve().parent / "data" / "demo_declarations.json"
DEMO_DAY = datetime(2024, 11, 15, 8, 0, tzinfo=UTC)
# The countries of the members whose share links brought signatures (Maputo, Bishkek, Dhaka).
BROUGHT_BY = ("MZ", "KG", "BD")


def _share_links(members: list[Organisation]) -> dict[str, Organisation]:
    """One member organisation per country of BROUGHT_BY (the first by name), if any."""
    found: dict[str, Organisation] = {}
    for organisation in sorted(members, key=lambda organisation: organisation.name):
        if organisation.country_id in BROUGHT_BY:
            found.setdefault(organisation.country_id, organisation)
    return found


def _brought_by(
    credit: random.Random, links: dict[str, Organisation], country: str
) -> Organisation | None:
    """Nearly half of the signers of a sharing member's country came by its link, and a few
    from elsewhere. (A random source of its own: the rest of the demo stays as it was.)"""
    if country in links and credit.random() < 0.45:
        return links[country]
    if links and credit.random() < 0.03:
        return links[credit.choice(sorted(links))]
    return None


def _declaration(secretariat, slug: str, **fields) -> Declaration:
    texts = json.loads(DATA.read_text(encoding="utf-8"))["declarations"][slug]
    original = next(iter(texts))  # the first text is the one the others translate
    declaration = lifecycle.create_declaration(
        secretariat, slug=slug, language=original, **texts[original], **fields
    )
    for language, version in texts.items():
        if language != original:
            lifecycle.set_text(secretariat, declaration, language=language, **version)
    return declaration


def _forum_channels(rows: list[Signature]) -> None:
    """Some signatures given at a forum: on the kiosk tablet at the hall's entrance, and on
    phones without network that sent them later (device time kept, some minutes before).
    Chosen by position, so the rest of the demo stays as it was."""
    for index, row in enumerate(rows):
        if row.source != Signature.Source.WEB:
            continue
        if index % 6 == 1:
            row.source = Signature.Source.KIOSK
        elif index % 6 == 4:
            row.source = Signature.Source.SYNCED
            row.signed_on_device_at = row.confirmed_at - timedelta(minutes=5 + index % 90)


def _signatures(
    rng: random.Random,
    declaration: Declaration,
    size: int,
    start: datetime,
    hours: int,
    forum: bool = False,
):
    members = list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER).select_related("country")
    )
    admins = {
        rep.organisation_id: rep
        for rep in Representative.objects.filter(role="admin").select_related("user")
    }
    # A signer reads the version in their language when there is one (a "zh-hans" reader
    # gets the "zh" text), else the original: `text_for` decides, once per language.
    version_of: dict[str, str] = {}

    def version(language: str) -> str:
        if language not in version_of:
            found = declaration.text_for(language)
            version_of[language] = found.language if found else declaration.original_language
        return version_of[language]

    links = _share_links(members)
    credit = random.Random(f"via:{declaration.slug}")
    rows, seen = [], set()
    for index in range(size):
        confirmed = start + timedelta(minutes=rng.triangular(0, hours * 60, hours * 6))
        if index < len(members) * 0.6 and rng.random() < 0.8:
            organisation = rng.choice(members)
            rep = admins.get(organisation.pk)
            if rep is None or rep.user.email in seen:
                continue
            email, name, country = rep.user.email, rep.user.name, organisation.country_id
            kind, role, org_name = "organisation", rep.title, organisation.name
            language = rep.user.language
        else:
            # Individuals come from the members' countries, with names of those countries.
            country = rng.choice(members).country_id
            name, first, last, _gender = organisations_demo.person(rng, country)
            email = f"{first}.{last}.{index}@signers.example.org"
            kind, role, org_name = "individual", "", ""
            naming = organisations_demo.countries()[country]["names"][0]
            language = organisations_demo.interface_language(naming)
        seen.add(email)
        source = rng.choice(["web", "web", "web", "member", "offline"])
        rows.append(
            Signature(
                declaration=declaration,
                email=email,
                name=name,
                country_id=country,
                kind=kind,
                organisation_name=org_name,
                role=role,
                show_name=rng.random() < 0.85,
                language=version(language),
                status=Signature.Status.CONFIRMED,
                confirmed_at=confirmed,
                source=source,
                collected_by="Secretariat desk, Baku" if index % 9 == 0 else "",
                via=_brought_by(credit, links, country),
            )
        )
    if forum:
        _forum_channels(rows)
    Signature.objects.bulk_create(rows, batch_size=2000)
    counting.recount(declaration)
    # The log as it would have grown: a signed head every few hundred signatures.
    rows.sort(key=lambda row: row.confirmed_at)
    for first in range(0, len(rows), 250):
        chunk = rows[first : first + 250]
        for source, event in ((False, log.Event.CONFIRMED), (True, log.Event.IMPORTED)):
            log.record([r for r in chunk if (r.source == "offline") == source], event)
        sealing.seal(declaration, send_receipts=False)
    return len(rows)


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    published = _declaration(
        secretariat, "baku-call", adopted_at="NGO forum at COP29, Baku", goal_signatures=1000
    )
    cosponsors = demo_drafting.cosponsor(secretariat, published)
    published = lifecycle.open_declaration(secretariat, published)
    count = _signatures(rng, published, 1400, DEMO_DAY, hours=24 * 12)
    Declaration.objects.filter(pk=published.pk).update(goal_reached_at=DEMO_DAY + timedelta(days=6))
    published = lifecycle.close_declaration(secretariat, published)
    published = lifecycle.publish_declaration(secretariat, published)
    responses = demo_drafting.answers(
        secretariat, published, (DEMO_DAY + timedelta(days=13)).date()
    )

    open_now = _declaration(
        secretariat, "water-and-cities", goal_countries=100, eligibility="anyone"
    )
    open_now = lifecycle.open_declaration(secretariat, open_now)
    recent = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=5)
    # Part of it signed at the forums of the World Urban Forum's season (kiosk, offline).
    count += _signatures(rng, open_now, 380, recent, hours=24 * 5, forum=True)

    draft = _declaration(secretariat, "youth-forum-2027", eligibility="members")
    proposed = demo_drafting.draft_together(secretariat, draft)
    return {
        "declarations": 3,
        "signatures": count,
        "co-sponsors": cosponsors,
        "amendments": proposed,
        "responses": responses,
    }
