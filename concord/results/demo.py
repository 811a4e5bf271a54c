"""Demo projects of member organisations, with results, indicators, periods and updates.

Each project belongs to the anchor member of its city (`organisations.demo.member`) and is
written in that member's language (`data/demo_projects.json`). Everything goes through the
services, so the demo obeys the same rules as people do. Most
updates are approved (the dashboards show believable totals); some wait for review, so the
demo organisation admin (amina.diallo@concord.example) has something to approve.
"""

import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from concord.organisations import demo as organisations_demo
from concord.organisations.models import Organisation, Representative
from concord.results.services import framework, projects, updates

DATA = Path(__file__).resolve().parent / "data" / "demo_projects.json"
# Francophone West Africa budgets in CFA francs; the others in US dollars.
XOF_COUNTRIES = {"SN", "ML", "BF", "NE", "CI", "BJ", "TG"}


def _people(organisation: Organisation):
    roles = {r.role: r.user for r in organisation.representatives.select_related("user")}
    return roles.get(Representative.Role.REPRESENTATIVE), roles.get(Representative.Role.ADMIN)


def _value(rng: random.Random, target: Decimal, share: float) -> Decimal:
    return Decimal(int(target * Decimal(str(share * rng.uniform(0.7, 1.1)))))


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    plans = json.loads(DATA.read_text(encoding="utf-8"))["projects"]
    counts = {"projects": 0, "updates": 0}
    for index, plan in enumerate(plans):
        organisation = organisations_demo.member(
            plan["country"], plan["city"], plan["owner_themes"]
        )
        if organisation is None or not all(_people(organisation)):
            continue  # a small demo: no member there to run it
        reporter, admin = _people(organisation)
        counted, monthly, quarter = plan["narratives"]
        code = organisation.country_id
        ref = f"{code}-CONCORD-{organisation.pk:04d}"
        project = projects.create_project(
            admin,
            organisation,
            {
                "title": plan["title"],
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
                "currency": rng.choice(["USD", "EUR", "XOF"]) if code in XOF_COUNTRIES else "USD",
                "organisation_iati_ref": ref,
                "iati_identifier": f"{ref}-P{index + 1:02d}",
                "countries": [{"country": code, "percentage": 100}],
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
                    {"value": done, "narrative": counted, "submit": True},
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
                        "narrative": monthly,
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
                        "narrative": quarter,
                        "submit": True,
                    },
                )
                counts["updates"] += 1
    return counts
