"""This app's part of the demo dataset: requests and offers from demo members (each by the
anchor member of its city, in its language), an interest accepted into a partnership with
deliverables and a report, a late and an inactive partnership, funding calls (LDCs, SIDS,
Africa, the Sahel, Central Asia, everyone) and a tracked application. Texts are written for
the demo."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from concord.organisations import demo as organisations_demo
from concord.organisations.models import Organisation
from concord.partnerships import vectors
from concord.partnerships.models import Partner, Partnership, ProgressReport, TextVector
from concord.partnerships.services.funding import create_funding_call, track_application
from concord.partnerships.services.interests import accept_interest, express_interest
from concord.partnerships.services.partnerships import add_deliverable, file_progress_report
from concord.partnerships.services.requests import post_request

DATA = Path(__file__).resolve().parent / "data" / "demo_partnerships.json"


def _representative(organisation: Organisation):
    return organisation.representatives.select_related("user").order_by("pk").first().user


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    posted = {}
    for entry in data["requests"] + data["offers"]:
        post = dict(entry)
        where = [post.pop(key) for key in ("country", "city", "anchor_themes")]
        organisation = organisations_demo.member(*where)
        if organisation is None:
            continue
        posted[post["title"]] = post_request(_representative(organisation), organisation, post)

    partnerships = reports = 0
    mangroves = posted.get(data["requests"][0]["title"])
    nursery = posted.get(data["offers"][0]["title"])
    if mangroves and nursery:
        helper = nursery.organisation
        interest = express_interest(
            _representative(helper),
            helper,
            mangroves,
            "Our team in Maputo has run mangrove nurseries with fishing communities for ten "
            "years; we would be glad to host your oyster harvesters and to visit the Saloum delta.",
        )
        partnership = accept_interest(_representative(mangroves.organisation), interest)
        lead = _representative(mangroves.organisation)
        today = timezone.localdate()
        for title, target, unit, days in [
            ("Plants de palétuviers produits dans les deux pépinières", 20000, "plants", 200),
            ("Visites d'échange entre le Saloum et Maputo", 2, "visites", 300),
            ("Hectares replantés et suivis", 15, "hectares", 540),
        ]:
            add_deliverable(
                lead, partnership,
                {"title": title, "target": target, "unit": unit, "due_on": today + timedelta(days=days)},
            )  # fmt: skip
        file_progress_report(
            lead,
            partnership,
            year=today.year,
            summary="Les deux pépinières fonctionnent ; la première visite d'échange a eu lieu "
            "à Maputo, avec six récoltantes d'huîtres du Saloum.",
            achieved={d.pk: d.target / 2 for d in partnership.deliverables.all()},
        )
        partnerships, reports = partnerships + 1, reports + 1

    for quiet in data["quiet_partnerships"]:
        pair = [organisations_demo.member(*quiet[side]) for side in ("lead", "partner")]
        if None in pair:
            continue
        started_days, reported_days = quiet["started_days"], quiet["reported_days"]
        started_on = timezone.localdate() - timedelta(days=started_days)
        # Both partners accepted when it began, so it is listed (and can be shown as late).
        agreed_at = timezone.now() - timedelta(days=started_days)
        partnership = Partnership.objects.create(
            title=quiet["title"],
            goals=quiet["goals"],
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
                partnership=partnership, year=reported.year, summary="First year done: "
                "volunteers trained on both sides and the first flood maps shared.",
                submitted_on=reported,
            )  # fmt: skip
            reports += 1
        partnerships += 1

    calls = 0
    for spec in data["calls"]:
        data = dict(spec)
        days = data.pop("days")
        data["deadline"] = (timezone.now() + timedelta(days=days)).replace(
            tzinfo=None, minute=0, second=0, microsecond=0
        )
        data["link"] = "https://example.org/funding/" + str(calls + 1)
        call = create_funding_call(secretariat, data)
        calls += 1
        if spec.get("eligible_regions") == ["002"] and mangroves:
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
