"""Demo projects of member organisations, with results, indicators, periods and updates.

Everything goes through the services, so the demo obeys the same rules as people do. Most
updates are approved (the dashboards show believable totals); some wait for review, so the
demo organisation admin (amina.diallo@concord.example) has something to approve.
"""

import random
from datetime import date
from decimal import Decimal

from concord.organisations.models import Organisation, Representative
from concord.results.services import framework, projects, updates

NEIGHBOURS = {
    "SN": "GM", "ML": "BF", "BF": "NE", "KE": "UG", "UG": "KE", "BD": "IN", "IN": "BD",
    "PE": "BO", "BO": "PE", "MZ": "MW", "GH": "TG", "NG": "NE", "EG": "SD", "PH": "ID",
}  # fmt: skip

PLANS = [
    {
        "title": "Mangrove belts for coastal villages in {place}",
        "summary": "Villagers replant and guard mangroves that shield homes and fish nurseries from storm surges.",
        "shared": "hectares-restored", "target": (20, 60), "sdgs": [13, 14, 15],
        "targets": ["13.1", "15.3"], "themes": ["adaptation", "oceans-coasts"],
        "adaptation": "2", "mitigation": "1", "result": "Coastline protected by restored mangroves",
        "output": "Nurseries run by women's groups", "output_unit": "nurseries",
    },
    {
        "title": "Early warnings by SMS and community radio, {place}",
        "summary": "Forecasts turned into warnings in local languages, relayed by volunteers, radio and SMS.",
        "shared": "people-early-warnings", "target": (2000, 9000), "sdgs": [11, 13],
        "targets": ["13.1", "11.5"], "themes": ["disaster-risk-reduction"],
        "adaptation": "2", "mitigation": "0", "result": "Households warned before floods and storms",
        "output": "Volunteers trained as warning relays", "output_unit": "volunteers",
    },
    {
        "title": "Solar irrigation for smallholders around {place}",
        "summary": "Diesel pumps replaced with solar pumps shared by farmer cooperatives.",
        "shared": "tonnes-co2e-avoided", "target": (40, 160), "sdgs": [2, 7, 13],
        "targets": ["7.2", "13.2"], "themes": ["energy", "food-agriculture"],
        "adaptation": "1", "mitigation": "2", "result": "Emissions avoided by solar pumping",
        "output": "Solar pumps installed", "output_unit": "pumps",
    },
    {
        "title": "Climate-smart farmer field schools, {place}",
        "summary": "Seasonal field schools on drought-tolerant seed, soil cover and water harvesting.",
        "shared": "people-trained", "target": (150, 600), "sdgs": [2, 4, 13],
        "targets": ["2.4", "13.3"], "themes": ["food-agriculture", "education"],
        "adaptation": "2", "mitigation": "0", "result": "Farmers using climate-smart practices",
        "output": "Field schools held", "output_unit": "schools",
    },
    {
        "title": "Rainwater harvesting for schools in {place}",
        "summary": "Tanks and gutters on school roofs, with pupils' water committees to keep them clean.",
        "shared": "people-clean-water", "target": (800, 3000), "sdgs": [6, 13],
        "targets": ["6.1"], "themes": ["water"],
        "adaptation": "2", "mitigation": "0", "result": "Pupils and neighbours with safe water",
        "output": "Tanks built", "output_unit": "tanks",
    },
]  # fmt: skip


def _people(organisation: Organisation):
    roles = {r.role: r.user for r in organisation.representatives.select_related("user")}
    return roles.get(Representative.Role.REPRESENTATIVE), roles.get(Representative.Role.ADMIN)


def _value(rng: random.Random, target: Decimal, share: float) -> Decimal:
    return Decimal(int(target * Decimal(str(share * rng.uniform(0.7, 1.1)))))


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    candidates = [
        o
        for o in Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("pk")[:60]
        if all(_people(o))
    ][:14]
    counts = {"projects": 0, "updates": 0}
    for index, organisation in enumerate(candidates):
        reporter, admin = _people(organisation)
        plan = PLANS[index % len(PLANS)]
        code = organisation.country_id
        neighbour = NEIGHBOURS.get(code)
        countries = [{"country": code, "percentage": 100}]
        if neighbour and rng.random() < 0.6:
            split = rng.choice([60, 70, 80])
            countries = [
                {"country": code, "percentage": split},
                {"country": neighbour, "percentage": 100 - split},
            ]
        ref = f"{code}-CONCORD-{organisation.pk:04d}"
        project = projects.create_project(
            admin,
            organisation,
            {
                "title": plan["title"].format(place=organisation.city or organisation.country_id),
                "summary": plan["summary"],
                "status": "2",
                "planned_start": date(2024, 1, 1),
                "planned_end": date(2026, 12, 31),
                "actual_start": date(2024, 2, 1),
                "themes": plan["themes"],
                "sdgs": plan["sdgs"],
                "sdg_targets": plan["targets"],
                "adaptation": plan["adaptation"],
                "mitigation": plan["mitigation"],
                "budget": Decimal(rng.randrange(20_000, 250_000, 500)),
                "currency": rng.choice(["USD", "EUR", "XOF"])
                if code in ("SN", "ML", "BF")
                else "USD",
                "organisation_iati_ref": ref,
                "iati_identifier": f"{ref}-P{index + 1:02d}",
                "countries": countries,
                "partners": [
                    {"name": "Green Climate Community Fund", "role": "1", "iati_ref": ""},
                    {"name": organisation.name, "role": "4", "iati_ref": ref},
                ],
            },
        )
        counts["projects"] += 1
        outcome = framework.add_result(admin, project, {"kind": "2", "title": plan["result"]})
        shared = framework.add_indicator(
            admin,
            outcome,
            {"shared": plan["shared"], "baseline_year": 2023, "baseline_value": 0,
             "cumulative": index % 4 == 3},
        )  # fmt: skip
        output = framework.add_result(admin, project, {"kind": "1", "title": plan["output"]})
        own = framework.add_indicator(
            admin, output, {"title": plan["output"], "unit": plan["output_unit"], "measure": "1"}
        )
        low, high = plan["target"]
        for year in (2024, 2025):
            target = Decimal(rng.randint(low, high))
            period = framework.add_period(
                admin,
                shared,
                {"start": date(year, 1, 1), "end": date(year, 12, 31), "target": target},
            )
            own_target = rng.randint(3, 12)
            own_period = framework.add_period(
                admin,
                own,
                {"start": date(year, 1, 1), "end": date(year, 12, 31), "target": own_target},
            )
            done = own_target if year == 2024 else max(1, own_target // 2)
            updates.approve_update(
                admin,
                updates.save_update(
                    reporter,
                    own_period,
                    {"value": done, "narrative": "Counted on site visits.", "submit": True},
                ),
            )
            counts["updates"] += 1
            halves = [0.5, 0.45] if year == 2024 else [0.4]
            if shared.cumulative:
                halves = [0.5, 0.95] if year == 2024 else [0.6]
            for share in halves:
                value = _value(rng, target, share)
                female = value * Decimal(rng.choice([40, 50, 60])) / 100
                update = updates.save_update(
                    reporter,
                    period,
                    {
                        "value": value,
                        "narrative": "Figures from the field team's monthly registers.",
                        "disaggregations": {"sex": {"female": female, "male": value - female}}
                        if plan["shared"].startswith("people")
                        else {},
                        "submit": True,
                    },
                )
                updates.approve_update(admin, update)
                counts["updates"] += 1
            if year == 2025:
                # One more, submitted and waiting for the admin.
                updates.save_update(
                    reporter,
                    period,
                    {
                        "value": _value(rng, target, 0.7 if shared.cumulative else 0.2),
                        "narrative": "Second quarter.",
                        "submit": True,
                    },
                )
                counts["updates"] += 1
    return counts
