"""This app's part of the demo dataset: requests and offers from demo members, an interest
accepted into a partnership with deliverables and a report, an overdue partnership, funding
calls for LDCs, SIDS and Africa, and a tracked application. Texts are written for the demo."""

import random
from datetime import timedelta

from django.utils import timezone

from concord.organisations.models import Organisation
from concord.partnerships import vectors
from concord.partnerships.models import Partner, Partnership, ProgressReport, TextVector
from concord.partnerships.services.funding import create_funding_call, track_application
from concord.partnerships.services.interests import accept_interest, express_interest
from concord.partnerships.services.partnerships import add_deliverable, file_progress_report
from concord.partnerships.services.requests import post_request

REQUESTS = [
    # country, kind, purpose, title, description, themes, sdgs, countries, languages
    ("SN", "request", "knowledge_exchange", "Exchange on mangrove restoration methods",
     "We replant mangroves in the Saloum delta with women oyster harvesters and seek partners "
     "who restore mangroves elsewhere, to compare nursery methods and survival rates.",
     ["oceans-coasts", "adaptation"], [13, 14], ["MZ", "BD"], ["fr", "pt", "en"]),
    ("BD", "request", "consortium", "Consortium for a cyclone early-warning application",
     "A consortium of three to five NGOs for a joint application on community-led cyclone "
     "and flood early warning in coastal deltas.",
     ["disaster-risk-reduction"], [11, 13], ["BD", "MM", "PH"], ["en"]),
    ("KE", "request", "mentoring", "Mentor for our first adaptation fund proposal",
     "We are a women-led network preparing our first proposal to an adaptation fund and seek "
     "a mentor organisation that has been through it.",
     ["climate-finance", "gender-inclusion"], [5, 13], [], ["en", "sw"]),
    ("PE", "request", "peer_training", "Peer training on solar pumping for irrigation",
     "Highland farmer associations want to learn how to install and maintain solar water "
     "pumps for small-scale irrigation.",
     ["energy", "water", "food-agriculture"], [2, 6, 7], ["PE", "BO"], ["es"]),
]  # fmt: skip
OFFERS = [
    ("MZ", "offer", "knowledge_exchange", "Mangrove nursery techniques from Beira",
     "We offer field visits and guides on mangrove nurseries, replanting and monitoring.",
     ["oceans-coasts"], [14], ["MZ"], ["pt", "en"]),
    ("BO", "offer", "peer_training", "Solar installers' training for rural technicians",
     "Our technicians train others to install and maintain solar systems in rural areas.",
     ["energy", "education"], [4, 7], ["BO", "PE"], ["es"]),
    ("PH", "offer", "mentoring", "Mentoring on disaster preparedness plans",
     "We mentor community organisations writing barangay disaster preparedness plans.",
     ["disaster-risk-reduction"], [11, 13], ["PH"], ["en"]),
]  # fmt: skip
CALLS = [
    {
        "title": "Community adaptation small grants for LDCs",
        "funder": "Least Developed Countries Adaptation Facility (demo)",
        "instrument": "grant", "amount_min": 20000, "amount_max": 100000, "currency": "USD",
        "days": 45, "deadline_timezone": "UTC", "eligible_groups": ["ldc"],
        "themes": ["adaptation", "food-agriculture", "water"],
    },
    {
        "title": "Island resilience fund",
        "funder": "Blue Pacific Partnership (demo)",
        "instrument": "grant", "amount_min": 10000, "amount_max": 60000, "currency": "FJD",
        "days": 10, "deadline_timezone": "Pacific/Fiji", "eligible_groups": ["sids"],
        "themes": ["oceans-coasts", "disaster-risk-reduction"],
    },
    {
        "title": "Clean energy access loans for African NGOs",
        "funder": "Pan-African Green Bank (demo)",
        "instrument": "concessional_loan", "amount_min": 50000, "amount_max": 500000,
        "currency": "XOF", "days": 60, "deadline_timezone": "Africa/Dakar",
        "eligible_regions": ["002"], "themes": ["energy"],
    },
    {
        "title": "South-South climate innovation prize",
        "funder": "Global South Climate Foundation (demo)",
        "instrument": "prize", "amount_min": 5000, "amount_max": 25000, "currency": "EUR",
        "days": 90, "deadline_timezone": "Europe/Paris", "open_to_all": True, "themes": [],
    },
]  # fmt: skip


def _member_in(country: str, taken: set[int]) -> Organisation | None:
    organisation = (
        Organisation.objects.filter(status=Organisation.Status.MEMBER, country_id=country)
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    if organisation is not None:
        taken.add(organisation.pk)
    return organisation


def _representative(organisation: Organisation):
    return organisation.representatives.select_related("user").order_by("pk").first().user


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    taken: set[int] = set()
    posted = {}
    for country, kind, purpose, title, description, themes, sdgs, countries, languages in (
        REQUESTS + OFFERS
    ):
        organisation = _member_in(country, taken)
        if organisation is None:
            continue
        posted[title] = post_request(
            _representative(organisation),
            organisation,
            {
                "kind": kind, "purpose": purpose, "title": title, "description": description,
                "themes": themes, "sdgs": sdgs, "countries": countries, "languages": languages,
            },
        )  # fmt: skip

    partnerships = reports = 0
    mangroves = posted.get(REQUESTS[0][3])
    nursery = posted.get(OFFERS[0][3])
    if mangroves and nursery:
        helper = nursery.organisation
        interest = express_interest(
            _representative(helper),
            helper,
            mangroves,
            "Our Beira team has run mangrove nurseries for ten years; we would be glad to host "
            "your harvesters and visit the Saloum delta.",
        )
        partnership = accept_interest(_representative(mangroves.organisation), interest)
        lead = _representative(mangroves.organisation)
        today = timezone.localdate()
        for title, target, unit, days in [
            ("Mangrove seedlings raised in the two nurseries", 20000, "seedlings", 200),
            ("Exchange visits between Saloum and Beira", 2, "visits", 300),
            ("Hectares replanted and monitored", 15, "hectares", 540),
        ]:
            add_deliverable(
                lead, partnership,
                {"title": title, "target": target, "unit": unit, "due_on": today + timedelta(days=days)},
            )  # fmt: skip
        file_progress_report(
            lead,
            partnership,
            year=today.year,
            summary="Both nurseries are running; the first exchange visit took place in Beira.",
            achieved={d.pk: d.target / 2 for d in partnership.deliverables.all()},
        )
        partnerships, reports = partnerships + 1, reports + 1

    # A partnership whose yearly report is overdue (started 15 months ago, none filed), and an
    # inactive one (last report more than two years ago).
    for title, started_days, reported_days in [
        ("Solar pumps for highland cooperatives", 460, None),
        ("Delta flood mapping with youth volunteers", 1200, 800),
    ]:
        pair = [
            o for o in (_member_in(c, taken) for c in ("BO", "BD", "PE", "NP", "KE", "GH")) if o
        ][:2]
        if len(pair) < 2:
            continue
        started_on = timezone.localdate() - timedelta(days=started_days)
        # Both partners accepted when it began, so it is listed (and can be shown as late).
        agreed_at = timezone.now() - timedelta(days=started_days)
        partnership = Partnership.objects.create(
            title=title,
            goals="Share methods and train volunteers in each other's communities.",
            started_on=started_on,
            created_by=secretariat,
            agreed_at=agreed_at,
        )
        for organisation, role in ((pair[0], "lead"), (pair[1], "partner")):
            Partner.objects.create(
                partnership=partnership, organisation=organisation, role=role,
                answer=Partner.Answer.ACCEPTED, answered_by=_representative(organisation),
                answered_at=agreed_at,
            )  # fmt: skip
        if reported_days:
            reported = timezone.localdate() - timedelta(days=reported_days)
            ProgressReport.objects.create(
                partnership=partnership, year=reported.year, summary="First year done.",
                submitted_on=reported,
            )  # fmt: skip
            reports += 1
        partnerships += 1

    calls = 0
    for spec in CALLS:
        data = dict(spec)
        days = data.pop("days")
        data["deadline"] = (timezone.now() + timedelta(days=days)).replace(
            tzinfo=None, minute=0, second=0, microsecond=0
        )
        data["link"] = "https://example.org/funding/" + str(calls + 1)
        data["description"] = "A demo call: " + data["title"].lower() + "."
        call = create_funding_call(secretariat, data)
        calls += 1
        if spec.get("eligible_regions") and mangroves:
            track_application(
                _representative(mangroves.organisation), mangroves.organisation, call, "preparing"
            )

    # Matching compares descriptions: embed the members' once the demo is committed.
    for pk in (
        Organisation.objects.filter(status=Organisation.Status.MEMBER)
        .exclude(description="")
        .values_list("pk", flat=True)
    ):
        vectors.embed_after_commit(TextVector.Subject.ORGANISATION, pk)
    return {
        "partnership requests and offers": len(posted),
        "partnerships": partnerships,
        "progress reports": reports,
        "funding calls": calls,
    }
