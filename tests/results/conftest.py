"""A member organisation's project with a result, a shared indicator and two periods."""

from decimal import Decimal

import pytest

from concord.results.models import SharedIndicator
from concord.results.vocabularies import load_shared_indicators
from tests.factories.results import IndicatorFactory, ProjectFactory


@pytest.fixture(autouse=True)
def shared_indicators(db):
    """Loaded by migration; tests that flush the database (live server) remove them, so put
    them back when they are gone."""
    if not SharedIndicator.objects.exists():
        load_shared_indicators()


@pytest.fixture
def project(owner, member_org):
    return ProjectFactory(user=owner, organisation=member_org)


@pytest.fixture
def indicator(owner, project):
    return IndicatorFactory.with_periods(owner, project)


def dec(text) -> Decimal:
    return Decimal(str(text))
