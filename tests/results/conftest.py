"""A member organisation's project with a result, a shared indicator and two periods."""

from datetime import date
from decimal import Decimal

import pytest

from concord.results.models import SharedIndicator
from concord.results.services import framework, projects, updates
from concord.results.vocabularies import load_shared_indicators

PROJECT = {
    "title": "Mangrove belts for Saloum villages",
    "summary": "Restoring mangroves and warning villages of storms.",
    "status": "2",
    "planned_start": "2025-01-01",
    "planned_end": "2026-12-31",
    "budget": "120000.50",
    "currency": "XOF",
    "organisation_iati_ref": "SN-NINEA-0012345",
    "iati_identifier": "SN-NINEA-0012345-MB01",
    "countries": [{"country": "SN", "percentage": "60"}, {"country": "GM", "percentage": "40"}],
    "partners": [{"name": "Green Fund", "role": "1", "iati_ref": "XM-DAC-47001"}],
    "sdgs": [13, 15],
    "themes": ["adaptation", "oceans-coasts"],
    "sdg_targets": ["13.1", "15.3"],
    "adaptation": "2",
    "mitigation": "1",
}


@pytest.fixture(autouse=True)
def shared_indicators(db):
    """Loaded by migration; tests that flush the database (live server) remove them, so put
    them back when they are gone."""
    if not SharedIndicator.objects.exists():
        load_shared_indicators()


def make_project(user, organisation, **overrides):
    return projects.create_project(user, organisation, {**PROJECT, **overrides})


def make_indicator(user, project, *, shared="hectares-restored", cumulative=False, periods=2):
    result = framework.add_result(user, project, {"kind": "2", "title": "Coast protected"})
    indicator = framework.add_indicator(
        user,
        result,
        {"shared": shared, "cumulative": cumulative, "baseline_year": 2024, "baseline_value": "0"},
    )
    made = [
        framework.add_period(
            user,
            indicator,
            {"start": date(2025 + n, 1, 1), "end": date(2025 + n, 12, 31), "target": "100"},
        )
        for n in range(periods)
    ]
    return indicator, made


def approved(author, reviewer, period, value, **data):
    update = updates.save_update(author, period, {"value": value, "submit": True, **data})
    return updates.approve_update(reviewer, update)


@pytest.fixture
def project(owner, member_org):
    return make_project(owner, member_org)


@pytest.fixture
def indicator(owner, project):
    return make_indicator(owner, project)


def dec(text) -> Decimal:
    return Decimal(str(text))
